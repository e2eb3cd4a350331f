from odoo import fields, models

OUTCOMES = [
    ("no_answer", "No Answer"),
    ("callback", "Call Back"),
    ("refused", "Refused"),
    ("answered", "Answered"),
]


class AftersalesHappyCallAttempt(models.Model):
    _name = "aftersales.happy.call.attempt"
    _description = "Happy Call Attempt"
    _order = "date desc, id desc"

    call_id = fields.Many2one(
        "aftersales.happy.call", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="call_id.company_id", store=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one(
        "res.users", "Operator", required=True, default=lambda self: self.env.user, readonly=True
    )
    outcome = fields.Selection(OUTCOMES, required=True)
    callback_at = fields.Datetime("Call Back At")
    note = fields.Char()
