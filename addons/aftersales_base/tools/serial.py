"""Serial numbers as stored: one spelling per physical device."""

import re

from .digits import to_ascii_digits

_SPACES = re.compile(r"\s+")


def normalize_serial(serial):
    """Strip, remove inner white space, ASCII digits and upper-case a serial number.

    ``" sn-00 12a "`` and ``"SN-0012A"`` are the same device. Empty gives ``False``
    so it can be written to an Odoo Char field as-is.
    """
    if not serial:
        return False
    text = _SPACES.sub("", to_ascii_digits(str(serial))).upper()
    return text or False
