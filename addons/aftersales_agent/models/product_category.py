"""Agent fees are analysed by the category of the serviced device (settlement)."""

from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    aftersales_analytic_account_id = fields.Many2one(
        "account.analytic.account",
        string="After-Sales Analytic Account",
        help="Analytic account of the agent fees for devices of this category, set on the "
        "lines of the agents' vendor bills.",
    )
