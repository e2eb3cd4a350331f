from odoo import fields, models


class StockLocation(models.Model):
    _inherit = "stock.location"

    aftersales_agent_id = fields.Many2one(
        "res.partner",
        string="Consignment Agent",
        index="btree_not_null",
        ondelete="restrict",
        help="The service agent this consignment location lends parts to.",
    )

    _sql_constraints = [
        (
            "aftersales_agent_company_uniq",
            "UNIQUE(aftersales_agent_id, company_id)",
            "An agent has one consignment location per company.",
        ),
    ]
