import re

from odoo import Command
from odoo.tests import tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestTrackingNumber(AftersalesCase):
    def test_number_format_and_batch_uniqueness(self):
        requests = self.env["aftersales.request"].create([self._request_vals() for _i in range(25)])
        names = requests.mapped("name")
        self.assertEqual(len(set(names)), 25)
        for name in names:
            self.assertRegex(name, r"^AS\d{7}$")
        numbers = [int(re.sub(r"\D", "", name)) for name in names]
        self.assertEqual(numbers, sorted(numbers), "numbers follow creation order")

    def test_unique_under_concurrent_transactions(self):
        """Two transactions open at once get different numbers (no lock, no gap reuse)."""
        names = []
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a = self.env(cr=cr_a)
            env_b = self.env(cr=cr_b)
            try:
                # The test's own records are not committed: each transaction makes its device.
                device_a = env_a["product.product"].create({"name": "Concurrent A"})
                device_b = env_b["product.product"].create({"name": "Concurrent B"})
                first_a = env_a["aftersales.request"].create(self._vals(device_a, "021 2200 0001"))
                first_b = env_b["aftersales.request"].create(self._vals(device_b, "021 2200 0002"))
                second_a = env_a["aftersales.request"].create(self._vals(device_a, "021 2200 0003"))
                names = [first_a.name, first_b.name, second_a.name]
                # Neither transaction has committed: both see only their own request.
                self.assertFalse(env_a["aftersales.request"].search([("name", "=", first_b.name)]))
            finally:
                cr_a.rollback()
                cr_b.rollback()
        self.assertEqual(len(set(names)), 3, names)

    def _vals(self, device, phone):
        return {
            "partner_name": "Concurrent",
            "phone": phone,
            "service_type_id": self.type_install.id,
            "line_ids": [Command.create({"product_id": device.id})],
        }
