from odoo import Command
from odoo.tests import tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestCustomer360(AftersalesCase):
    def test_partner_counts_requests_and_devices(self):
        first = self._create_request(
            phone="021 3344 5566",
            line_ids=[
                Command.create({"product_id": self.washer.id}),
                Command.create({"product_id": self.heater.id}),
            ],
        )
        partner = first.partner_id
        second = self._create_request(phone="021 3344 5566")
        second.stage_id = self.env.ref("aftersales_base.stage_done")
        partner.invalidate_recordset()
        self.assertEqual(partner.aftersales_request_count, 2)
        self.assertEqual(partner.aftersales_open_request_count, 1)
        self.assertEqual(partner.aftersales_closed_request_count, 1)
        self.assertEqual(partner.aftersales_device_count, 3)
        action = partner.action_view_aftersales_requests()
        self.assertEqual(self.env["aftersales.request"].search(action["domain"]), first | second)

    def test_opportunity_from_request(self):
        salesman = self.operator
        salesman.groups_id += self.env.ref("sales_team.group_sale_salesman")
        request = self._create_request(user=salesman, partner_name="Buyer", phone="021 3344 7788")
        action = request.with_user(salesman).action_create_opportunity()
        lead = self.env["crm.lead"].browse(action["res_id"])
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.partner_id, request.partner_id)
        self.assertEqual(lead.aftersales_request_id, request)
        self.assertIn(request.name, lead.name)
        self.assertEqual(request.lead_count, 1)
