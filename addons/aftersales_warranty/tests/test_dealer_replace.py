from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import WarrantyCase


@tagged("post_install", "-at_install")
class TestDealerReplace(WarrantyCase):
    """A device at a dealer that cannot be sold as new is replaced as a return (R-WAR-8)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.replacer = cls._user(
            "wr_dealer_replacer",
            "aftersales_base.group_aftersales_manager,stock.group_stock_user",
        )
        cls.old_lot, cls.new_lot, cls.sold_lot = cls._lots(
            cls.air_conditioner, "DR-OLD", "DR-NEW", "DR-SOLD"
        )
        cls._stock(cls.old_lot | cls.new_lot | cls.sold_lot)
        with freeze_time("2025-02-01"):
            cls.delivery_to_dealer = cls._deliver(cls.dealer, cls.old_lot)
            cls._deliver(cls.customer, cls.sold_lot)
        cls.card = cls.Card.search([("lot_id", "=", cls.old_lot.id)])

    @classmethod
    def _stock(cls, lots):
        for lot in lots:
            cls.env["stock.quant"]._update_available_quantity(
                lot.product_id, cls.stock_location, 1, lot_id=lot
            )

    @classmethod
    def _deliver(cls, partner, lots):
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": cls.warehouse.out_type_id.id,
                "partner_id": partner.id,
                "location_id": cls.stock_location.id,
                "location_dest_id": cls.customers.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": lots.product_id.name,
                            "product_id": lots.product_id.id,
                            "product_uom_qty": len(lots),
                            "product_uom": lots.product_id.uom_id.id,
                            "location_id": cls.stock_location.id,
                            "location_dest_id": cls.customers.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_line_ids.unlink()
        for lot in lots:
            cls.env["stock.move.line"].create(
                {
                    "move_id": picking.move_ids.id,
                    "picking_id": picking.id,
                    "product_id": lot.product_id.id,
                    "lot_id": lot.id,
                    "quantity": 1,
                    "location_id": cls.stock_location.id,
                    "location_dest_id": cls.customers.id,
                }
            )
        cls._validate(picking)
        return picking

    @staticmethod
    def _validate(picking):
        picking.move_ids.picked = True
        picking.button_validate()
        assert picking.state == "done", picking.state

    def _qty(self, lot, location):
        return sum(
            self.env["stock.quant"]
            .search([("lot_id", "=", lot.id), ("location_id", "=", location.id)])
            .mapped("quantity")
        )

    def _replace(self, new_lot, card=None, reason="Repaired at the dealer"):
        wizard = (
            self.env["aftersales.warranty.dealer.replace"]
            .with_user(self.replacer)
            .create({"card_id": (card or self.card).id, "new_lot_id": new_lot.id, "reason": reason})
        )
        return wizard.action_confirm()

    def test_replace_as_return(self):
        card = self.card
        self.assertEqual((card.state, card.dealer_id), ("dealer", self.dealer))
        self.assertEqual(card.dealer_date, date(2025, 2, 1))
        wizard = (
            self.env["aftersales.warranty.dealer.replace"]
            .with_user(self.replacer)
            .create({"card_id": card.id, "new_lot_id": self.new_lot.id, "reason": "Scratched"})
        )
        self.assertIn(self.new_lot, wizard.available_lot_ids)
        self.assertNotIn(self.sold_lot, wizard.available_lot_ids, "not in stock, carded")
        with freeze_time("2025-03-01"):
            action = wizard.action_confirm()
        new_card = self.Card.browse(action["res_id"])
        # the warranty moved to the new serial, still at the dealer with its dates
        self.assertEqual(card.state, "replaced")
        self.assertEqual(card.replaced_by_id, new_card)
        self.assertEqual(new_card.replacement_of_id, card)
        self.assertEqual(new_card.lot_id, self.new_lot)
        self.assertEqual(
            (new_card.state, new_card.dealer_id, new_card.partner_id),
            ("dealer", self.dealer, self.env["res.partner"]),
        )
        self.assertEqual(new_card.dealer_date, date(2025, 2, 1))
        self.assertEqual(new_card.dealer_deadline, card.dealer_deadline)
        self.assertEqual(self._last_event(card).event_type, "replace")
        # the two stock documents, confirmed with their serials
        pickings = self.env["stock.picking"].search(
            [("origin", "ilike", card.name), ("partner_id", "=", self.dealer.id)], order="id"
        )
        receipt, delivery = pickings
        self.assertIn(receipt.name, self._last_event(card).reason)
        self.assertIn(delivery.name, self._last_event(card).reason)
        self.assertEqual(receipt.picking_type_id, self.warehouse.in_type_id)
        self.assertEqual(receipt.location_id, self.customers)
        self.assertEqual(receipt.location_dest_id, self.stock_location)
        self.assertEqual(receipt.state, "assigned")
        self.assertEqual(receipt.move_line_ids.lot_id, self.old_lot)
        self.assertEqual(receipt.move_line_ids.location_id, self.customers)
        self.assertEqual(receipt.move_line_ids.quantity, 1)
        self.assertEqual(delivery.picking_type_id, self.warehouse.out_type_id)
        self.assertEqual(delivery.location_id, self.stock_location)
        self.assertEqual(delivery.location_dest_id, self.customers)
        self.assertEqual(delivery.state, "assigned")
        self.assertEqual(delivery.move_line_ids.lot_id, self.new_lot)
        self.assertEqual(delivery.move_line_ids.quantity, 1)
        # the warehouse validates both later: no second card, one card per serial
        with freeze_time("2025-03-02"):
            self._validate(receipt)
            self._validate(delivery)
        self.assertEqual(self._qty(self.old_lot, self.stock_location), 1, "back in stock")
        self.assertEqual(self._qty(self.new_lot, self.customers), 1, "at the dealer")
        cards = self.Card.search([("lot_id", "in", (self.old_lot | self.new_lot).ids)])
        self.assertEqual(cards, card | new_card)
        self.assertEqual(new_card.state, "dealer")
        self.assertEqual(new_card.dealer_date, date(2025, 2, 1), "the delivery changed nothing")
        self.assertEqual(card.state, "replaced")

    def test_returned_device_sold_again_gets_a_new_card(self):
        self._replace(self.new_lot)
        receipt = self.env["stock.picking"].search(
            [("picking_type_id", "=", self.warehouse.in_type_id.id), ("origin", "ilike", "DR-OLD")]
        )
        self._validate(receipt)
        # refurbished and sold: the old card is history, the serial gets a card again
        self._deliver(self.customer, self.old_lot)
        cards = self.Card.search([("lot_id", "=", self.old_lot.id)], order="id")
        self.assertEqual(cards.mapped("state"), ["replaced", "draft"])

    def test_refused(self):
        sold_card = self.Card.search([("lot_id", "=", self.sold_lot.id)])
        self.assertEqual(sold_card.state, "draft", "waits for its installation")
        with self.assertRaisesRegex(UserError, "not in its dealer period"):
            self._replace(self.new_lot, card=sold_card)
        other_product = self._lots(self.heater, "DR-HEATER")
        self._stock(other_product)
        with self.assertRaisesRegex(UserError, "must be a W Air Conditioner"):
            self._replace(other_product)
        # a serial already carded (sold to a customer, and back in stock by mistake)
        self._stock(self.sold_lot)
        with self.assertRaisesRegex(UserError, "DR-SOLD already has warranty card"):
            self._replace(self.sold_lot)
        not_in_stock = self._lots(self.air_conditioner, "DR-NOSTOCK")
        with self.assertRaisesRegex(UserError, "DR-NOSTOCK is not available in the stock"):
            self._replace(not_in_stock)
        self.assertEqual(self.card.state, "dealer", "nothing changed")
        self.assertFalse(
            self.env["stock.picking"].search([("origin", "ilike", self.card.name)]),
            "no stock document left behind",
        )

    def test_needs_an_after_sales_manager(self):
        wizard = (
            self.env["aftersales.warranty.dealer.replace"]
            .with_user(self.replacer)
            .create({"card_id": self.card.id, "new_lot_id": self.new_lot.id, "reason": "x"})
        )
        with self.assertRaisesRegex(AccessError, "Only an after-sales manager may replace"):
            self.card.with_user(self.operator)._replace_as_return(self.new_lot, "x")
        self.assertTrue(wizard.exists())
        self.assertEqual(self.card.state, "dealer")
