from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import WarrantyCase


@tagged("post_install", "-at_install")
class TestPolicy(WarrantyCase):
    def test_policy_without_duration_refused(self):
        Policy = self.env["aftersales.warranty.policy"].with_user(self.manager)
        for vals in ({"duration_months": 0}, {}, {"duration_months": -3}):
            with self.assertRaisesRegex(ValidationError, "has no duration"):
                Policy.create(dict({"name": "No length", "code": "NOLEN"}, **vals))
        self.assertFalse(Policy.search([("code", "=", "NOLEN")]))
        with self.assertRaisesRegex(ValidationError, "has no duration"):
            self.policy_delivery.with_user(self.manager).duration_months = 0
        self.assertEqual(self.policy_delivery.duration_months, 12)
        with self.assertRaisesRegex(ValidationError, "dealer period cannot be negative"):
            self.policy_delivery.with_user(self.manager).dealer_months = -1

    def test_only_managers_configure_policies(self):
        with self.assertRaises(AccessError):
            self.env["aftersales.warranty.policy"].with_user(self.operator).create(
                {"name": "Op policy", "code": "OP", "duration_months": 6}
            )
        # everyone reads them (product forms, sales)
        self.assertEqual(self.policy_delivery.with_user(self.technician).duration_months, 12)

    def test_product_policy_wins_over_category_and_parents(self):
        sub = self.env["product.category"].create(
            {"name": "W Wall Heaters", "parent_id": self.categ_heaters.id}
        )
        inherited = self._product("W Wall Heater", sub)
        own = self._product("W Special Heater", sub, policy=self.policy_install)
        without = self._product("W Plain Heater", self.categ_plain)
        templates = (inherited | own | without | self.heater).product_tmpl_id
        policies = templates._aftersales_warranty_policies()
        self.assertEqual(policies[inherited.product_tmpl_id], self.policy_delivery)
        self.assertEqual(policies[own.product_tmpl_id], self.policy_install)
        self.assertFalse(policies[without.product_tmpl_id])
        self.assertEqual(self.heater.aftersales_effective_policy_id, self.policy_delivery)
        # a policy on the sub-category beats its parent's
        sub.aftersales_warranty_policy_id = self.policy_register
        self.assertEqual(
            inherited.product_tmpl_id._aftersales_warranty_policies()[inherited.product_tmpl_id],
            self.policy_register,
        )

    def test_goods_without_after_sales_service(self):
        kettle = self._product("W Service-less Kettle", self.categ_heaters)
        kettle.aftersales_no_service = True
        self.assertFalse(kettle.aftersales_effective_policy_id, "the category policy is ignored")
        with self.assertRaisesRegex(ValidationError, "without after-sales service"):
            kettle.aftersales_warranty_policy_id = self.policy_delivery
        with self.assertRaisesRegex(ValidationError, "without after-sales service"):
            kettle.aftersales_service_promise_ids = [
                Command.create({"service": "installation", "charge": "free"})
            ]

    def test_promised_services_once_each(self):
        template = self.air_conditioner.product_tmpl_id
        template.aftersales_service_promise_ids = [
            Command.create({"service": "installation", "charge": "free"}),
            Command.create({"service": "periodic_service", "charge": "paid", "note": "Yearly"}),
        ]
        self.assertEqual(
            sorted(template.aftersales_service_promise_ids.mapped("charge")), ["free", "paid"]
        )
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            template.aftersales_service_promise_ids = [
                Command.create({"service": "installation", "charge": "paid"})
            ]
