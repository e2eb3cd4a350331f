"""History of who a job was assigned to: every routing, acceptance, decline and
reassignment, with its reason (R-AGT-1)."""

from odoo import fields, models

OUTCOMES = [
    ("assigned", "Assigned"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
    ("reassigned", "Reassigned"),
    ("done", "Done"),
]


class AftersalesAgentAssignment(models.Model):
    _name = "aftersales.agent.assignment"
    _description = "Job Assignment"
    _order = "date desc, id desc"

    request_id = fields.Many2one(
        "aftersales.request", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    agent_id = fields.Many2one("res.partner", string="Service Agent", index=True, readonly=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="By", default=lambda self: self.env.user, readonly=True
    )
    outcome = fields.Selection(OUTCOMES, required=True, readonly=True)
    reason = fields.Text(readonly=True)
