"""Correct the fee of an approved work report (settlement): the settled bills stay as
they are, the difference goes on the agent's next settlement."""

from odoo import api, fields, models


class AftersalesWorkReportFeeCorrect(models.TransientModel):
    _name = "aftersales.work.report.fee.correct"
    _description = "Correct the Fee of a Work Report"

    report_id = fields.Many2one("aftersales.work.report", required=True, readonly=True)
    currency_id = fields.Many2one(related="report_id.currency_id")
    fee_total = fields.Monetary("Current Fee", related="report_id.fee_total")
    settled_amount = fields.Monetary("Settled", related="report_id.settled_amount")
    fee_adjustment = fields.Monetary("New Adjustment", required=True)
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        report = self.env["aftersales.work.report"].browse(self.env.context.get("active_id"))
        if report.exists():
            values.setdefault("report_id", report.id)
            values.setdefault("fee_adjustment", report.fee_adjustment)
        return values

    def action_confirm(self):
        self.ensure_one()
        self.report_id.action_correct_fee(self.fee_adjustment, self.reason)
        return {"type": "ir.actions.act_window_close"}
