import datetime

import pytest
from conftest import load_tools

tools = load_tools("aftersales_base")


def test_digits_round_trip():
    assert tools.to_ascii_digits("۰۱۲۳۴۵۶۷۸۹ ٠١٢٣٤٥٦٧٨٩") == "0123456789 0123456789"
    assert tools.to_persian_digits("AS-1403") == "AS-۱۴۰۳"
    assert tools.to_ascii_digits("") == ""
    assert tools.to_persian_digits(None) is None


@pytest.mark.parametrize(
    ("gregorian", "jalali"),
    [
        (datetime.date(2025, 3, 21), "1404/01/01"),  # Nowruz
        (datetime.date(2025, 3, 20), "1403/12/30"),  # 1403 is a leap year
        (datetime.date(2024, 10, 6), "1403/07/15"),
        (datetime.date(2026, 11, 22), "1405/09/01"),
    ],
)
def test_format_jalali(gregorian, jalali):
    assert tools.format_jalali(gregorian, persian_digits=False) == jalali
    assert tools.format_jalali(gregorian) == tools.to_persian_digits(jalali)


def test_format_jalali_datetime_and_long_month():
    value = datetime.datetime(2025, 3, 21, 14, 5)
    assert tools.format_jalali(value, with_time=True, persian_digits=False) == "1404/01/01 14:05"
    assert tools.format_jalali(value, long_month=True, persian_digits=False) == "1 فروردین 1404"
    assert (
        tools.format_jalali(value, long_month=True, persian_digits=False, lang="en")
        == "1 Farvardin 1404"
    )
    assert tools.format_jalali(False) == ""


def test_from_jalali_and_invalid():
    assert tools.from_jalali(1404, 1, 1) == datetime.date(2025, 3, 21)
    with pytest.raises(ValueError):
        tools.from_jalali(1404, 13, 1)
    with pytest.raises(TypeError):
        tools.to_jalali("2025-03-21")


@pytest.mark.parametrize(
    ("day", "start", "end", "expected"),
    [
        (datetime.date(2025, 7, 15), "4", "6", True),  # Tir, summer
        (datetime.date(2025, 1, 15), "4", "6", False),  # Dey
        (datetime.date(2025, 1, 15), "8", "12", True),  # heating season Aban..Esfand
        (datetime.date(2025, 4, 10), "10", "2", True),  # Farvardin in a Dey..Ordibehesht wrap
        (datetime.date(2025, 7, 15), "10", "2", False),
        (datetime.date(2025, 7, 15), False, "2", False),
    ],
)
def test_in_season(day, start, end, expected):
    assert tools.in_season(day, start, end) is expected


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "صفر"),
        (15, "پانزده"),
        (21, "بیست و یک"),
        (101, "یکصد و یک"),
        (1250000, "یک میلیون و دویست و پنجاه هزار"),
        (2000000000, "دو میلیارد"),
        (-5, "منفی پنج"),
    ],
)
def test_number_to_words(number, words):
    assert tools.number_to_words_fa(number) == words


def test_amount_in_rials():
    assert tools.amount_to_words_fa(1250000.4) == "یک میلیون و دویست و پنجاه هزار ریال"
    assert tools.amount_to_words_fa(None) == "صفر ریال"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [(" sn-00 12a ", "SN-0012A"), ("ht۱۲۳", "HT123"), ("", False), (None, False), ("  ", False)],
)
def test_normalize_serial(raw, clean):
    assert tools.normalize_serial(raw) == clean
