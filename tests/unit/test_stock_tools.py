import pytest
from conftest import load_tools

tools = load_tools("aftersales_stock")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("HTR-BRN-012", ("HTR", "BRN", "012")),
        (" htr.brn/012 ", ("HTR", "BRN", "012")),
        ("ac_fan ۰۱۲", ("AC", "FAN", "012")),
        ("AC--FAN--7", ("AC", "FAN", "7")),
        ("HTR-BRN", None),
        ("HTR-BRN-012-9", None),
        ("HTR-B#N-012", None),
        ("HTR-TOOLONGCODE-1", None),
        ("", None),
        (None, None),
        (12, None),
    ],
)
def test_parse_part_code(code, expected):
    assert tools.parse_part_code(code) == expected


def test_format_part_code():
    assert tools.format_part_code("wh.ctl.3") == "WH-CTL-3"
    assert tools.format_part_code("nonsense") is None


@pytest.mark.parametrize(
    ("kind", "same_city", "core", "payer"),
    [
        ("warranty", False, False, tools.COMPANY),  # warranty parts to another city: HQ
        ("warranty", True, False, tools.AGENT),  # nothing shipped at HQ's cost in its city
        ("purchase", False, False, tools.AGENT),  # non-warranty parts: the agent
        ("consignment", False, False, tools.AGENT),
        ("purchase", False, True, tools.COMPANY),  # cores always: HQ
        ("warranty", True, True, tools.COMPANY),
    ],
)
def test_shipping_payer(kind, same_city, core, payer):
    assert tools.shipping_payer(kind, same_city, core=core) == payer


def test_consignment_price():
    assert tools.consignment_price(200000, 20) == pytest.approx(240000)
    assert tools.consignment_price(100, 0) == 100
    with pytest.raises(ValueError):
        tools.consignment_price(100, -5)
    with pytest.raises(ValueError):
        tools.consignment_price(-1, 5)


def test_allocate_fifo():
    items = [("old", 2.0), ("mid", 0.0), ("new", 5.0)]
    assert tools.allocate_fifo(items, 4) == ([("old", 2.0), ("new", 2.0)], 0)
    assert tools.allocate_fifo(items, 9) == ([("old", 2.0), ("new", 5.0)], 2.0)
    assert tools.allocate_fifo(items, 0) == ([], 0)
    assert tools.allocate_fifo([], 3) == ([], 3)
    with pytest.raises(ValueError):
        tools.allocate_fifo(items, -1)
