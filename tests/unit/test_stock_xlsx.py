import io

import openpyxl
import pytest
from conftest import load_tools

tools = load_tools("aftersales_stock")

COLUMNS = [
    ("Part", tools.TEXT),
    ("Quantity", tools.NUMBER),
    ("Reports", tools.INTEGER),
    ("Days Late", tools.AVERAGE),
    ("Rate", tools.PERCENT),
]
ROWS = [
    ["Burner", 4.5, 3, 2.5, 0.25],
    ["Thermocouple", 2, 1, None, False],
]


def _sheet(data):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def _rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_title_subtitles_header_rows_and_totals():
    data = tools.build_stock_xlsx(
        "Most-Used Parts",
        COLUMNS,
        ROWS,
        subtitles=["Period: 2026-10-24 to 2026-11-23", "Every service agent"],
        totals_label="Total",
    )
    sheet = _sheet(data)
    assert sheet.title == "Most-Used Parts"
    assert not sheet.sheet_view.rightToLeft
    rows = _rows(sheet)
    assert rows[0][0] == "Most-Used Parts"
    assert rows[1][0] == "Period: 2026-10-24 to 2026-11-23"
    assert rows[2][0] == "Every service agent"
    assert rows[4] == ["Part", "Quantity", "Reports", "Days Late", "Rate"]
    assert rows[5] == ["Burner", 4.5, 3, 2.5, 0.25]
    assert rows[6] == ["Thermocouple", 2, 1, None, None]  # empty cells stay empty
    # Quantities and counts are summed; averages and rates are not.
    assert rows[7] == ["Total", 6.5, 4, None, None]
    assert sheet["E6"].number_format == "0.0%"
    assert sheet.freeze_panes == "A6"


def test_persian_sheet_is_right_to_left_with_the_callers_texts():
    data = tools.build_stock_xlsx(
        "قطعات پرمصرف: [دوره]/۱۴۰۵",
        COLUMNS[:2],
        [["مشعل", 1]],
        subtitles=["دوره: ۱۴۰۵/۰۸/۰۲ تا ۱۴۰۵/۰۹/۰۲"],
        rtl=True,
    )
    sheet = _sheet(data)
    assert sheet.sheet_view.rightToLeft
    # Sheet names: 31 characters at most, without []:*?/\
    assert len(sheet.title) <= 31
    assert not set("[]:*?/\\") & set(sheet.title)
    rows = _rows(sheet)
    assert rows[1][0] == "دوره: ۱۴۰۵/۰۸/۰۲ تا ۱۴۰۵/۰۹/۰۲"
    assert rows[-1] == ["مشعل", 1]  # no totals row unless asked


def test_rows_must_match_the_columns():
    with pytest.raises(ValueError):
        tools.build_stock_xlsx("X", COLUMNS, [["only one cell"]])
