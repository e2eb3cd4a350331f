from odoo import fields, models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    aftersales_supply_type = fields.Selection(
        [("purchase", "Purchase"), ("import", "Import")],
        string="Supply Type",
        default="purchase",
        help="Imported parts are reported apart from local purchases (R-STK-6).",
    )
