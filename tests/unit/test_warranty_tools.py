from datetime import date, datetime

import pytest
from conftest import load_tools

tools = load_tools("aftersales_warranty")


@pytest.mark.parametrize(
    ("start", "months", "anniversary"),
    [
        (date(2025, 3, 10), 12, date(2026, 3, 10)),
        (date(2025, 3, 10), 0, date(2025, 3, 10)),
        (date(2025, 11, 15), 3, date(2026, 2, 15)),
        (date(2025, 1, 31), 1, date(2025, 3, 1)),  # no 31 February: first of March
        (date(2024, 2, 29), 12, date(2025, 3, 1)),  # leap day
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 12, 31), 11, date(2026, 12, 1)),  # no 31 November, December next
        (date(2025, 10, 31), 1, date(2025, 12, 1)),  # rolls over the year boundary
        (datetime(2025, 3, 10, 23, 30), 1, date(2025, 4, 10)),
    ],
)
def test_add_months(start, months, anniversary):
    assert tools.add_months(start, months) == anniversary


def test_add_months_refuses_negative_and_keeps_empty():
    with pytest.raises(ValueError):
        tools.add_months(date(2025, 1, 1), -1)
    assert tools.add_months(None, 3) is None
    assert tools.add_months(False, 3) is None
    with pytest.raises(TypeError):
        tools.add_months("2025-01-01", 1)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2025, 3, 10), 12, date(2026, 3, 9)),
        (date(2025, 3, 1), 1, date(2025, 3, 31)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 6, 15), 18, date(2026, 12, 14)),
    ],
)
def test_warranty_end_is_the_last_day_covered(start, months, end):
    assert tools.warranty_end(start, months) == end


def test_no_end_without_start_or_length():
    assert tools.warranty_end(None, 12) is None
    assert tools.warranty_end(date(2025, 1, 1), 0) is None
    assert tools.dealer_deadline(date(2025, 1, 1), 0) is None
    assert tools.dealer_fallback_start(date(2025, 1, 1), 0) is None


def test_dealer_period_then_fallback_start_the_day_after():
    assert tools.dealer_deadline(date(2025, 1, 10), 6) == date(2025, 7, 9)
    assert tools.dealer_fallback_start(date(2025, 1, 10), 6) == date(2025, 7, 10)


ACTIVE = {"state": "active", "start_date": date(2025, 1, 10), "end_date": date(2026, 1, 9)}


@pytest.mark.parametrize(
    ("on_date", "status"),
    [
        (date(2025, 1, 9), tools.NOT_ACTIVE),  # before the start
        (date(2025, 1, 10), tools.IN_WARRANTY),  # first day
        (date(2026, 1, 9), tools.IN_WARRANTY),  # last day
        (date(2026, 1, 10), tools.EXPIRED),
        (datetime(2026, 1, 9, 23, 59), tools.IN_WARRANTY),
    ],
)
def test_status_of_an_active_card(on_date, status):
    assert tools.warranty_status(on_date, **ACTIVE) == status


def test_status_follows_dates_not_the_stored_state():
    """An expired card asked about a date inside its warranty answers in warranty
    (a service request dated back then); an active card past its end, before the
    daily job, answers expired."""
    expired = dict(ACTIVE, state="expired")
    assert tools.warranty_status(date(2025, 6, 1), **expired) == tools.IN_WARRANTY
    assert tools.warranty_status(date(2026, 2, 1), **ACTIVE) == tools.EXPIRED


@pytest.mark.parametrize(
    ("state", "status"),
    [
        (None, tools.UNKNOWN_SERIAL),
        ("voided", tools.VOIDED),
        ("draft", tools.NOT_ACTIVE),
        ("replaced", tools.NOT_ACTIVE),
    ],
)
def test_status_of_cards_without_cover(state, status):
    assert tools.warranty_status(date(2025, 6, 1), state) == status
    # even with dates that would cover the day
    dates = {"start_date": ACTIVE["start_date"], "end_date": ACTIVE["end_date"]}
    assert tools.warranty_status(date(2025, 6, 1), state, **dates) == status


def test_dealer_card_status():
    card = {
        "state": "dealer",
        "dealer_date": date(2025, 1, 10),
        "deadline": date(2025, 7, 9),
        "months": 12,
    }
    assert tools.warranty_status(date(2025, 1, 9), **card) == tools.NOT_ACTIVE
    assert tools.warranty_status(date(2025, 1, 10), **card) == tools.DEALER_PERIOD
    assert tools.warranty_status(date(2025, 7, 9), **card) == tools.DEALER_PERIOD
    # dealer period over and never sold on: the fallback warranty runs from 2025-07-10
    assert tools.warranty_status(date(2025, 7, 10), **card) == tools.IN_WARRANTY
    assert tools.warranty_status(date(2026, 7, 9), **card) == tools.IN_WARRANTY
    assert tools.warranty_status(date(2026, 7, 10), **card) == tools.EXPIRED
    # a dealer without a dealer period: covered as long as it holds the device
    no_period = dict(card, deadline=None)
    assert tools.warranty_status(date(2030, 1, 1), **no_period) == tools.DEALER_PERIOD


def test_covered_statuses():
    assert tools.is_covered(tools.IN_WARRANTY)
    assert tools.is_covered(tools.DEALER_PERIOD)
    for status in (tools.EXPIRED, tools.VOIDED, tools.UNKNOWN_SERIAL, tools.NOT_ACTIVE):
        assert not tools.is_covered(status)
    assert set(tools.STATUSES) >= tools.COVERED
