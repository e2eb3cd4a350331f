"""Warranty cards and their after-sale services: the periodic-service visits of the card
(R-WAR-11) and the replacement of a device at a dealer as a return (R-WAR-8).

Kept apart from ``aftersales_warranty_card.py`` (the card's core) so that the services
built on the card stay in their own file.
"""

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

OPERATOR = "aftersales_base.group_aftersales_operator"


class AftersalesWarrantyCard(models.Model):
    _inherit = "aftersales.warranty.card"

    periodic_visit_ids = fields.One2many(
        "aftersales.warranty.service.visit",
        "card_id",
        string="Periodic Service Visits",
        groups=OPERATOR,
    )
    periodic_visit_count = fields.Integer(
        "Periodic Visits", compute="_compute_periodic_visit_count", groups=OPERATOR
    )

    @api.depends("periodic_visit_ids")
    def _compute_periodic_visit_count(self):
        counts = dict(
            self.env["aftersales.warranty.service.visit"]._read_group(
                [("card_id", "in", self.ids)], ["card_id"], ["__count"]
            )
        )
        for card in self:
            card.periodic_visit_count = counts.get(card, 0)

    def action_view_periodic_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_warranty.aftersales_warranty_service_visit_action"
        )
        action["domain"] = [("card_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_open_dealer_replace_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Replace as Return"),
            "res_model": "aftersales.warranty.dealer.replace",
            "view_mode": "form",
            "target": "new",
            "context": {"default_card_id": self.id},
        }

    # ------------------------------------------------------------------
    # Dealer pre-sale service (R-WAR-8)
    # ------------------------------------------------------------------

    def _replace_as_return(self, new_lot, reason):
        """A device at the dealer that can no longer be sold as new goes back to the
        company's stock and the dealer gets ``new_lot`` (same product, in stock).

        Creates and confirms the return of the dealer's serial (the warehouse's receipt
        type) and the delivery of the new serial to the dealer, each with its serial on
        its move line, and moves the warranty to the new serial (``_replace``): the new
        card stays in its dealer period for the same dealer and dates. Validating the
        delivery later issues no second card (the serial has one). Returns ``(new card,
        return picking, delivery)``.
        """
        self.ensure_one()
        self._check_manager(self.env._("replace"))
        quant = self._check_return_replacement(new_lot)
        company = self.company_id
        warehouse = quant.location_id.warehouse_id or self.env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        dealer = self.dealer_id
        dealer_location = dealer.with_company(company).property_stock_customer or self.env.ref(
            "stock.stock_location_customers"
        )
        stock_location = warehouse.in_type_id.default_location_dest_id or warehouse.lot_stock_id
        origin = self.env._(
            "Replacement of %(old)s by %(new)s (card %(card)s)",
            old=self.lot_id.name,
            new=new_lot.name,
            card=self.name,
        )
        Picking = self.env["stock.picking"].with_company(company)
        pickings = Picking.create(
            [
                self._replacement_picking_vals(
                    warehouse.in_type_id, dealer_location, stock_location, origin
                ),
                self._replacement_picking_vals(
                    warehouse.out_type_id, quant.location_id, dealer_location, origin
                ),
            ]
        )
        receipt, delivery = pickings
        pickings.action_confirm()
        self._set_move_serial(receipt.move_ids, self.lot_id, dealer_location)
        self._set_move_serial(delivery.move_ids, new_lot, quant.location_id)
        new_card = self._replace(
            new_lot,
            self.env._(
                "%(reason)s (return %(receipt)s, delivery %(delivery)s)",
                reason=reason,
                receipt=receipt.name,
                delivery=delivery.name,
            ),
        )
        return new_card, receipt, delivery

    def _check_return_replacement(self, new_lot):
        """The stock quant of ``new_lot`` the replacement leaves from; ``UserError``
        when the card or the serial does not allow a replacement as a return."""
        self.ensure_one()
        if self.state != "dealer":
            raise UserError(
                self.env._(
                    "Card %(card)s is not in its dealer period (%(state)s): only a device still "
                    "at the dealer is replaced as a return.",
                    card=self.name,
                    state=self._state_label(),
                )
            )
        if not new_lot or new_lot.product_id != self.product_id:
            raise UserError(
                self.env._(
                    "The new serial must be a %(product)s, as the device it replaces.",
                    product=self.product_id.display_name,
                )
            )
        if new_lot == self.lot_id:
            raise UserError(self.env._("Choose another serial than the one being returned."))
        carded = self.sudo().search(
            [("lot_id", "=", new_lot.id), ("state", "!=", "replaced")], limit=1
        )
        if carded:
            raise UserError(
                self.env._(
                    "Serial %(serial)s already has warranty card %(card)s: choose a serial "
                    "that has not been sold.",
                    serial=new_lot.name,
                    card=carded.name,
                )
            )
        quants = self.env["stock.quant"].search(
            [
                ("lot_id", "=", new_lot.id),
                ("location_id.usage", "=", "internal"),
                ("company_id", "=", self.company_id.id),
                ("quantity", ">", 0),
            ]
        )
        quant = quants.filtered(lambda q: q.quantity - q.reserved_quantity > 0)[:1]
        if not quant:
            raise UserError(
                self.env._(
                    "Serial %(serial)s is not available in the stock of %(company)s.",
                    serial=new_lot.name,
                    company=self.company_id.name,
                )
            )
        return quant

    def _replacement_picking_vals(self, picking_type, source, destination, origin):
        product = self.product_id
        return {
            "picking_type_id": picking_type.id,
            "partner_id": self.dealer_id.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "origin": origin,
            "company_id": self.company_id.id,
            "move_ids": [
                Command.create(
                    {
                        "name": product.display_name,
                        "product_id": product.id,
                        "product_uom_qty": 1,
                        "product_uom": product.uom_id.id,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                        "company_id": self.company_id.id,
                    }
                )
            ],
        }

    @api.model
    def _set_move_serial(self, move, lot, location):
        """Reserve exactly ``lot`` on ``move``: the lines the confirmation proposed (any
        serial, or none) are replaced by one line of the chosen serial."""
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "picking_id": move.picking_id.id,
                "product_id": move.product_id.id,
                "product_uom_id": move.product_uom.id,
                "lot_id": lot.id,
                "quantity": 1,
                "location_id": location.id,
                "location_dest_id": move.location_dest_id.id,
            }
        )
