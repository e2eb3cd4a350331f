"""Jalali (Solar Hijri) dates, on top of the well-kept ``jdatetime`` library."""

import datetime

import jdatetime

from .digits import to_persian_digits

_MONTHS_FA = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
_MONTHS_EN = (
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
)


def to_jalali(value):
    """Return a ``jdatetime.date`` (or ``jdatetime.datetime``) for a Gregorian value.

    ``None``/``False`` give ``None``; a ``datetime`` keeps its time of day.
    """
    if not value:
        return None
    if isinstance(value, datetime.datetime):
        return jdatetime.datetime.fromgregorian(datetime=value)
    if isinstance(value, datetime.date):
        return jdatetime.date.fromgregorian(date=value)
    raise TypeError(f"expected a date or datetime, got {type(value).__name__}")


def from_jalali(year, month, day):
    """Return the Gregorian ``datetime.date`` of a Jalali day; ValueError if invalid."""
    return jdatetime.date(int(year), int(month), int(day)).togregorian()


def jalali_month_name(month, lang="fa"):
    """Name of a Jalali month (1..12) in Persian or in Latin transcription."""
    names = _MONTHS_FA if (lang or "").startswith("fa") else _MONTHS_EN
    return names[int(month) - 1]


def format_jalali(value, with_time=False, persian_digits=True, long_month=False, lang="fa"):
    """Format a Gregorian date/datetime as a Jalali string.

    ``1403/07/15`` (digits Persian by default), ``15 مهر 1403`` with ``long_month``,
    and ``HH:MM`` appended for datetimes when ``with_time``. Empty values give "".
    """
    jvalue = to_jalali(value)
    if jvalue is None:
        return ""
    if long_month:
        text = f"{jvalue.day} {jalali_month_name(jvalue.month, lang)} {jvalue.year}"
    else:
        text = f"{jvalue.year:04d}/{jvalue.month:02d}/{jvalue.day:02d}"
    if with_time and isinstance(jvalue, jdatetime.datetime):
        text += f" {jvalue.hour:02d}:{jvalue.minute:02d}"
    return to_persian_digits(text) if persian_digits else text


def jalali_month(value):
    """Jalali month number (1..12) of a Gregorian date/datetime."""
    return to_jalali(value).month


def in_season(value, start_month, end_month):
    """Whether ``value`` falls in the Jalali months ``start_month``..``end_month``.

    Iranian seasons follow Jalali months (summer is Tir..Shahrivar); a season may
    wrap around the new year (Azar..Esfand is not a wrap, Dey..Farvardin is).
    Missing bounds mean "not seasonal".
    """
    if not (value and start_month and end_month):
        return False
    month, start, end = jalali_month(value), int(start_month), int(end_month)
    if start <= end:
        return start <= month <= end
    return month >= start or month <= end
