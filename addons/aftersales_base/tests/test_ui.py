from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_reception_tour(self):
        self.env.company.country_id = self.env.ref("base.ir")
        new_test_user(
            self.env,
            login="tour_operator",
            password="tour_operator",
            groups="aftersales_base.group_aftersales_operator",
        )
        self.env["product.product"].create({"name": "Tour Heater"})
        self.start_tour(
            "/odoo/action-aftersales_base.aftersales_request_action",
            "aftersales_request_reception_tour",
            login="tour_operator",
        )
        request = self.env["aftersales.request"].search([("partner_id.name", "=", "Tour Customer")])
        self.assertEqual(len(request), 1)
        self.assertEqual(request.state_id, self.env.ref("aftersales_base.state_ir_23"))
        self.assertEqual(request.line_ids.serial_number, "TH-0001B")
        self.assertEqual(request.phone_e164, "+982188776655")
