from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    aftersales_part_request_id = fields.Many2one(
        "aftersales.part.request",
        string="Part Request",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
