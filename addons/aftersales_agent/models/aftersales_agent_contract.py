"""Contracts of an agent with the company (start, end, signed document)."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AftersalesAgentContract(models.Model):
    _name = "aftersales.agent.contract"
    _description = "Service Agent Contract"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"

    name = fields.Char("Reference", required=True, tracking=True)
    agent_id = fields.Many2one(
        "res.partner",
        string="Service Agent",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('is_aftersales_agent', '=', True)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date_start = fields.Date("Start", required=True, tracking=True)
    date_end = fields.Date("End", tracking=True)
    is_current = fields.Boolean("In Force", compute="_compute_is_current")
    document = fields.Binary(attachment=True)
    document_name = fields.Char()
    note = fields.Html()

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for contract in self:
            if contract.date_end and contract.date_end < contract.date_start:
                raise ValidationError(
                    self.env._("Contract %(name)s ends before it starts.", name=contract.name)
                )

    def _compute_is_current(self):
        today = fields.Date.context_today(self)
        for contract in self:
            contract.is_current = contract.date_start <= today and (
                not contract.date_end or contract.date_end >= today
            )
