from odoo import fields, models


class AftersalesWorkReportPartVoid(models.TransientModel):
    _name = "aftersales.work.report.part.void"
    _description = "Void Work Report Parts"

    part_ids = fields.Many2many(
        "aftersales.work.report.part",
        "aftersales_work_report_part_void_rel",
        "wizard_id",
        "part_id",
        string="Parts",
        required=True,
        default=lambda self: self.env.context.get("active_ids"),
    )
    reason = fields.Char(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.part_ids.action_void(self.reason)
        return {"type": "ir.actions.act_window_close"}
