from odoo import fields, models


class AftersalesWarrantyTransfer(models.TransientModel):
    _name = "aftersales.warranty.transfer"
    _description = "Transfer Warranty Ownership"

    card_ids = fields.Many2many("aftersales.warranty.card", string="Cards", required=True)
    partner_id = fields.Many2one("res.partner", string="New Owner", required=True)
    date = fields.Datetime(default=fields.Datetime.now, required=True)
    reason = fields.Text(required=True, help="e.g. second-hand sale, gift, wrong customer.")

    def action_confirm(self):
        self.card_ids._transfer(self.partner_id, self.reason, date=self.date)
        return {"type": "ir.actions.act_window_close"}
