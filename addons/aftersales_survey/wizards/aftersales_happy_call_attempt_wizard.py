from odoo import api, fields, models


class AftersalesHappyCallAttemptWizard(models.TransientModel):
    _name = "aftersales.happy.call.attempt.wizard"
    _description = "Log a Happy Call Attempt"

    call_ids = fields.Many2many("aftersales.happy.call", string="Happy Calls")
    outcome = fields.Selection(
        [("no_answer", "No Answer"), ("callback", "Call Back"), ("refused", "Refused")],
        required=True,
        default="no_answer",
    )
    callback_at = fields.Datetime("Call Back At")
    note = fields.Char()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "aftersales.happy.call":
            values["call_ids"] = [(6, 0, self.env.context.get("active_ids", []))]
        return values

    def action_confirm(self):
        self.ensure_one()
        self.call_ids.action_log_attempt(self.outcome, self.callback_at, self.note)
        return {"type": "ir.actions.act_window_close"}
