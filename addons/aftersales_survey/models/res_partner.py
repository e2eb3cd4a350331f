from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    aftersales_happy_call_share = fields.Float(
        "Jobs Called (%)",
        default=-1.0,
        help="Share of this agent's done jobs that get a happy call; -1: the company's.",
    )
    aftersales_scorecard_line_ids = fields.One2many(
        "aftersales.scorecard.line", "agent_id", string="Scorecards", readonly=True
    )
