"""One rate of a rate card: report type x product category x zone -> amount."""

from odoo import fields, models

from .aftersales_work_report import REPORT_TYPES

ZONES = [
    ("any", "In and Out of City"),
    ("in_city", "In City"),
    ("out_of_city", "Out of City"),
]


class AftersalesAgentRate(models.Model):
    _name = "aftersales.agent.rate"
    _description = "Agent Rate"
    _order = "rate_card_id, sequence, id"

    sequence = fields.Integer(default=10)
    rate_card_id = fields.Many2one(
        "aftersales.agent.rate.card", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="rate_card_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="rate_card_id.currency_id")
    report_type = fields.Selection(REPORT_TYPES, "Work", required=True)
    categ_id = fields.Many2one(
        "product.category", string="Product Category", help="Empty: every category."
    )
    zone = fields.Selection(ZONES, required=True, default="any")
    amount = fields.Monetary("Fee", required=True)

    _sql_constraints = [
        ("amount_positive", "CHECK(amount >= 0)", "A fee cannot be negative."),
    ]
