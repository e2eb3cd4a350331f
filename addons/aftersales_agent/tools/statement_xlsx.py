"""The agent statement (R-AGT-5) as an XLSX workbook: pure Python on plain values."""

import datetime
import io

import xlsxwriter

LINE_COLUMNS = ("date", "entry", "label", "type", "debit", "credit", "amount", "balance")


def build_statement_xlsx(statement, labels, format_date=None, words="", rtl=False):
    """Bytes of a one-sheet workbook of ``statement`` (see the model's ``_statement``).

    ``labels``: the reader's texts (title, agent, period, convention, opening, closing,
    the column names of ``LINE_COLUMNS``, totals, count, words). ``format_date`` turns a
    date into what the cell shows: a string is written as text (a Jalali date), a date
    as a real date. Amounts are numbers, so that the sheet sums them.
    """
    format_date = format_date or (lambda value: value)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet((labels["title"] or "Statement")[:31])
    if rtl:
        sheet.right_to_left()
    bold = workbook.add_format({"bold": True})
    title = workbook.add_format({"bold": True, "font_size": 14})
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    money = workbook.add_format({"num_format": "#,##0.##"})
    money_bold = workbook.add_format({"num_format": "#,##0.##", "bold": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})

    def write_date(row, col, value):
        shown = format_date(value)
        if isinstance(shown, datetime.date):
            sheet.write_datetime(row, col, shown, date_format)
        else:
            sheet.write_string(row, col, str(shown))

    agent = statement["agent"]
    sheet.write(0, 0, labels["title"], title)
    sheet.write(1, 0, labels["agent"], bold)
    sheet.write_string(
        1, 1, f"{agent['name']} ({agent['code']})" if agent["code"] else agent["name"]
    )
    sheet.write(2, 0, labels["period"], bold)
    write_date(2, 1, statement["date_from"])
    write_date(2, 2, statement["date_to"])
    sheet.write_string(3, 0, labels["convention"])
    sheet.write(5, 0, labels["opening"], bold)
    sheet.write_number(5, 7, statement["opening_balance"], money_bold)

    first = 6
    for col, key in enumerate(LINE_COLUMNS):
        sheet.write(first, col, labels[key], header)
    row = first
    for line in statement["lines"]:
        row += 1
        write_date(row, 0, line["date"])
        sheet.write_string(row, 1, line["move_name"])
        sheet.write_string(row, 2, line["label"])
        sheet.write_string(row, 3, line["entry_type_label"])
        sheet.write_number(row, 4, line["debit"], money)
        sheet.write_number(row, 5, line["credit"], money)
        sheet.write_number(row, 6, line["amount"], money)
        sheet.write_number(row, 7, line["balance"], money)
    row += 1
    sheet.write(row, 0, labels["closing"], bold)
    sheet.write_number(row, 7, statement["closing_balance"], money_bold)
    if words:
        row += 1
        sheet.write(row, 0, labels["words"], bold)
        sheet.write_string(row, 2, words)

    row += 2
    sheet.write(row, 0, labels["totals"], header)
    sheet.write(row, 1, labels["count"], header)
    sheet.write(row, 2, labels["amount"], header)
    for total in statement["totals"]:
        row += 1
        sheet.write_string(row, 0, total["label"])
        sheet.write_number(row, 1, total["count"])
        sheet.write_number(row, 2, total["amount"], money)

    for col, width in enumerate((14, 18, 40, 18, 14, 14, 14, 16)):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(first + 1, 0)
    workbook.close()
    return buffer.getvalue()
