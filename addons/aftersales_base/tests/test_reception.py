from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

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
