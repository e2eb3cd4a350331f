"""Satisfaction report (issue 10, Reports): the totals of grouped figures and the XLSX
workbook, pure Python on plain values (no Odoo import)."""

import io

import xlsxwriter

#: The figures of a row, in the sheet's column order after the group's label.
FIGURES = ("answered", "mean", "unhappy", "complaints", "opportunities")
COUNTS = ("answered", "unhappy", "complaints", "opportunities")


def satisfaction_totals(rows):
    """The total of ``rows`` (dicts with ``answered``, ``score_sum``, ``unhappy``,
    ``complaints``, ``opportunities``): counts summed, the mean weighted by the calls
    answered (``None`` when nothing was answered)."""
    total = {key: sum(row.get(key) or 0 for row in rows) for key in COUNTS}
    score_sum = sum(row.get("score_sum") or 0.0 for row in rows)
    total["score_sum"] = score_sum
    total["mean"] = score_sum / total["answered"] if total["answered"] else None
    return total


def build_satisfaction_xlsx(rows, labels, subtitles=(), rtl=False):
    """Bytes of a one-sheet workbook: a title, ``subtitles`` (the period, filters), a
    header, one line per row and a total line.

    ``rows``: dicts with ``label`` and the ``FIGURES`` (``mean`` a percentage 0..100 or
    ``None``; ``score_sum`` too when the total's mean is to be weighted). ``labels``: the
    reader's texts for ``title``, ``group``, ``total`` and each of ``FIGURES``.
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet((labels.get("title") or "Satisfaction")[:31])
    if rtl:
        sheet.right_to_left()
    title = workbook.add_format({"bold": True, "font_size": 14})
    header = workbook.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}
    )
    integer = workbook.add_format({"num_format": "#,##0"})
    percent = workbook.add_format({"num_format": "0.0"})
    bold = workbook.add_format({"bold": True, "top": 1})
    integer_bold = workbook.add_format({"num_format": "#,##0", "bold": True, "top": 1})
    percent_bold = workbook.add_format({"num_format": "0.0", "bold": True, "top": 1})

    sheet.write_string(0, 0, labels.get("title") or "", title)
    row_index = 0
    for subtitle in subtitles:
        row_index += 1
        sheet.write_string(row_index, 0, str(subtitle))
    first = row_index + 2
    sheet.write_string(first, 0, labels["group"], header)
    for col, key in enumerate(FIGURES, start=1):
        sheet.write_string(first, col, labels[key], header)

    def write_row(index, label, values, text_format, int_format, pct_format):
        sheet.write_string(index, 0, str(label or ""), text_format)
        for col, key in enumerate(FIGURES, start=1):
            value = values.get(key)
            if value is None:
                sheet.write_blank(index, col, None, text_format)
            elif key == "mean":
                sheet.write_number(index, col, round(float(value), 2), pct_format)
            else:
                sheet.write_number(index, col, int(value), int_format)

    row_index = first
    for row in rows:
        row_index += 1
        write_row(row_index, row.get("label"), row, None, integer, percent)
    row_index += 1
    write_row(
        row_index, labels["total"], satisfaction_totals(rows), bold, integer_bold, percent_bold
    )

    sheet.set_column(0, 0, 36)
    sheet.set_column(1, len(FIGURES), 16)
    sheet.freeze_panes(first + 1, 0)
    workbook.close()
    return buffer.getvalue()
