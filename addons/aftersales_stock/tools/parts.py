"""Part codes, shipping cost payer, consignment prices, FIFO allocation."""

import re

COMPANY = "company"
AGENT = "agent"

_SEGMENT = re.compile(r"^[A-Z0-9]{1,8}$")
_SEPARATORS = re.compile(r"[\s_./\\-]+")
_PERSIAN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def parse_part_code(code):
    """``(device_type, assembly, part)`` of a structured part code such as
    ``HTR-BRN-012`` (device type / assembly / part number), or ``None`` when the code
    does not have that shape. Separators may be dashes, dots, slashes, spaces or
    underscores; letters are upper-cased and Persian digits read as Latin ones."""
    if not code or not isinstance(code, str):
        return None
    text = code.translate(_PERSIAN_DIGITS).strip().upper()
    segments = [s for s in _SEPARATORS.split(text) if s]
    if len(segments) != 3 or not all(_SEGMENT.match(s) for s in segments):
        return None
    return tuple(segments)


def format_part_code(code):
    """The normal form ``TYPE-ASSEMBLY-PART`` of a part code, or ``None``."""
    parsed = parse_part_code(code)
    return "-".join(parsed) if parsed else None


def shipping_payer(kind, same_city, core=False):
    """Who pays the shipping of parts (R-STK-5): warranty parts sent to another city and
    cores coming back are paid by the company; parts of paid work (purchases) and
    consignment are paid by the agent, as are warranty parts in the company's own city
    (nothing to ship at the company's cost)."""
    if core:
        return COMPANY
    if kind == "warranty":
        return AGENT if same_city else COMPANY
    return AGENT


def consignment_price(list_price, uplift_percent):
    """Consignment parts cost the agent more than ordered ones (R-STK-3)."""
    if list_price < 0 or uplift_percent < 0:
        raise ValueError("prices and uplifts cannot be negative")
    return list_price * (1.0 + uplift_percent / 100.0)


def allocate_fifo(open_items, quantity):
    """Take ``quantity`` from ``open_items`` (``[(key, open quantity)]``, oldest first):
    ``([(key, taken)], left)`` where ``left`` is what no item covered."""
    if quantity < 0:
        raise ValueError("a quantity to allocate cannot be negative")
    taken = []
    left = quantity
    for key, available in open_items:
        if left <= 0:
            break
        take = min(available, left)
        if take > 0:
            taken.append((key, take))
            left -= take
    return taken, left
