"""Pure helpers of the warranty addon: no ORM, unit-testable without a database.

Independent of ``aftersales_base.tools`` on purpose: the date rules load alone in
tier-1 tests. Serial numbers are normalized with ``aftersales_base.tools``.
"""

from .warranty import (
    COVERED,
    DEALER_PERIOD,
    EXPIRED,
    IN_WARRANTY,
    NOT_ACTIVE,
    STATUSES,
    UNKNOWN_SERIAL,
    VOIDED,
    add_months,
    dealer_deadline,
    dealer_fallback_start,
    is_covered,
    warranty_end,
    warranty_status,
)

__all__ = [
    "COVERED",
    "DEALER_PERIOD",
    "EXPIRED",
    "IN_WARRANTY",
    "NOT_ACTIVE",
    "STATUSES",
    "UNKNOWN_SERIAL",
    "VOIDED",
    "add_months",
    "dealer_deadline",
    "dealer_fallback_start",
    "is_covered",
    "warranty_end",
    "warranty_status",
]
