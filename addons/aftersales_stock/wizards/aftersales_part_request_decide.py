from odoo import api, fields, models


class AftersalesPartRequestDecide(models.TransientModel):
    _name = "aftersales.part.request.decide"
    _description = "Approve or Reject Part Requests"

    part_request_ids = fields.Many2many("aftersales.part.request", string="Part Requests")
    decision = fields.Selection(
        [("approve", "Approve"), ("reject", "Reject")], required=True, default="approve"
    )
    in_review = fields.Boolean(compute="_compute_in_review")
    reason = fields.Text(
        help="Why the parts ship as warranty although the check does not cover the device, "
        "or why the request is rejected."
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "aftersales.part.request":
            values["part_request_ids"] = [(6, 0, self.env.context.get("active_ids", []))]
        return values

    @api.depends("part_request_ids.state")
    def _compute_in_review(self):
        for wizard in self:
            wizard.in_review = "review" in wizard.part_request_ids.mapped("state")

    def action_confirm(self):
        self.ensure_one()
        if self.decision == "approve":
            self.part_request_ids.action_approve(reason=self.reason)
        else:
            self.part_request_ids.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
