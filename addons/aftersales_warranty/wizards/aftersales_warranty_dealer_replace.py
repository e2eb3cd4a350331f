"""Replace a device at a dealer as a return (R-WAR-8)."""

from odoo import api, fields, models


class AftersalesWarrantyDealerReplace(models.TransientModel):
    _name = "aftersales.warranty.dealer.replace"
    _description = "Replace a Device at a Dealer as a Return"

    card_id = fields.Many2one("aftersales.warranty.card", required=True, readonly=True)
    product_id = fields.Many2one(related="card_id.product_id")
    dealer_id = fields.Many2one(related="card_id.dealer_id")
    old_lot_id = fields.Many2one(related="card_id.lot_id", string="Returned Serial")
    new_lot_id = fields.Many2one(
        "stock.lot",
        string="New Serial",
        required=True,
        domain="[('product_id', '=', product_id), ('id', 'in', available_lot_ids)]",
        help="A serial of the same product, in stock and without warranty card.",
    )
    available_lot_ids = fields.Many2many("stock.lot", compute="_compute_available_lot_ids")
    reason = fields.Text(
        required=True, help="e.g. repaired at the dealer, can no longer be sold as new."
    )

    @api.depends("card_id")
    def _compute_available_lot_ids(self):
        for wizard in self:
            card = wizard.card_id
            quants = self.env["stock.quant"].search(
                [
                    ("product_id", "=", card.product_id.id),
                    ("lot_id", "!=", False),
                    ("location_id.usage", "=", "internal"),
                    ("company_id", "=", card.company_id.id),
                    ("quantity", ">", 0),
                ]
            )
            lots = quants.filtered(lambda q: q.quantity > q.reserved_quantity).lot_id
            carded = (
                self.env["aftersales.warranty.card"]
                .sudo()
                .search([("lot_id", "in", lots.ids), ("state", "!=", "replaced")])
                .lot_id
            )
            wizard.available_lot_ids = lots - carded

    def action_confirm(self):
        self.ensure_one()
        new_card, _receipt, _delivery = self.card_id._replace_as_return(
            self.new_lot_id, self.reason
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.warranty.card",
            "res_id": new_card.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
