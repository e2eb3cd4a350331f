import io
import zipfile
from datetime import date, datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestComplaint(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {"aftersales_complaint_ack_hours": 24, "aftersales_complaint_resolution_days": 10}
        )
        cls.agent = cls.env["res.partner"].create(
            {"name": "Agent Shiraz", "is_aftersales_agent": True}
        )
        cls.request = cls._create_request(agent_id=cls.agent.id, technician_id=cls.tech_a.id)
        cls.factor = cls.env.ref("aftersales_base.complaint_factor_d")
        cls.closed = cls.env.ref("aftersales_base.complaint_stage_closed")

    def _complaint(self, user=None, **vals):
        env = self.env(user=user) if user else self.env
        return env["aftersales.complaint"].create(
            {
                "partner_id": self.request.partner_id.id,
                "request_id": self.request.id,
                "description": "The technician came two days late.",
                "factor_ids": [Command.link(self.factor.id)],
                "user_id": self.operator.id,
                **vals,
            }
        )

    def test_number_deadlines_and_links(self):
        with freeze_time("2025-05-01 08:00:00"):
            complaint = self._complaint(user=self.operator)
        self.assertRegex(complaint.name, r"^CMP\d{6}$")
        self.assertEqual(complaint.ack_deadline, datetime(2025, 5, 2, 8, 0))
        self.assertEqual(complaint.resolution_deadline, datetime(2025, 5, 11, 8, 0))
        self.assertEqual(complaint.agent_id, self.agent)
        self.assertEqual(complaint.technician_id, self.tech_a)
        self.assertEqual(complaint.product_id, self.washer)
        self.assertFalse(complaint.is_closed)

    def test_acknowledgement_activity_on_responsible(self):
        complaint = self._complaint(user=self.operator)
        activity = complaint.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.operator)
        self.assertEqual(activity.date_deadline, complaint.ack_deadline.date())
        complaint.user_id = self.manager
        self.assertEqual(
            complaint.activity_ids.user_id, self.manager, "the to-do follows the responsible"
        )
        complaint.with_user(self.manager).action_acknowledge()
        self.assertTrue(complaint.acknowledged_date)
        self.assertFalse(complaint.activity_ids)

    def test_overdue(self):
        with freeze_time("2025-05-01 08:00:00"):
            late = self._complaint()
        fresh = self._complaint()
        Complaint = self.env["aftersales.complaint"]
        self.assertIn(late, Complaint.search([("is_overdue", "=", True)]))
        self.assertNotIn(fresh, Complaint.search([("is_overdue", "=", True)]))
        self.assertIn(fresh, Complaint.search([("is_overdue", "=", False)]))
        self.assertTrue(late.is_overdue)

    def test_closing_needs_result_and_customer_informed(self):
        complaint = self._complaint(user=self.operator)
        with self.assertRaisesRegex(UserError, "cannot be closed"):
            complaint.with_user(self.operator).stage_id = self.closed
        self.assertFalse(complaint.is_closed)
        complaint.with_user(self.operator).result = "Apologised; visit rescheduled, fee waived."
        complaint.with_user(self.operator).action_customer_informed()
        complaint.with_user(self.operator).write({"stage_id": self.closed.id, "satisfaction": "4"})
        self.assertTrue(complaint.is_closed)
        self.assertTrue(complaint.closed_date)
        self.assertFalse(complaint.is_overdue)

    def test_complaint_registered_closed(self):
        # An old complaint typed in after the fact: closed at once, result and all.
        complaint = self._complaint(
            user=self.operator,
            stage_id=self.closed.id,
            result="Replaced under warranty.",
            received_date="2025-05-01 08:00:00",
            customer_informed_date="2025-05-03 08:00:00",
        )
        self.assertTrue(complaint.is_closed)
        self.assertTrue(complaint.closed_date)
        self.assertFalse(complaint.activity_ids, "no acknowledgement to-do on a closed complaint")
        with self.assertRaisesRegex(ValidationError, "cannot be closed"):
            self._complaint(user=self.operator, stage_id=self.closed.id, result="  ")

    def test_informed_before_received_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be informed before"):
            self._complaint(
                received_date="2025-05-02 08:00:00", customer_informed_date="2025-05-01 08:00:00"
            )

    def test_negative_points_summed_per_period(self):
        with freeze_time("2025-05-01 08:00:00"):
            first = self._complaint()
        with freeze_time("2025-06-15 08:00:00"):
            second = self._complaint()
        Penalty = self.env["aftersales.complaint.penalty"].with_user(self.manager)
        Penalty.create(
            [
                {
                    "complaint_id": first.id,
                    "agent_id": self.agent.id,
                    "points": 3,
                    "reason": "Late",
                },
                {
                    "complaint_id": second.id,
                    "agent_id": self.agent.id,
                    "points": 2,
                    "reason": "Rude",
                },
                {
                    "complaint_id": second.id,
                    "technician_id": self.tech_a.id,
                    "points": 1,
                    "reason": "Mess",
                },
            ]
        )
        self.assertEqual(second.penalty_points, 3)
        may = Penalty._points_by_target(date(2025, 5, 1), date(2025, 5, 31))
        self.assertEqual(may, {self.agent: 3})
        spring = Penalty._points_by_target(date(2025, 4, 1), date(2025, 6, 30))
        self.assertEqual(spring, {self.agent: 5})
        techs = Penalty._points_by_target(date(2025, 4, 1), date(2025, 6, 30), "technician_id")
        self.assertEqual(techs, {self.tech_a: 1})

    def test_negative_points_need_one_target_and_positive_points(self):
        complaint = self._complaint()
        Penalty = self.env["aftersales.complaint.penalty"]
        for vals in (
            {"points": 1},
            {"points": 1, "agent_id": self.agent.id, "technician_id": self.tech_a.id},
            {"points": 0, "agent_id": self.agent.id},
        ):
            with (
                self.subTest(vals=vals),
                mute_logger("odoo.sql_db"),
                self.assertRaises(IntegrityError),
                self.cr.savepoint(),
            ):
                Penalty.create({"complaint_id": complaint.id, "reason": "x", **vals})
                Penalty.flush_model()
        self.assertFalse(complaint.penalty_ids)

    def test_access(self):
        complaint = self._complaint()
        with self.assertRaises(AccessError):
            complaint.with_user(self.tech_a).read(["name"])
        with self.assertRaises(AccessError):
            self.env["aftersales.complaint.penalty"].with_user(self.operator).create(
                {"complaint_id": complaint.id, "agent_id": self.agent.id, "reason": "x"}
            )
        with self.assertRaises(AccessError):
            complaint.with_user(self.operator).unlink()

    def test_xlsx_export_persian(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        with freeze_time("2025-03-21 06:30:00"):
            complaint = self._complaint()
        data = complaint.with_context(lang="fa_IR", tz="Asia/Tehran")._xlsx_export()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheet = archive.read("xl/worksheets/sheet1.xml").decode()
            strings = archive.read("xl/sharedStrings.xml").decode()
        self.assertIn('rightToLeft="1"', sheet)
        self.assertIn(complaint.name, strings)
        self.assertIn("1404/01/01 10:00", strings)
        self.assertIn(self.factor.with_context(lang="fa_IR").name, strings)


@tagged("post_install", "-at_install")
class TestComplaintExportHttp(HttpCase):
    def test_export_route_checks_access(self):
        company = self.env.company
        operator = new_test_user(
            self.env, login="xlsx_operator", password="xlsx_operator",
            groups="aftersales_base.group_aftersales_operator",
        )  # fmt: skip
        new_test_user(
            self.env, login="xlsx_tech", password="xlsx_tech",
            groups="aftersales_base.group_aftersales_technician",
        )  # fmt: skip
        partner = self.env["res.partner"].create({"name": "Complaining customer"})
        complaint = self.env["aftersales.complaint"].create(
            {
                "partner_id": partner.id,
                "description": "Noise",
                "company_id": company.id,
                "user_id": operator.id,
            }
        )
        self.authenticate("xlsx_operator", "xlsx_operator")
        response = self.url_open(f"/aftersales/complaints/xlsx?ids={complaint.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        self.assertTrue(response.content.startswith(b"PK"))
        self.authenticate("xlsx_tech", "xlsx_tech")
        response = self.url_open(f"/aftersales/complaints/xlsx?ids={complaint.id}")
        self.assertEqual(response.status_code, 404)
        response = self.url_open("/aftersales/complaints/xlsx?ids=abc")
        self.assertEqual(response.status_code, 404)
