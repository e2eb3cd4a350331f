"""A rate card: what the company pays an agent per job (R-AGT-4)."""

from odoo import fields, models

from .. import tools as atools


class AftersalesAgentRateCard(models.Model):
    _name = "aftersales.agent.rate.card"
    _description = "Agent Rate Card"
    _inherit = ["mail.thread"]
    _order = "name"

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    rate_ids = fields.One2many("aftersales.agent.rate", "rate_card_id", string="Rates", copy=True)
    agent_ids = fields.One2many("res.partner", "aftersales_rate_card_id", string="Agents")

    def _fee_for(self, report_type, category, zone):
        """The rate (``aftersales.agent.rate``) of a job, or an empty recordset."""
        self.ensure_one()
        ancestors = []
        while category:
            ancestors.append(category.id)
            category = category.parent_id
        rates = [
            atools.FeeRate(
                rate.id, rate.report_type, rate.categ_id.id, rate.zone, rate.sequence, rate.amount
            )
            for rate in self.rate_ids
        ]
        best = atools.best_rate(rates, report_type, ancestors, zone)
        return self.env["aftersales.agent.rate"].browse(best.key if best else [])
