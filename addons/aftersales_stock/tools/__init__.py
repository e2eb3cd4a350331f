"""Pure logic of the stock addon (no Odoo import): structured part codes, the shipping
cost rule, consignment prices and deadlines, allocation of used parts to the oldest
consignment items."""

from .parts import (
    COMPANY,
    AGENT,
    allocate_fifo,
    consignment_price,
    format_part_code,
    parse_part_code,
    shipping_payer,
)

__all__ = [
    "AGENT",
    "COMPANY",
    "allocate_fifo",
    "consignment_price",
    "format_part_code",
    "parse_part_code",
    "shipping_payer",
]

# Parts reports (R-STK-7)
from .stock_xlsx import AVERAGE, INTEGER, NUMBER, PERCENT, TEXT, build_stock_xlsx

__all__ += ["AVERAGE", "INTEGER", "NUMBER", "PERCENT", "TEXT", "build_stock_xlsx"]
