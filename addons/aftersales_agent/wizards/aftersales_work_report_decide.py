"""A decision on work reports that needs a reason: reject, approve without the
customer's confirmation, let a warranty repair through, charge an earlier fee back."""

from odoo import fields, models

DECISIONS = [
    ("reject", "Reject"),
    ("approve_unconfirmed", "Approve Unconfirmed"),
    ("override_warranty", "Override Warranty Check"),
    ("charge_back", "Charge Back Earlier Fee"),
]


class AftersalesWorkReportDecide(models.TransientModel):
    _name = "aftersales.work.report.decide"
    _description = "Decide on Work Reports"

    report_ids = fields.Many2many(
        "aftersales.work.report",
        "aftersales_work_report_decide_rel",
        "wizard_id",
        "report_id",
        string="Work Reports",
        required=True,
        default=lambda self: self.env.context.get("active_ids"),
    )
    decision = fields.Selection(DECISIONS, required=True, default="reject")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        reports = self.report_ids
        method = {
            "reject": reports.action_reject,
            "approve_unconfirmed": reports.action_approve_unconfirmed,
            "override_warranty": reports.action_override_warranty,
            "charge_back": reports.action_charge_back,
        }[self.decision]
        method(self.reason)
        return {"type": "ir.actions.act_window_close"}
