"""Settlement periods: a Jalali month as Gregorian dates."""

from datetime import timedelta

import jdatetime


def jalali_month_bounds(year, month):
    """``(first_day, last_day)`` (``datetime.date``) of Jalali ``year``/``month``."""
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not between 1 and 12")
    first = jdatetime.date(year, month, 1)
    following = (
        jdatetime.date(year + 1, 1, 1) if month == 12 else jdatetime.date(year, month + 1, 1)
    )
    return first.togregorian(), following.togregorian() - timedelta(days=1)
