"""The warranty cards a delivery issued, one click away from the picking (R-WAR-7)."""

from collections import defaultdict

from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    aftersales_warranty_card_count = fields.Integer(
        "Warranty Cards", compute="_compute_aftersales_warranty_card_count"
    )

    def _aftersales_warranty_card_domain(self):
        return [("move_id.picking_id", "in", self.ids)]

    def _compute_aftersales_warranty_card_count(self):
        # Warehouse users need no after-sales rights to see how many cards were issued.
        cards = (
            self.env["aftersales.warranty.card"]
            .sudo()
            .search(self._aftersales_warranty_card_domain())
        )
        counts = defaultdict(int)
        for card in cards:
            counts[card.move_id.picking_id.id] += 1
        for picking in self:
            picking.aftersales_warranty_card_count = counts[picking.id]

    def action_view_aftersales_warranty_cards(self):
        cards = self.env["aftersales.warranty.card"].search(self._aftersales_warranty_card_domain())
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_warranty.aftersales_warranty_card_action"
        )
        if len(cards) == 1:
            action.update(view_mode="form", views=[(False, "form")], res_id=cards.id)
        else:
            action.update(domain=[("id", "in", cards.ids)], context={})
        return action
