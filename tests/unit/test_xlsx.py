import datetime
import io
import zipfile

from conftest import load_tools

tools = load_tools("aftersales_base")

COLUMNS = [("Number", "text"), ("Received", "datetime"), ("Points", "integer"), ("Day", "date")]
ROWS = [
    ["CMP0001", datetime.datetime(2025, 3, 21, 10, 30), 3, datetime.date(2025, 3, 21)],
    ["CMP0002", False, None, None],
]


def sheet_xml(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        strings = archive.read("xl/sharedStrings.xml").decode()
    return sheet, strings


def test_persian_sheet_is_rtl_with_jalali_dates():
    sheet, strings = sheet_xml(tools.build_xlsx("شکایات", COLUMNS, ROWS, rtl=True, jalali=True))
    assert 'rightToLeft="1"' in sheet
    assert "1404/01/01 10:30" in strings
    assert "1404/01/01" in strings
    assert "CMP0002" in strings


def test_gregorian_sheet_has_real_dates():
    sheet, strings = sheet_xml(tools.build_xlsx("Complaints", COLUMNS, ROWS))
    assert "rightToLeft" not in sheet
    assert "1404" not in strings
    # 2025-03-21 10:30 as an Excel serial date
    assert "<v>45737.4375</v>" in sheet
