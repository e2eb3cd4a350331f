"""XLSX export shared by every addon: right-to-left sheets and Jalali dates for Persian."""

import datetime
import io

import xlsxwriter

from .jalali import format_jalali

TEXT, NUMBER, INTEGER, DATE, DATETIME = "text", "number", "integer", "date", "datetime"


def build_xlsx(title, columns, rows, rtl=False, jalali=False):
    """Return the bytes of a one-sheet workbook.

    ``columns``: ``[(header, kind), ...]`` with kind one of text, number, integer, date,
    datetime. ``rows``: iterables of cell values in column order (``None``/``False`` are
    empty cells). Jalali dates are written as text (Excel has no Jalali calendar),
    Gregorian ones as real dates.
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet((title or "Sheet")[:31])
    if rtl:
        sheet.right_to_left()
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    formats = {
        DATE: workbook.add_format({"num_format": "yyyy-mm-dd"}),
        DATETIME: workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        NUMBER: workbook.add_format({"num_format": "#,##0.00"}),
        INTEGER: workbook.add_format({"num_format": "#,##0"}),
    }
    widths = [len(str(name)) + 2 for name, _kind in columns]
    for col, (name, _kind) in enumerate(columns):
        sheet.write(0, col, name, header)
    last_row = 0
    for row_index, row in enumerate(rows, start=1):
        last_row = row_index
        for col, ((_name, kind), value) in enumerate(zip(columns, row, strict=True)):
            if value is None or value is False:
                continue
            if kind in (DATE, DATETIME) and jalali:
                text = format_jalali(value, with_time=kind == DATETIME, persian_digits=False)
                sheet.write_string(row_index, col, text)
                widths[col] = max(widths[col], len(text) + 2)
            elif kind in (DATE, DATETIME):
                if kind == DATE and isinstance(value, datetime.datetime):
                    value = value.date()
                sheet.write_datetime(row_index, col, value, formats[kind])
                widths[col] = max(widths[col], 18)
            elif kind in (NUMBER, INTEGER):
                sheet.write_number(row_index, col, value, formats[kind])
            else:
                text = str(value)
                sheet.write_string(row_index, col, text)
                widths[col] = max(widths[col], min(len(text) + 2, 60))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(last_row, 1), len(columns) - 1)
    workbook.close()
    return buffer.getvalue()
