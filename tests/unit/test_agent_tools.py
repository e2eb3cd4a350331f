from datetime import date

import pytest
from conftest import load_tools

tools = load_tools("aftersales_agent")
Rate = tools.FeeRate

HEATERS, GAS, DEVICES = 30, 20, 10  # a category tree: heaters < gas appliances < devices
ANCESTORS = [HEATERS, GAS, DEVICES]


def _rates():
    return [
        Rate(1, "warranty_repair", None, "any", 10, 600),
        Rate(2, "warranty_repair", GAS, "any", 10, 700),
        Rate(3, "warranty_repair", HEATERS, "out_of_city", 10, 1100),
        Rate(4, "warranty_repair", HEATERS, "any", 10, 800),
        Rate(5, "installation", None, "any", 10, 500),
        Rate(6, "warranty_repair", 99, "any", 1, 50),  # another branch of the tree
    ]


@pytest.mark.parametrize(
    ("report_type", "ancestors", "zone", "expected"),
    [
        ("warranty_repair", ANCESTORS, "in_city", 4),  # own category, both zones
        ("warranty_repair", ANCESTORS, "out_of_city", 3),  # own category and zone
        ("warranty_repair", [GAS, DEVICES], "in_city", 2),  # parent category
        ("warranty_repair", [DEVICES], "in_city", 1),  # every category
        ("installation", ANCESTORS, "out_of_city", 5),
        ("paid_repair", ANCESTORS, "in_city", None),  # no rate: no fee
    ],
)
def test_best_rate_is_the_most_specific(report_type, ancestors, zone, expected):
    best = tools.best_rate(_rates(), report_type, ancestors, zone)
    assert (best.key if best else None) == expected


def test_sequence_breaks_ties():
    rates = [Rate(1, "paid_repair", None, "any", 20, 1), Rate(2, "paid_repair", None, "any", 5, 2)]
    assert tools.best_rate(rates, "paid_repair", [], "in_city").key == 2


@pytest.mark.parametrize(
    ("city", "cities", "zone"),
    [
        ("Tehran", ["Tehran", None], "in_city"),
        ("  tehran ", ["TEHRAN"], "in_city"),
        ("Varamin", ["Tehran", "Shahriar"], "out_of_city"),
        ("", ["Tehran"], "in_city"),  # no city given: nothing says the agent travelled
        ("Karaj", [], "out_of_city"),
    ],
)
def test_travel_zone(city, cities, zone):
    assert tools.travel_zone(city, cities) == zone


def test_codes_are_digits_and_checked_in_any_digits():
    code = tools.new_code()
    assert len(code) == tools.CODE_LENGTH and code.isdigit()
    stored = tools.code_hash("secret", 42, "012345")
    assert stored != "012345"
    assert tools.same_code("secret", 42, "۰۱۲۳۴۵", stored)  # Persian digits
    assert tools.same_code("secret", 42, " 012 345 ", stored)
    assert not tools.same_code("secret", 43, "012345", stored)  # another report
    assert not tools.same_code("other", 42, "012345", stored)  # another database
    assert not tools.same_code("secret", 42, "012346", stored)
    assert not tools.same_code("secret", 42, "", stored)
    assert not tools.same_code("secret", 42, "01234a", stored)


@pytest.mark.parametrize(
    ("year", "month", "first", "last"),
    [
        (1404, 1, date(2025, 3, 21), date(2025, 4, 20)),
        (1404, 7, date(2025, 9, 23), date(2025, 10, 22)),
        (1404, 12, date(2026, 2, 20), date(2026, 3, 20)),
        (1403, 12, date(2025, 2, 19), date(2025, 3, 20)),  # leap year: 30 days of Esfand
    ],
)
def test_jalali_month_bounds(year, month, first, last):
    assert tools.jalali_month_bounds(year, month) == (first, last)


def test_jalali_month_refuses_a_bad_month():
    with pytest.raises(ValueError):
        tools.jalali_month_bounds(1404, 13)
