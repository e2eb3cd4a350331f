"""The warranty rules added with the sales, ledger and periodic-service pieces, sent over
XML-RPC (``execute_kw``) with only the keys a client sends: refused with the user's
message, and nothing written by the refused call."""

import xmlrpc.client

from odoo.tests import HttpCase, new_test_user, tagged

from .common import WarrantyCase


@tagged("post_install", "-at_install")
class TestWarrantyApiRules(WarrantyCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env,
            login="wapi_sales",
            password="wapi_sales",
            groups="sales_team.group_sale_salesman",
        )
        cls.admin_user = new_test_user(
            cls.env,
            login="wapi_admin",
            password="wapi_admin",
            groups="base.group_system,aftersales_base.group_aftersales_manager",
        )
        cls.extension = cls.env["product.product"].create(
            {"name": "W 12-month extension", "type": "service", "aftersales_extension_months": 12}
        )
        [cls.lot] = cls._lots(cls.heater, "API-EXT-1")
        cls.card = cls._issue(cls.lot, partner=cls.customer)

    def rpc(self, user, model, method, args, kwargs=None):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, user.login, model, method, args, kwargs or {}
        )

    def assertRefused(self, text, user, model, method, args):
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.rpc(user, model, method, args)
        self.assertIn(text, caught.exception.faultString)

    def _order_args(self, **line):
        return [
            {
                "partner_id": self.customer.id,
                # (0, 0, values): the create command as an XML-RPC client writes it
                "order_line": [
                    (0, 0, {"product_id": self.extension.id, "product_uom_qty": 1, **line})
                ],
            }
        ]

    def test_extension_line_without_device_or_on_a_voided_card(self):
        Order = self.env["sale.order"]
        before = Order.search_count([])
        self.assertRefused(
            "name the device on the line", self.salesman, "sale.order", "create", self._order_args()
        )
        self.card.with_user(self.manager)._void(self._void_reason())
        self.assertRefused(
            "its warranty cannot be extended",
            self.salesman,
            "sale.order",
            "create",
            self._order_args(aftersales_card_id=self.card.id),
        )
        self.assertEqual(Order.search_count([]), before, "no order left by a refused call")

    def test_extension_line_accepted_by_serial(self):
        order_id = self.rpc(
            self.salesman, "sale.order", "create", self._order_args(aftersales_serial="api-ext-1")
        )
        self.assertEqual(
            self.env["sale.order"].browse(order_id).order_line.aftersales_card_id, self.card
        )

    def test_provision_enabled_without_accounts(self):
        self.assertRefused(
            "cannot be enabled without",
            self.admin_user,
            "res.company",
            "write",
            [[self.company.id], {"aftersales_provision_enabled": True}],
        )
        self.assertFalse(self.company.aftersales_provision_enabled)

    def test_product_plan_without_product(self):
        Plan = self.env["aftersales.warranty.service.plan"]
        self.assertRefused(
            "set its product",
            self.manager,
            "aftersales.warranty.service.plan",
            "create",
            [{"name": "API plan"}],
        )
        self.assertFalse(Plan.search([("name", "=", "API plan")]))

    def test_cards_created_with_the_keys_a_client_sends(self):
        """An integration creates cards with the serial and the customer only: the card is
        numbered, dated and started by its policy; a bad batch is refused whole."""
        Card = self.env["aftersales.warranty.card"]
        good, second = self._lots(self.heater, "API-C-1", "API-C-2")
        [kettle] = self._lots(self.no_policy, "API-K-1")
        [other] = self._lots(self.air_conditioner, "API-AC-1")
        before = Card.search_count([])
        for text, vals_list in (
            ("W Kettle has no warranty policy", [{"lot_id": kettle.id}]),
            ("already has warranty card", [{"lot_id": good.id}, {"lot_id": self.lot.id}]),
            (
                "belongs to W Air Conditioner, not to W Heater",
                [{"lot_id": good.id}, {"lot_id": other.id, "product_id": self.heater.id}],
            ),
            ("appears twice in this batch", [{"lot_id": good.id}, {"lot_id": good.id}]),
        ):
            self.assertRefused(
                text, self.operator, "aftersales.warranty.card", "create", [vals_list]
            )
        self.assertEqual(Card.search_count([]), before, "no card left by a refused call")
        ids = self.rpc(
            self.operator,
            "aftersales.warranty.card",
            "create",
            [[{"lot_id": lot.id, "partner_id": self.customer.id} for lot in (good, second)]],
        )
        cards = Card.browse(ids)
        self.assertEqual(cards.lot_id, good | second)
        self.assertEqual(cards.mapped("state"), ["active", "active"])
        self.assertTrue(all(card.name.startswith("WC") and card.end_date for card in cards))
        self.assertEqual(cards.create_uid, self.operator)
        self.assertEqual(cards.event_ids.mapped("event_type"), ["issue", "issue"])

    def _void_reason(self):
        reason = self.env["aftersales.warranty.void.reason"].create(
            {"code": "T-API-VOID", "name": "API void"}
        )
        self.policy_delivery.void_reason_ids = reason
        return reason
