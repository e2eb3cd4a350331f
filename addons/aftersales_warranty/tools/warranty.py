"""Warranty dates and status: pure date arithmetic, no ORM.

Conventions (what a customer reads on the card):

- A warranty of N months that starts on day D covers D up to the day before D's
  N-month anniversary, both included: 12 months from 2025-03-10 cover up to 2026-03-09.
- An anniversary that falls on a day the month lacks (31 January + 1 month) moves to
  the first day of the next month, so the customer never loses a day: 12 months from
  2024-02-29 cover up to 2025-02-28, 1 month from 2025-01-31 up to 2025-02-28.
- The dealer period is counted the same way from the delivery to the dealer; when
  the device is never sold on (no installation, no registration), the warranty starts
  on the day after the dealer period.
"""

import calendar
from datetime import date, timedelta

IN_WARRANTY = "in_warranty"
DEALER_PERIOD = "dealer_period"
EXPIRED = "expired"
VOIDED = "voided"
UNKNOWN_SERIAL = "unknown_serial"
NOT_ACTIVE = "not_active"

STATUSES = (IN_WARRANTY, DEALER_PERIOD, EXPIRED, VOIDED, UNKNOWN_SERIAL, NOT_ACTIVE)
# Statuses under which a repair is warranty work (R-WAR-5, R-WAR-8).
COVERED = frozenset({IN_WARRANTY, DEALER_PERIOD})


def _as_date(value):
    if value is None or value is False:
        return None
    if hasattr(value, "date") and callable(value.date):
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"a date is expected, not {value!r}")


def add_months(day, months):
    """The ``months``-month anniversary of ``day``.

    A day missing in the target month (the 31st, 29 February) rolls over to the first
    day of the following month.
    """
    day = _as_date(day)
    if day is None:
        return None
    if months < 0:
        raise ValueError("months cannot be negative")
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if day.day <= calendar.monthrange(year, month)[1]:
        return date(year, month, day.day)
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return date(year, month, 1)


def warranty_end(start, months):
    """Last day covered by a warranty of ``months`` months starting on ``start``."""
    start = _as_date(start)
    if start is None or not months or months <= 0:
        return None
    return add_months(start, months) - timedelta(days=1)


def dealer_deadline(dealer_date, months):
    """Last day of a dealer period of ``months`` months; ``None`` without a period."""
    return warranty_end(dealer_date, months)


def dealer_fallback_start(dealer_date, months):
    """Start of the warranty of a device never sold on by the dealer."""
    deadline = dealer_deadline(dealer_date, months)
    return deadline + timedelta(days=1) if deadline else None


def warranty_status(
    on_date,
    state,
    start_date=None,
    end_date=None,
    dealer_date=None,
    deadline=None,
    months=0,
):
    """Status of a card at ``on_date`` (one of ``STATUSES``).

    ``state`` is the card's state; the dates are the card's. The status is computed
    from the dates rather than from the state alone, so that a check at a past date
    (the date of a service request) and a check before the daily job has run both
    give the right answer. ``months`` is the total warranty length, used for a dealer
    card whose dealer period ran out before the daily job activated it.
    """
    on_date = _as_date(on_date)
    start_date, end_date = _as_date(start_date), _as_date(end_date)
    dealer_date, deadline = _as_date(dealer_date), _as_date(deadline)
    if state is None:
        return UNKNOWN_SERIAL
    if state == "voided":
        return VOIDED
    if state in ("draft", "replaced"):
        return NOT_ACTIVE
    if state == "dealer":
        if dealer_date and on_date < dealer_date:
            return NOT_ACTIVE
        if deadline is None or on_date <= deadline:
            return DEALER_PERIOD
        start_date = deadline + timedelta(days=1)
        end_date = warranty_end(start_date, months)
    if not start_date or on_date < start_date:
        return NOT_ACTIVE
    if end_date is None or on_date <= end_date:
        return IN_WARRANTY
    return EXPIRED


def is_covered(status):
    """True when a repair at this status is warranty work."""
    return status in COVERED
