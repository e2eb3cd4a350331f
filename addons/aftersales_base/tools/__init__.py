"""Pure helpers of the after-sales suite: no ORM, unit-testable without a database.

Every aftersales addon reuses these (Persian digits, Jalali dates, Iranian phone
numbers and regions, amounts in words).
"""

from .amount import amount_to_words_fa, number_to_words_fa
from .digits import to_ascii_digits, to_persian_digits
from .jalali import (
    format_jalali,
    from_jalali,
    in_season,
    jalali_month,
    jalali_month_name,
    to_jalali,
)
from .phone import PhoneError, PhoneInfo, normalize_phone, parse_phone
from .regions import AREA_CODE_PROVINCES, IRAN_PROVINCES, province_for_area_code
from .serial import normalize_serial
from .xlsx import build_xlsx

__all__ = [
    "AREA_CODE_PROVINCES",
    "IRAN_PROVINCES",
    "PhoneError",
    "PhoneInfo",
    "amount_to_words_fa",
    "build_xlsx",
    "format_jalali",
    "from_jalali",
    "in_season",
    "jalali_month",
    "jalali_month_name",
    "normalize_phone",
    "normalize_serial",
    "number_to_words_fa",
    "parse_phone",
    "province_for_area_code",
    "to_ascii_digits",
    "to_jalali",
    "to_persian_digits",
]
