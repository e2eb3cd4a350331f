from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestReception(AftersalesCase):
    def test_partner_matched_by_phone_in_any_format(self):
        first = self._create_request(user=self.operator, phone="021-8877 6655", partner_name="Ali")
        # Same landline in Persian digits, international and 00 prefixes: same contact.
        for phone in ("۰۲۱۸۸۷۷۶۶۵۵", "+98 21 8877 6655", "00982188776655"):
            other = self._create_request(user=self.operator, phone=phone, partner_name="Someone")
            self.assertEqual(other.partner_id, first.partner_id, phone)
        self.assertEqual(first.partner_id.name, "Ali")
        # The mobile of an existing contact finds it too.
        first.partner_id.mobile = "09121234567"
        by_mobile = self._create_request(user=self.operator, phone=False, mobile="+989121234567")
        self.assertEqual(by_mobile.partner_id, first.partner_id)

    def test_new_customers_in_one_batch_share_a_contact(self):
        requests = self.env["aftersales.request"].create(
            [
                self._request_vals(phone=False, mobile="09351112233", partner_name="Neda"),
                self._request_vals(phone=False, mobile="0935 111 2233", partner_name="Neda"),
                self._request_vals(phone="031 3222 1234", partner_name="Omid"),
            ]
        )
        self.assertEqual(requests[0].partner_id, requests[1].partner_id)
        self.assertNotEqual(requests[0].partner_id, requests[2].partner_id)
        self.assertEqual(requests[2].partner_id.name, "Omid")
        self.assertEqual(requests[2].partner_id.phone, "031 3222 1234")

    def test_invalid_phones_refused(self):
        for phone in ("8877 6655", "abc", "0912"):
            with self.subTest(phone=phone), self.assertRaises(ValidationError):
                self._create_request(phone=phone)
        request = self._create_request()
        with self.assertRaises(ValidationError):
            request.mobile = "12345"
        self.assertFalse(request.mobile)

    def test_request_needs_customer_or_phone(self):
        with self.assertRaisesRegex(ValidationError, "phone"):
            self._create_request(phone=False, mobile=False)

    def test_region_from_landline(self):
        request = self._create_request(phone="031 3222 1234")
        self.assertEqual(request.state_id, self.isfahan)
        self.assertIn("031", request.region_note)
        request.phone = "021 8877 6655"
        self.assertEqual(request.state_id, self.tehran)

    def test_mobile_gives_no_region(self):
        request = self._create_request(phone=False, mobile="09121234567")
        self.assertFalse(request.state_id)
        self.assertIn("mobiles carry no region", request.region_note)
        # A mobile typed as the landline is not guessed either.
        request = self._create_request(phone="09121234567")
        self.assertFalse(request.state_id)
        self.assertIn("mobile", request.region_note)

    def test_routing_proposes_team_or_agent(self):
        team = self.env["aftersales.team"].create(
            {"name": "Tehran team", "member_ids": [Command.link(self.tech_a.id)]}
        )
        agent = self.env["res.partner"].create({"name": "Karaj Agent", "is_aftersales_agent": True})
        self.env["aftersales.routing.rule"].create(
            [
                {"state_id": self.tehran.id, "team_id": team.id, "sequence": 5},
                {"state_id": self.tehran.id, "city": "Shemiran", "technician_id": self.tech_b.id},
                {
                    "state_id": self.tehran.id,
                    "agent_id": agent.id,
                    "service_type_ids": [Command.link(self.type_warranty.id)],
                },
            ]
        )
        province = self._create_request()
        self.assertEqual(province.team_id, team)
        self.assertFalse(province.agent_id)
        city = self._create_request(city=" shemiran ")
        self.assertEqual(city.technician_id, self.tech_b, "a city rule beats the province rule")
        typed = self._create_request(service_type_id=self.type_warranty.id)
        self.assertEqual(typed.agent_id, agent, "a rule for the service type beats a generic one")
        nowhere = self._create_request(phone=False, mobile="09121234567")
        self.assertFalse(nowhere.routing_rule_id)
        self.assertFalse(nowhere.team_id or nowhere.agent_id or nowhere.technician_id)

    def test_routing_rule_needs_a_target(self):
        with self.assertRaises(ValidationError):
            self.env["aftersales.routing.rule"].create({"state_id": self.tehran.id})

    def test_request_without_device_refused(self):
        with self.assertRaisesRegex(ValidationError, "no device"):
            self._create_request(line_ids=[])
        request = self._create_request()
        with self.assertRaisesRegex(ValidationError, "no device"):
            request.line_ids.unlink()
        self.assertEqual(
            self.env["aftersales.request.line"].search_count([("request_id", "=", request.id)]), 1
        )
        # With a second device, the first one can go.
        request.line_ids = [Command.create({"product_id": self.heater.id})]
        request.line_ids[0].unlink()
        self.assertEqual(request.line_ids.product_id, self.heater)

    def test_done_date_before_request_date_refused(self):
        request = self._create_request(request_date=datetime(2025, 1, 10, 9, 0))
        with self.assertRaisesRegex(ValidationError, "done date"):
            request.done_date = datetime(2025, 1, 9, 9, 0)
        request.done_date = datetime(2025, 1, 11, 9, 0)
        self.assertEqual(request.done_date, datetime(2025, 1, 11, 9, 0))

    def test_several_devices_and_normalized_serials(self):
        request = self._create_request(
            line_ids=[
                Command.create({"product_id": self.washer.id, "serial_number": " wm- 00 7 "}),
                Command.create(
                    {
                        "product_id": self.heater.id,
                        "serial_number": "ht۱۲۳",
                        "fault_code_ids": [Command.set([self.fault_heater.id, self.fault_any.id])],
                    }
                ),
            ]
        )
        self.assertEqual(request.line_ids.mapped("serial_number"), ["WM-007", "HT123"])
        self.assertEqual(request.line_count, 2)

    def test_fault_code_must_fit_device_type(self):
        with self.assertRaisesRegex(ValidationError, "does not apply"):
            self._create_request(
                line_ids=[
                    Command.create(
                        {
                            "product_id": self.washer.id,
                            "fault_code_ids": [Command.link(self.fault_heater.id)],
                        }
                    )
                ]
            )

    def test_search_serial_phone_tracking_name(self):
        request = self._create_request(
            partner_name="Babak Search",
            phone="021 2233 4455",
            mobile="0912 765 4321",
            line_ids=[Command.create({"product_id": self.washer.id, "serial_number": "SRCH-42"})],
        )
        noise = self._create_request(phone="031 3222 1234")
        Request = self.env["aftersales.request"].with_user(self.operator)
        self.assertEqual(Request.search([("serial_search", "=", " srch-42 ")]), request)
        for phone in ("02122334455", "+982122334455", "۰۹۱۲۷۶۵۴۳۲۱", "0912-765-4321"):
            self.assertEqual(Request.search([("phone_search", "=", phone)]), request, phone)
        self.assertEqual(Request.search([("name", "=", request.name)]), request)
        found = Request.name_search("Babak Search")
        self.assertEqual([r[0] for r in found], [request.id])
        self.assertNotIn(noise, Request.search([("phone_search", "ilike", "2233")]))

    def test_sla_deadline_from_service_type(self):
        with freeze_time("2025-07-15 08:00:00"):  # Tir: no heating season
            request = self._create_request(
                service_type_id=self.type_warranty.id,
                line_ids=[Command.create({"product_id": self.heater.id})],
            )
        self.assertFalse(request.is_in_season)
        self.assertEqual(request.priority, "0")
        self.assertEqual(
            request.sla_deadline,
            request.request_date + timedelta(hours=self.type_warranty.sla_hours),
        )

    def test_seasonal_product_raises_priority_and_sla(self):
        with freeze_time("2025-01-15 08:00:00"):  # Dey 1403: heating season
            request = self._create_request(
                service_type_id=self.type_warranty.id,
                line_ids=[Command.create({"product_id": self.heater.id})],
            )
            self.assertTrue(request.is_in_season)
            self.assertEqual(request.priority, "2")
            self.assertEqual(request.sla_deadline, request.request_date + timedelta(hours=12))
            self.assertEqual(
                self.env["aftersales.request"].search(
                    [("is_in_season", "=", True), ("id", "=", request.id)]
                ),
                request,
            )

    def test_overdue_filter(self):
        with freeze_time("2025-01-01 08:00:00"):
            late = self._create_request()
        fresh = self._create_request()
        overdue = self.env["aftersales.request"].search([("is_overdue", "=", True)])
        self.assertIn(late, overdue)
        self.assertNotIn(fresh, overdue)
        late.stage_id = self.env.ref("aftersales_base.stage_done")
        self.assertNotIn(late, self.env["aftersales.request"].search([("is_overdue", "=", True)]))
        self.assertTrue(late.done_date)

    def test_new_contact_gets_province_of_landline(self):
        request = self._create_request(phone="031 3222 1234", partner_name="Reza")
        self.assertEqual(request.state_id, self.isfahan)
        self.assertEqual(request.partner_id.state_id, self.isfahan)
        self.assertEqual(request.partner_id.country_id, self.env.ref("base.ir"))
        # A province chosen on the request wins over the area code.
        chosen = self._create_request(
            phone="031 3222 9999", partner_name="Sara", state_id=self.tehran.id
        )
        self.assertEqual(chosen.partner_id.state_id, self.tehran)
        # A mobile carries no region: the contact gets no province (nor country) from it.
        mobile_only = self._create_request(phone=False, mobile="0935 222 3344")
        self.assertFalse(mobile_only.partner_id.state_id)
        self.assertFalse(mobile_only.partner_id.country_id)

    def test_request_with_only_a_customer_takes_their_phones_and_address(self):
        customer = self.env["res.partner"].create(
            {
                "name": "Known Customer",
                "phone": "031 3222 5555",
                "mobile": "0912 000 1122",
                "street": "Chaharbagh 12",
                "city": "Isfahan",
            }
        )
        request = self._create_request(
            user=self.operator, partner_id=customer.id, partner_name=False, phone=False
        )
        self.assertEqual(request.partner_id, customer)
        self.assertEqual(request.phone, "031 3222 5555")
        self.assertEqual(request.mobile, "0912 000 1122")
        self.assertEqual(request.phone_e164, "+983132225555")
        self.assertEqual((request.street, request.city), ("Chaharbagh 12", "Isfahan"))
        self.assertEqual(request.state_id, self.isfahan, "province from the customer's landline")
        # What the request was given is kept.
        typed = self._create_request(
            partner_id=customer.id, phone="021 8877 1111", street="Valiasr 5"
        )
        self.assertEqual((typed.phone, typed.mobile), ("021 8877 1111", "0912 000 1122"))
        self.assertEqual((typed.street, typed.city), ("Valiasr 5", "Isfahan"))
        self.assertEqual(typed.state_id, self.tehran)

    def test_customer_number_that_is_not_a_phone_is_not_copied(self):
        customer = self.env["res.partner"].create(
            {"name": "Old Record", "phone": "ext. 12", "state_id": self.tehran.id}
        )
        request = self._create_request(partner_id=customer.id, phone=False)
        self.assertFalse(request.phone)
        # No landline to read a province from: the customer's province is taken.
        self.assertEqual(request.state_id, self.tehran)

    def test_form_takes_customer_phones(self):
        customer = self.env["res.partner"].create(
            {"name": "Form Customer", "phone": "031 3222 7777", "city": "Isfahan"}
        )
        form = Form(self.env["aftersales.request"].with_user(self.operator))
        form.partner_id = customer
        self.assertEqual(form.phone, "031 3222 7777")
        self.assertEqual(form.state_id, self.isfahan)
        form.service_type_id = self.type_install
        with form.line_ids.new() as line:
            line.product_id = self.washer
        request = form.save()
        self.assertEqual((request.phone, request.city), ("031 3222 7777", "Isfahan"))
        self.assertEqual(request.state_id, self.isfahan)

    def test_codes_in_names_only_where_they_help(self):
        ref = self.env.ref
        for xmlid, name in (
            ("aftersales_base.stage_new", "New"),
            ("aftersales_base.complaint_stage_closed", None),
            ("aftersales_base.channel_phone", "Phone"),
            ("aftersales_base.service_type_ins", "Installation"),
            ("aftersales_base.complaint_factor_d", None),
        ):
            record = ref(xmlid)
            with self.subTest(xmlid=xmlid):
                self.assertEqual(record.display_name, name or record.name)
                self.assertNotIn("[", record.display_name)
        self.assertEqual(self.fault_any.display_name, f"[F01] {self.fault_any.name}")
        brand = self.env["aftersales.brand"].create({"code": "ZX", "name": "Zagros"})
        self.assertEqual(brand.display_name, "[ZX] Zagros")
        # The code still finds the record, even where it is not shown.
        hold = self.env["aftersales.stage"].create({"code": "QH7", "name": "Quality Hold"})
        found = self.env["aftersales.stage"].with_user(self.operator).name_search("qh7")
        self.assertEqual(found, [(hold.id, "Quality Hold")])
        self.assertEqual(
            self.env["aftersales.service.type"].search([("display_name", "ilike", "WSR")]),
            self.type_workshop,
        )
