from odoo import api, fields, models


class AftersalesWarrantyVoid(models.TransientModel):
    _name = "aftersales.warranty.void"
    _description = "Void Warranty Cards"

    card_ids = fields.Many2many("aftersales.warranty.card", string="Cards", required=True)
    allowed_reason_ids = fields.Many2many(
        "aftersales.warranty.void.reason", compute="_compute_allowed_reason_ids"
    )
    void_reason_id = fields.Many2one(
        "aftersales.warranty.void.reason",
        string="Reason",
        required=True,
        domain="allowed_reason_ids and [('id', 'in', allowed_reason_ids)] or []",
    )
    note = fields.Text(help="What was found: kept on the card and in its history.")

    @api.depends("card_ids.policy_id.void_reason_ids")
    def _compute_allowed_reason_ids(self):
        # The conditions common to the policies that list some; empty: any reason.
        for wizard in self:
            restricting = wizard.card_ids.policy_id.filtered("void_reason_ids")
            allowed = restricting[:1].void_reason_ids
            for policy in restricting[1:]:
                allowed &= policy.void_reason_ids
            wizard.allowed_reason_ids = allowed

    def action_confirm(self):
        self.card_ids._void(self.void_reason_id, self.note)
        return {"type": "ir.actions.act_window_close"}
