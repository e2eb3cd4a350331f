from odoo import fields, models


class AftersalesWarrantyExtend(models.TransientModel):
    _name = "aftersales.warranty.extend"
    _description = "Extend Warranty Cards"

    card_ids = fields.Many2many("aftersales.warranty.card", string="Cards", required=True)
    months = fields.Integer(required=True, default=1)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.card_ids._extend(self.months, self.reason)
        return {"type": "ir.actions.act_window_close"}
