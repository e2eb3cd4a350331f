"""The device an invoice line of a warranty extension lengthens, and the months it
applied: the marker that makes the extension happen once per line."""

from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    aftersales_card_id = fields.Many2one(
        "aftersales.warranty.card",
        string="Warranty Card",
        index="btree_not_null",
        readonly=True,
        help="The device whose warranty this line extends (from the sale line); a credit "
        "note carries it to undo the extension.",
    )
    aftersales_extension_done = fields.Boolean(
        "Warranty Extension Applied",
        readonly=True,
        copy=False,
        help="Set when the posted invoice (or credit note) changed the card: posting it "
        "again after a reset to draft changes nothing.",
    )
    aftersales_extension_months = fields.Integer(
        "Months Applied",
        readonly=True,
        copy=False,
        help="Months added to the card (negative: removed by a credit note).",
    )
