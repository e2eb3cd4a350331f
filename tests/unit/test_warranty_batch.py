"""Rows of the batch issue of warranty cards: files, serial ranges, dates."""

import datetime
import importlib

import pytest
from conftest import load_tools

base = load_tools("aftersales_base")
load_tools("aftersales_warranty")
batch = importlib.import_module("aftersales_warranty_tools.batch")


def parse_date(value):
    return batch.parse_date(value, base.from_jalali, base.to_ascii_digits)


# ----------------------------------------------------------------------
# Ranges
# ----------------------------------------------------------------------


def test_range_zero_padded_and_inclusive():
    serials = batch.expand_range("SN", 100, 250, 6)
    assert len(serials) == 151
    assert serials[0] == "SN000100"
    assert serials[-1] == "SN000250"
    assert len(set(serials)) == 151


def test_range_without_padding_and_single():
    assert batch.expand_range(" AC-", 7, 7) == ["AC-7"]
    assert batch.expand_range("X", 9, 11, 0) == ["X9", "X10", "X11"]


@pytest.mark.parametrize(
    ("first", "last", "padding", "code"),
    [
        (10, 9, 3, "range_order"),
        (-1, 5, 3, "range_order"),
        (None, 5, 3, "range_order"),
        (0, batch.MAX_RANGE, 6, "range_size"),
        (1, 1000, 3, "range_padding"),
    ],
)
def test_range_refused(first, last, padding, code):
    with pytest.raises(batch.BatchError) as caught:
        batch.expand_range("SN", first, last, padding)
    assert caught.value.code == code


def test_range_at_the_limit():
    assert len(batch.expand_range("SN", 1, batch.MAX_RANGE, 6)) == batch.MAX_RANGE


# ----------------------------------------------------------------------
# Dates
# ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-08-02", datetime.date(2024, 8, 2)),
        (" 2024/8/2 ", datetime.date(2024, 8, 2)),
        ("2024-08-02 00:00:00", datetime.date(2024, 8, 2)),
        ("1403/05/12", datetime.date(2024, 8, 2)),
        ("۱۴۰۳/۰۵/۱۲", datetime.date(2024, 8, 2)),
        ("١٤٠٣-٠٥-١٢", datetime.date(2024, 8, 2)),
        ("1403/12/30", datetime.date(2025, 3, 20)),  # 1403 is a leap year
        (datetime.date(2025, 1, 5), datetime.date(2025, 1, 5)),
        (datetime.datetime(2025, 1, 5, 10, 30), datetime.date(2025, 1, 5)),
        ("", None),
        (None, None),
    ],
)
def test_dates(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value", ["2024-02-30", "1403/13/01", "1404/12/30", "02/08/2024", "yesterday", "2024-08"]
)
def test_bad_dates(value):
    with pytest.raises(ValueError):
        parse_date(value)


# ----------------------------------------------------------------------
# Files
# ----------------------------------------------------------------------


def test_csv_with_bom_semicolons_and_line_numbers():
    data = (
        "\ufeffSerial;Product;Customer;Dealer;Date\n"
        "SN-1;HT-100;Ali Rezaei;;1403/05/12\n"
        "\n"
        'SN-2;"Heater, 2 kW";;Dealer One;2024-08-02\n'
    ).encode()
    rows = batch.read_csv(data)
    assert rows == [
        batch.BatchRow(2, "SN-1", "HT-100", "Ali Rezaei", "", "1403/05/12"),
        batch.BatchRow(4, "SN-2", "Heater, 2 kW", "", "Dealer One", "2024-08-02"),
    ]


def test_csv_optional_columns_and_persian_header():
    data = "سریال,محصول\n۱۲۳,HT-100\n".encode()
    assert batch.read_csv(data) == [batch.BatchRow(2, "۱۲۳", "HT-100", "", "", "")]


def test_csv_line_numbers_after_a_quoted_newline():
    data = b'serial,product,customer\nA,P,"two\nlines"\nB,P,\n'
    assert [(row.line, row.serial) for row in batch.read_csv(data)] == [(3, "A"), (4, "B")]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"\n\n", "empty"),
        (b"serial,customer\nSN-1,Ali\n", "columns"),
        ("serial,product\nSN,\xe9\n".encode("latin-1"), "encoding"),
    ],
)
def test_csv_refused(data, code):
    with pytest.raises(batch.BatchError) as caught:
        batch.read_csv(data)
    assert caught.value.code == code
    if code == "columns":
        assert caught.value.params["missing"] == ["product"]


def test_header_only_gives_no_rows():
    assert batch.read_csv(b"serial,product\n") == []


def test_xlsx_rows_dates_and_numbers():
    openpyxl = pytest.importorskip("openpyxl")  # Odoo ships it; tier 1 may not
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Serial", "Product", "Customer", "Dealer", "Date"])
    sheet.append(["SN-1", 1001, "Ali", None, datetime.datetime(2024, 8, 2)])
    sheet.append([None, None, None, None, None])
    sheet.append([12345.0, "HT-100", None, "Dealer One", "۱۴۰۳/۰۵/۱۲"])
    import io

    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = batch.read_file(buffer.getvalue(), "cards.XLSX")
    assert [row.line for row in rows] == [2, 4]
    assert rows[0].serial == "SN-1"
    assert rows[0].product == "1001"
    assert parse_date(rows[0].date) == datetime.date(2024, 8, 2)
    assert rows[1].serial == "12345"
    assert parse_date(rows[1].date) == datetime.date(2024, 8, 2)


def test_not_a_workbook():
    pytest.importorskip("openpyxl")
    with pytest.raises(batch.BatchError) as caught:
        batch.read_file(b"PK\x03\x04 broken", "cards.xlsx")
    assert caught.value.code == "xlsx"


def test_read_file_picks_csv_by_name():
    assert batch.read_file(b"serial,product\nA,B\n", "cards.csv")[0].serial == "A"
