from odoo import api, fields, models

from ..models.aftersales_warranty_card import WARRANTY_STATUSES


class AftersalesWarrantyCheck(models.TransientModel):
    """The warranty desk's "is this serial under warranty?" screen (R-WAR-5)."""

    _name = "aftersales.warranty.check"
    _description = "Warranty Check"

    serial = fields.Char(required=True, help="In any spelling: case, spaces, Persian digits.")
    date = fields.Date(required=True, default=fields.Date.context_today)
    status = fields.Selection(WARRANTY_STATUSES, compute="_compute_result")
    reason = fields.Char(compute="_compute_result")
    card_id = fields.Many2one("aftersales.warranty.card", compute="_compute_result")
    product_id = fields.Many2one(related="card_id.product_id")
    partner_id = fields.Many2one(related="card_id.partner_id")
    end_date = fields.Date(compute="_compute_result", string="Warranty End")

    @api.depends("serial", "date")
    def _compute_result(self):
        Card = self.env["aftersales.warranty.card"]
        for wizard in self:
            if not wizard.serial:
                wizard.update(
                    {"status": False, "reason": False, "card_id": False, "end_date": False}
                )
                continue
            result = Card._check_warranty(wizard.serial, date=wizard.date)
            wizard.status = result.status
            wizard.reason = result.reason
            wizard.card_id = result.card
            wizard.end_date = result.end_date

    def action_open_card(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.warranty.card",
            "res_id": self.card_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
