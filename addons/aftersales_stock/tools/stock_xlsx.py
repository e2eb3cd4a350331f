"""The parts reports (R-STK-7) as XLSX workbooks: pure Python on plain values.

The caller gives every text already in the reader's language and calendar (Jalali period
strings for Persian readers): Excel has no Jalali calendar, so dates are never cells here.
"""

import io

import xlsxwriter

TEXT, NUMBER, INTEGER, PERCENT = "text", "number", "integer", "percent"
AVERAGE = "average"
SUMMED = (NUMBER, INTEGER)


def build_stock_xlsx(title, columns, rows, subtitles=(), totals_label=None, rtl=False):
    """Bytes of a one-sheet workbook: the title, the ``subtitles`` lines (period, agent),
    a header row and one row per item of ``rows``.

    ``columns``: ``[(header, kind), ...]`` with kind one of text, number, integer,
    average (a number not summed in the totals), percent (a fraction: ``0.25`` shows as
    25%). ``rows``: cell values in column order;
    ``None``/``False`` leave the cell empty. With ``totals_label`` a last row sums the
    number and integer columns. ``rtl``: a right-to-left sheet (Persian readers).
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    # Sheet names: at most 31 characters, none of []:*?/\
    sheet_name = "".join(" " if char in "[]:*?/\\" else char for char in title or "")[:31]
    sheet = workbook.add_worksheet(sheet_name.strip() or "Sheet1")
    if rtl:
        sheet.right_to_left()
    title_format = workbook.add_format({"bold": True, "font_size": 14})
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    formats = {
        NUMBER: workbook.add_format({"num_format": "#,##0.##"}),
        INTEGER: workbook.add_format({"num_format": "#,##0"}),
        AVERAGE: workbook.add_format({"num_format": "#,##0.0"}),
        PERCENT: workbook.add_format({"num_format": "0.0%"}),
    }
    bold_formats = {
        NUMBER: workbook.add_format({"num_format": "#,##0.##", "bold": True, "top": 1}),
        INTEGER: workbook.add_format({"num_format": "#,##0", "bold": True, "top": 1}),
    }
    bold = workbook.add_format({"bold": True, "top": 1})

    sheet.write_string(0, 0, title or "", title_format)
    row = 0
    for line in subtitles:
        row += 1
        sheet.write_string(row, 0, str(line))
    first = row + 2
    widths = [len(str(name)) + 2 for name, _kind in columns]
    for col, (name, _kind) in enumerate(columns):
        sheet.write_string(first, col, str(name), header)
    sums = [0] * len(columns)
    row = first
    for values in rows:
        row += 1
        for col, ((_name, kind), value) in enumerate(zip(columns, values, strict=True)):
            if value is None or value is False:
                continue
            if kind in formats:
                sheet.write_number(row, col, value, formats[kind])
                if kind in SUMMED:
                    sums[col] += value
                widths[col] = max(widths[col], 14)
            else:
                text = str(value)
                sheet.write_string(row, col, text)
                widths[col] = max(widths[col], min(len(text) + 2, 60))
    if totals_label is not None:
        row += 1
        sheet.write_string(row, 0, totals_label, bold)
        for col, (_name, kind) in enumerate(columns):
            if col and kind in SUMMED:
                sheet.write_number(row, col, sums[col], bold_formats[kind])
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(first + 1, 0)
    workbook.close()
    return buffer.getvalue()
