from datetime import date

from odoo import Command, fields
from odoo.tests import tagged

from .common import WarrantyCase


@tagged("post_install", "-at_install")
class TestDelivery(WarrantyCase):
    """Cards are issued when deliveries of serials are validated (R-WAR-7)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.customers = cls.env.ref("stock.stock_location_customers")

    def _stock(self, lots):
        for lot in lots:
            self.env["stock.quant"]._update_available_quantity(
                lot.product_id, self.stock_location, 1, lot_id=lot
            )

    def _deliver(self, partner, lots, user=None):
        """An outgoing picking of ``lots`` to ``partner``, reserved and validated."""
        self._stock(lots)
        env = self.env(user=user) if user else self.env
        picking = env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "partner_id": partner.id,
                "location_id": self.stock_location.id,
                "location_dest_id": self.customers.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": len(product_lots),
                            "product_uom": product.uom_id.id,
                            "location_id": self.stock_location.id,
                            "location_dest_id": self.customers.id,
                        }
                    )
                    for product, product_lots in lots.grouped("product_id").items()
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        self.assertEqual(picking.move_line_ids.lot_id, lots, "the move lines name the serials")
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        return picking

    def test_delivery_to_a_customer_starts_the_warranty(self):
        lots = self._lots(self.heater, "DL-1", "DL-2", "DL-3")
        kettle = self._lots(self.no_policy, "DL-K")
        picking = self._deliver(self.customer, lots | kettle)
        cards = self.Card.search([("lot_id", "in", (lots | kettle).ids)])
        self.assertEqual(cards.lot_id, lots, "no card for a product without policy")
        today = fields.Date.context_today(self.Card)
        for card in cards:
            self.assertEqual(card.state, "active")
            self.assertEqual(card.start_date, today)
            self.assertEqual(card.partner_id, self.customer)
            self.assertEqual(card.origin, picking.name)
            self.assertIn(card.move_id, picking.move_ids)
        self.assertEqual(
            lots[0].aftersales_warranty_card_id, cards.filtered(lambda c: c.lot_id == lots[0])
        )

    def test_delivery_to_a_contact_of_a_dealer(self):
        shop = self.env["res.partner"].create(
            {"name": "Dealer Shop Isfahan", "parent_id": self.dealer.id, "type": "delivery"}
        )
        lots = self._lots(self.air_conditioner, "DD-1", "DD-2")
        self._deliver(shop, lots)
        cards = self.Card.search([("lot_id", "in", lots.ids)])
        self.assertEqual(set(cards.mapped("state")), {"dealer"})
        self.assertEqual(cards.dealer_id, self.dealer)
        self.assertFalse(cards.partner_id)
        today = fields.Date.context_today(self.Card)
        self.assertEqual(cards[0].dealer_date, today)
        self.assertTrue(cards[0].dealer_deadline > today)

    def test_installation_policy_waits(self):
        lot = self._lots(self.air_conditioner, "DW-1")
        self._deliver(self.customer, lot)
        card = lot.aftersales_warranty_card_ids
        self.assertEqual(card.state, "draft")
        self.assertFalse(card.start_date)

    def test_warehouse_user_without_after_sales_rights(self):
        lot = self._lots(self.heater, "WU-1")
        self._deliver(self.customer, lot, user=self.stock_user)
        card = self.Card.search([("lot_id", "=", lot.id)])
        self.assertEqual(card.state, "active")
        self.assertEqual(card.event_ids.user_id, self.stock_user)

    def test_device_delivered_again_keeps_its_card(self):
        lot = self._lots(self.heater, "AG-1")
        self._deliver(self.customer, lot)
        first = self.Card.search([("lot_id", "=", lot.id)])
        # back in stock (a return), then delivered to someone else: never blocked
        self.env["stock.quant"]._update_available_quantity(
            lot.product_id, self.customers, -1, lot_id=lot
        )
        other = self.env["res.partner"].create({"name": "Other Customer"})
        self._deliver(other, lot)
        self.assertEqual(self.Card.search([("lot_id", "=", lot.id)]), first)
        self.assertEqual(first.partner_id, self.customer)


@tagged("post_install", "-at_install")
class TestInvoiceStart(WarrantyCase):
    """Warranties that start at the invoice date, through sales (sale_stock)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", cls.company.id)], limit=1
        ):
            cls.env["account.chart.template"].try_loading(
                "generic_coa", company=cls.company, install_demo=False
            )
        cls.stock_location = (
            cls.env["stock.warehouse"]
            .search([("company_id", "=", cls.company.id)], limit=1)
            .lot_stock_id
        )

    def _sell(self, product, quantity):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": quantity})
                ],
            }
        )
        order.action_confirm()
        return order

    def _ship(self, order, lots):
        for lot in lots:
            self.env["stock.quant"]._update_available_quantity(
                lot.product_id, self.stock_location, 1, lot_id=lot
            )
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def _invoice(self, order, day, quantity=None):
        invoice = order._create_invoices()
        if quantity is not None:
            invoice.invoice_line_ids.quantity = quantity
        invoice.invoice_date = day
        invoice.action_post()
        return invoice

    def test_invoice_after_delivery_starts_cards_first_delivered_first(self):
        self.washer.invoice_policy = "delivery"
        order = self._sell(self.washer, 3)
        lots = self._lots(self.washer, "IV-1", "IV-2", "IV-3")
        self._ship(order, lots)
        cards = self.Card.search([("lot_id", "in", lots.ids)], order="id")
        self.assertEqual(set(cards.mapped("state")), {"draft"})
        self._invoice(order, date(2025, 5, 5), quantity=1)
        started = cards.filtered(lambda c: c.state == "active")
        self.assertEqual(len(started), 1, "one card per invoiced unit")
        self.assertEqual(started.start_date, date(2025, 5, 5))
        self.assertEqual(started.activation_source, "invoice")
        self._invoice(order, date(2025, 6, 1))
        self.assertEqual(set(cards.mapped("state")), {"active"})
        self.assertEqual(
            sorted(cards.mapped("start_date")),
            [date(2025, 5, 5), date(2025, 6, 1), date(2025, 6, 1)],
        )

    def test_invoice_before_delivery(self):
        self.washer.invoice_policy = "order"
        order = self._sell(self.washer, 2)
        self._invoice(order, date(2025, 4, 1))
        lots = self._lots(self.washer, "IB-1", "IB-2")
        self._ship(order, lots)
        cards = self.Card.search([("lot_id", "in", lots.ids)])
        self.assertEqual(len(cards), 2)
        self.assertEqual(set(cards.mapped("start_date")), {date(2025, 4, 1)})
        self.assertEqual(set(cards.mapped("activation_source")), {"invoice"})
