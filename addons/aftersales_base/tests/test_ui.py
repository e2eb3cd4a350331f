from odoo import Command
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

    def test_jalali_dates_for_persian_user(self):
        self.env.company.country_id = self.env.ref("base.ir")
        self.env["res.lang"]._activate_lang("fa_IR")
        user = new_test_user(
            self.env,
            login="tour_persian",
            password="tour_persian",
            groups="aftersales_base.group_aftersales_operator",
            lang="fa_IR",
            tz="UTC",
        )
        product = self.env["product.product"].create({"name": "Tour Cooler"})
        request = self.env["aftersales.request"].create(
            {
                "partner_name": "Jalali Customer",
                "phone": "021 2233 4455",
                "service_type_id": self.env.ref("aftersales_base.service_type_ins").id,
                "request_date": "2025-03-21 08:00:00",
                "line_ids": [Command.create({"product_id": product.id})],
            }
        )
        self.start_tour(
            "/odoo/action-aftersales_base.aftersales_request_action?view_type=list",
            "aftersales_jalali_dates_tour",
            login=user.login,
        )
        self.assertEqual(str(request.scheduled_date), "2025-03-25 10:00:00")
        self.assertEqual(request.request_date.date().isoformat(), "2025-03-21")
