from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import WarrantyCase


@tagged("post_install", "-at_install")
class TestWarrantySecurity(WarrantyCase):
    def test_roles(self):
        card = self._issue(self._lots(self.heater, "SEC-1"), partner=self.customer)
        # technicians read cards, their history and the serials
        self.assertTrue(card.with_user(self.technician).event_ids)
        self.assertEqual(card.lot_id.with_user(self.technician).name, "SEC-1")
        with self.assertRaises(AccessError):
            card.with_user(self.technician).sudo(False).verification_token  # noqa: B018
        # warehouse users validating deliveries do not read the warranty desk
        with self.assertRaises(AccessError):
            card.with_user(self.stock_user).read(["name"])
        # wizards follow the desk's rights
        for model, user in (
            ("aftersales.warranty.void", self.operator),
            ("aftersales.warranty.extend", self.operator),
            ("aftersales.warranty.transfer", self.technician),
        ):
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(user).create({"card_ids": card.ids})
        # the history is written by the card's actions only
        with self.assertRaises(AccessError):
            card.event_ids.with_user(self.manager).write({"reason": "edited"})
        with self.assertRaises(AccessError):
            self.env["aftersales.warranty.card.event"].with_user(self.manager).create(
                {"card_id": card.id, "event_type": "void"}
            )

    def test_multi_company_isolation(self):
        other_company = self.env["res.company"].create(
            {"name": "W Other Co", "country_id": self.env.ref("base.ir").id}
        )
        other_operator = self._user(
            "wr_other_operator",
            "aftersales_base.group_aftersales_operator",
            company_id=other_company.id,
            company_ids=[other_company.id],
        )
        self.policy_delivery.company_id = False  # shared by both companies
        lot = self.env["stock.lot"].create(
            {"name": "MC-1", "product_id": self.heater.id, "company_id": other_company.id}
        )
        foreign = self._issue(lot, partner=self.customer)
        self.assertEqual(foreign.company_id, other_company)
        mine = self._issue(self._lots(self.heater, "MC-2"), partner=self.customer)
        Card = self.env["aftersales.warranty.card"]
        self.assertEqual(
            Card.with_user(self.operator).search([("id", "in", (foreign | mine).ids)]), mine
        )
        self.assertEqual(
            Card.with_user(other_operator).search([("id", "in", (foreign | mine).ids)]), foreign
        )
        with self.assertRaises(AccessError):
            foreign.with_user(self.operator).read(["name"])
        with self.assertRaises(AccessError):
            foreign.event_ids.with_user(self.operator).read(["event_type"])
        self.assertEqual(
            Card.with_user(self.operator)._check_warranty("MC-1").status, "unknown_serial"
        )
