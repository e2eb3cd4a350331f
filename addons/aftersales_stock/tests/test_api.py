"""Part requests and cores over XML-RPC (``execute_kw``) with only the keys a client
sends: refused with the user's message, nothing written by a refused call."""

import xmlrpc.client

from odoo.tests import HttpCase, new_test_user, tagged

from .common import StockCase


@tagged("post_install", "-at_install")
class TestStockApi(StockCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_operator = new_test_user(
            cls.env,
            login="stkapi_operator",
            password="stkapi_operator",
            groups="aftersales_base.group_aftersales_operator",
        )
        cls.api_keeper = new_test_user(
            cls.env,
            login="stkapi_keeper",
            password="stkapi_keeper",
            groups="stock.group_stock_user",
        )

    def rpc(self, user, model, method, args, kwargs=None):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, user.login, model, method, args, kwargs or {}
        )

    def assertRefused(self, text, user, model, method, args):
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.rpc(user, model, method, args)
        self.assertIn(text, caught.exception.faultString)

    def _requests(self):
        return self.env["aftersales.part.request"].search([("agent_id", "=", self.agent_a.id)])

    def test_consignment_request_rules(self):
        line = {"product_id": self.hv_part.id, "quantity": 1}
        self.assertRefused(
            "is a high-value part",
            self.api_operator,
            "aftersales.part.request",
            "create",
            [
                {
                    "request_type": "consignment",
                    "agent_id": self.agent_a.id,
                    "line_ids": [(0, 0, line)],
                }
            ],
        )
        self.assertRefused(
            "not a whole number",
            self.api_operator,
            "aftersales.part.request",
            "create",
            [
                {
                    "request_type": "consignment",
                    "agent_id": self.agent_a.id,
                    "line_ids": [(0, 0, {"product_id": self.cons_part.id, "quantity": 0.5})],
                }
            ],
        )
        self.assertFalse(self._requests())
        request_id = self.rpc(
            self.api_operator,
            "aftersales.part.request",
            "create",
            [
                {
                    "request_type": "consignment",
                    "agent_id": self.agent_a.id,
                    "line_ids": [(0, 0, {"product_id": self.cons_part.id, "quantity": 2})],
                }
            ],
        )
        self.rpc(self.api_operator, "aftersales.part.request", "action_submit", [[request_id]])
        # The operator may not approve: no transfer made.
        self.assertRefused(
            "Only a warehouse manager or an after-sales manager",
            self.api_operator,
            "aftersales.part.request",
            "action_approve",
            [[request_id]],
        )
        request = self.env["aftersales.part.request"].browse(request_id)
        self.assertEqual(request.state, "submitted")
        self.assertFalse(request.picking_ids)
        self.assertEqual(request.line_ids.price_unit, 240000)

    def test_core_received_once(self):
        report = self._approved_with_parts([(self.core_part, 1, {})])
        core = report.aftersales_core_ids
        self.rpc(self.api_keeper, "aftersales.core", "action_receive", [core.ids])
        self.assertRefused(
            "were already received",
            self.api_keeper,
            "aftersales.core",
            "action_receive",
            [core.ids],
        )
        moves = self.env["stock.move"].search([("aftersales_core_id", "=", core.id)])
        self.assertEqual(len(moves), 1)
        self.assertEqual(self._qty(self.core_part, self.cores_location), 1)
        # An operator cannot receive cores.
        self.assertRefused(
            "Only the warehouse", self.api_operator, "aftersales.core", "action_accept", [core.ids]
        )
        self.assertEqual(core.state, "received")
