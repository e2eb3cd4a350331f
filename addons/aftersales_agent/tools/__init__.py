"""Pure logic of the agent addon (no Odoo import): fees from a rate card, the customer's
confirmation codes, settlement periods."""

from .codes import CODE_LENGTH, code_hash, new_code, same_code
from .fees import ANY_ZONE, IN_CITY, OUT_OF_CITY, FeeRate, best_rate, travel_zone
from .periods import jalali_month_bounds

__all__ = [
    "ANY_ZONE",
    "CODE_LENGTH",
    "IN_CITY",
    "OUT_OF_CITY",
    "FeeRate",
    "best_rate",
    "code_hash",
    "jalali_month_bounds",
    "new_code",
    "same_code",
    "travel_zone",
]

# Agent statement (R-AGT-5)
from .statement_xlsx import build_statement_xlsx

__all__ += ["build_statement_xlsx"]
