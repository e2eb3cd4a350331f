import base64
import html
import json
import logging
import re
from datetime import timedelta

from odoo import Command, fields, http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import AgentCase

_logger = logging.getLogger(__name__)

# 1x1 transparent PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@tagged("post_install", "-at_install")
class TestAgentPortal(AgentCase, HttpCase):
    """The agent's cartable over HTTP, as agent A's staff reach it from a phone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The messages are asserted in English (the database's default may be Persian).
        (cls.user_a | cls.user_b).write({"lang": "en_US"})
        cls.user_a.tz = "Asia/Tehran"
        cls.part.default_code = "W-TC"
        cls.labour.default_code = "W-LAB"
        cls.customer.street = "12 Enghelab Street"
        cls.job_a = cls._job(cls.agent_a)
        cls.job_b = cls._job(cls.agent_b)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _post(self, url, data=None, files=None):
        payload = {"csrf_token": http.Request.csrf_token(self), **(data or {})}
        return self.url_open(url, data=payload, files=files)

    def _call_kw(self, model, method, args, kwargs=None):
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": kwargs or {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def _sent_code(self):
        sms = self.env["sms.sms"].sudo().search([], order="id desc", limit=1)
        return re.search(r"\b(\d{6})\b", sms.body).group(1)

    def _report_form(self, job, **values):
        data = {
            "report_type": "warranty_repair",
            "request_line_id": str(job.line_ids[:1].id),
            "work_note": "Replaced the thermocouple.",
            "labour_hours": "1.5",
            "travel": "in_city",
            "part-0-code": "w-tc",
            "part-0-quantity": "2",
            "part-0-serial": "",
        }
        data.update(values)
        return data

    def _reports(self, job):
        return self.env["aftersales.work.report"].search([("request_id", "=", job.id)])

    def assertNoCode(self, code, text):
        self.assertIsNone(
            re.search(rf"(?<![0-9A-Za-z]){code}(?![0-9A-Za-z])", text),
            "the customer's code must never be shown to the agent",
        )

    # ------------------------------------------------------------------
    # Isolation
    # ------------------------------------------------------------------

    def test_agent_sees_its_jobs_only(self):
        self.authenticate("agent_a", "agent_a")
        home = self.url_open("/my/home")
        self.assertIn('href="/my/jobs"', home.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["aftersales_agent_job_count"]}
        )
        self.assertEqual(counters["aftersales_agent_job_count"], 1)

        jobs = self.url_open("/my/jobs")
        self.assertEqual(jobs.status_code, 200)
        self.assertIn(self.job_a.name, jobs.text)
        self.assertNotIn(self.job_b.name, jobs.text)
        page = self.url_open(f"/my/jobs/{self.job_a.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("09125551234", page.text)
        self.assertIn("12 Enghelab Street", page.text)

        # Agent B's job: not by page, not by action, not in the search.
        for url in (f"/my/jobs/{self.job_b.id}", f"/my/jobs/{self.job_b.id}/report"):
            self.assertEqual(self.url_open(url).status_code, 404, url)
        response = self._post(f"/my/jobs/{self.job_b.id}/accept")
        self.assertEqual(response.status_code, 404)
        self.job_b.invalidate_recordset()
        self.assertEqual(self.job_b.agent_state, "new")
        search = self.url_open(f"/my/jobs?search={self.job_b.name}&filterby=all")
        self.assertIn("o_aftersales_agent_no_job", search.text)
        self.assertNotIn(f'data-job-id="{self.job_b.id}"', search.text)
        report_b = self._report(self.job_b)
        self.assertEqual(self.url_open(f"/my/work-reports/{report_b.id}").status_code, 404)
        response = self._post(f"/my/work-reports/{report_b.id}/send-code")
        self.assertEqual(response.status_code, 404)
        self.assertFalse(report_b.code_sent_count)

    def test_customers_get_no_cartable(self):
        new_test_user(
            self.env,
            login="plain_customer",
            password="plain_customer",
            groups="base.group_portal",
            partner_id=self.customer.id,
            context={"no_reset_password": True},
        )
        self.authenticate("plain_customer", "plain_customer")
        self.assertNotIn('href="/my/jobs"', self.url_open("/my/home").text)
        self.assertEqual(self.url_open("/my/jobs").status_code, 404)
        self.assertEqual(self.url_open(f"/my/jobs/{self.job_a.id}").status_code, 404)
        self.assertEqual(self.url_open("/my/work-reports").status_code, 404)

    def test_search_and_filters(self):
        self.job_a._agent_accept(self.agent_a)
        new_job = self._job(self.agent_a)
        self.authenticate("agent_a", "agent_a")
        accepted = self.url_open("/my/jobs?filterby=accepted").text
        self.assertIn(self.job_a.name, accepted)
        self.assertNotIn(new_job.name, accepted)
        new = self.url_open("/my/jobs?filterby=new").text
        self.assertIn(new_job.name, new)
        self.assertNotIn(self.job_a.name, new)
        self.assertFalse(self.url_open("/my/jobs?filterby=scheduled").text.count(new_job.name))
        by_customer = self.url_open("/my/jobs?search=W Customer").text
        self.assertIn(new_job.name, by_customer)
        by_serial = self.url_open("/my/jobs?search=agh-0001").text
        self.assertIn(self.job_a.name, by_serial)
        self.assertNotIn(self.job_a.name, self.url_open("/my/jobs?search=nobody-here").text)

    @mute_logger("odoo.http")  # the refused calls are logged as warnings by design
    def test_json_rpc_reads_own_reports_only(self):
        report_a = self._report(self.job_a)
        report_b = self._report(self.job_b)
        self.authenticate("agent_a", "agent_a")
        payload = self._call_kw("aftersales.work.report", "read", [[report_b.id], ["name"]])
        self.assertIn("error", payload)
        self.assertIn("AccessError", payload["error"]["data"]["name"])
        payload = self._call_kw(
            "aftersales.work.report", "search_read", [[]], {"fields": ["name", "agent_id"]}
        )
        self.assertEqual([row["name"] for row in payload["result"]], [report_a.name])
        payload = self._call_kw("aftersales.request", "read", [[self.job_a.id], ["mobile"]])
        self.assertIn("AccessError", payload["error"]["data"]["name"])
        payload = self._call_kw(
            "aftersales.work.report", "write", [[report_a.id], {"fee_adjustment": 1}]
        )
        self.assertIn("AccessError", payload["error"]["data"]["name"])

    # ------------------------------------------------------------------
    # Job actions
    # ------------------------------------------------------------------

    def test_accept_schedule_and_start(self):
        self.authenticate("agent_a", "agent_a")
        response = self._post(f"/my/jobs/{self.job_a.id}/accept")
        self.assertEqual(response.status_code, 200)
        self.assertIn('data-done="accepted"', response.text)
        self.job_a.invalidate_recordset()
        self.assertEqual(self.job_a.agent_state, "accepted")
        # A second accept is refused with the core's message, nothing else changes.
        response = self._post(f"/my/jobs/{self.job_a.id}/accept")
        self.assertIn("o_aftersales_agent_error", response.text)
        self.assertIn("already accepted", response.text)

        response = self._post(
            f"/my/jobs/{self.job_a.id}/schedule", {"visit_date": "2025-06-01", "visit_time": ""}
        )
        self.assertIn("Give the date and time of the visit.", response.text)
        # 1404/03/11 (Jalali, Persian digits) is 2025-06-01; 10:30 in Tehran is 07:00 UTC.
        response = self._post(
            f"/my/jobs/{self.job_a.id}/schedule",
            {"visit_date": "۱۴۰۴/۰۳/۱۱", "visit_time": "10:30"},
        )
        self.assertIn('data-done="scheduled"', response.text)
        self.job_a.invalidate_recordset()
        self.assertEqual(self.job_a.agent_state, "scheduled")
        self.assertEqual(self.job_a.scheduled_date, fields.Datetime.to_datetime("2025-06-01 07:00"))
        self._post(
            f"/my/jobs/{self.job_a.id}/schedule", {"visit_date": "2025-06-02", "visit_time": "9:00"}
        )
        self.job_a.invalidate_recordset()
        self.assertEqual(self.job_a.scheduled_date, fields.Datetime.to_datetime("2025-06-02 05:30"))

        response = self._post(f"/my/jobs/{self.job_a.id}/start")
        self.assertIn('data-done="started"', response.text)
        self.job_a.invalidate_recordset()
        self.assertEqual(self.job_a.agent_state, "in_progress")
        # Under way: declining is no longer offered, and refused if posted.
        self.assertNotIn("o_aftersales_agent_decline_submit", response.text)
        response = self._post(f"/my/jobs/{self.job_a.id}/decline", {"reason": "Too far"})
        self.assertIn("ask the company to reassign it", response.text)
        self.job_a.invalidate_recordset()
        self.assertEqual(self.job_a.agent_id, self.agent_a)

    def test_decline_needs_a_reason(self):
        self.authenticate("agent_a", "agent_a")
        response = self._post(f"/my/jobs/{self.job_a.id}/decline", {"reason": "  "})
        self.assertIn("Say why you decline the job.", response.text)
        self.job_a.invalidate_recordset()
        self.assertEqual(self.job_a.agent_id, self.agent_a)

        response = self._post(
            f"/my/jobs/{self.job_a.id}/decline", {"reason": "No technician in town this week"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn('data-done="declined"', response.text)
        self.assertNotIn(self.job_a.name, response.text)
        self.job_a.invalidate_recordset()
        self.assertFalse(self.job_a.agent_id)
        declined = self.job_a.agent_assignment_ids.filtered(lambda a: a.outcome == "declined")
        self.assertEqual(declined.reason, "No technician in town this week")
        self.assertEqual(self.url_open(f"/my/jobs/{self.job_a.id}").status_code, 404)

    def test_customer_details_only_while_the_job_is_theirs_and_open(self):
        self.authenticate("agent_a", "agent_a")
        self.assertIn("09125551234", self.url_open(f"/my/jobs/{self.job_a.id}").text)

        self.job_a.agent_id = self.agent_b
        page = self.url_open(f"/my/jobs/{self.job_a.id}")
        self.assertEqual(page.status_code, 404)
        self.assertNotIn("09125551234", page.text)
        self.assertNotIn(self.job_a.name, self.url_open("/my/jobs?filterby=all").text)

        self.job_a.agent_id = self.agent_a
        self.job_a.stage_id = self.env.ref("aftersales_base.stage_cancel")
        page = self.url_open(f"/my/jobs/{self.job_a.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.job_a.name, page.text)
        self.assertNotIn("09125551234", page.text)
        self.assertNotIn("12 Enghelab Street", page.text)
        self.assertNotIn("W Customer", page.text)
        self.assertIn("o_aftersales_agent_customer_hidden", page.text)
        listing = self.url_open("/my/jobs?filterby=all").text
        self.assertIn(self.job_a.name, listing)
        self.assertNotIn("W Customer", listing)

    def test_photos_images_only(self):
        self.authenticate("agent_a", "agent_a")
        url = f"/my/jobs/{self.job_a.id}/photos"
        response = self._post(url, files={"photos": ("heater.png", PNG, "image/png")})
        self.assertIn('data-done="photos"', response.text)
        self.assertIn("heater.png", response.text)
        response = self._post(
            url, files={"photos": ("virus.png", b"MZ\x90\x00not an image", "image/png")}
        )
        self.assertIn("is not a JPEG, PNG or WebP photo", response.text)
        big = PNG + b"\0" * (5 * 1024 * 1024)
        response = self._post(url, files={"photos": ("big.png", big, "image/png")})
        self.assertIn("is larger than 5 MB", response.text)
        photos = self.env["ir.attachment"].search(
            [("res_model", "=", "aftersales.request"), ("res_id", "=", self.job_a.id)]
        )
        self.assertEqual(photos.mapped("name"), ["heater.png"])
        self.assertEqual(photos.create_uid, self.user_a)
        # Not on another agent's job.
        response = self._post(
            f"/my/jobs/{self.job_b.id}/photos", files={"photos": ("b.png", PNG, "image/png")}
        )
        self.assertEqual(response.status_code, 404)

    # ------------------------------------------------------------------
    # Work reports
    # ------------------------------------------------------------------

    def test_report_with_a_part_and_the_customers_code(self):
        self.authenticate("agent_a", "agent_a")
        response = self._post(f"/my/jobs/{self.job_a.id}/report", self._report_form(self.job_a))
        self.assertIn("Accept the job before filing a work report.", response.text)
        self.assertFalse(self._reports(self.job_a))

        self._post(f"/my/jobs/{self.job_a.id}/accept")
        forged = {
            "agent_id": str(self.agent_b.id),
            "state": "approved",
            "submitted_date": "2020-01-01 00:00:00",
            "fee_adjustment": "999999",
            "customer_confirmed": "1",
            "request_id": str(self.job_b.id),
        }
        response = self._post(
            f"/my/jobs/{self.job_a.id}/report", self._report_form(self.job_a, **forged)
        )
        report = self._reports(self.job_a)
        self.assertEqual(len(report), 1)
        self.assertRegex(response.url, rf"/my/work-reports/{report.id}$")
        self.assertEqual(report.agent_id, self.agent_a)
        self.assertEqual(report.state, "draft")
        self.assertFalse(report.submitted_date)
        self.assertFalse(report.fee_adjustment)
        self.assertFalse(report.customer_confirmed)
        self.assertFalse(self._reports(self.job_b))
        self.assertEqual(report.labour_hours, 1.5)
        self.assertEqual(report.travel, "in_city")
        self.assertEqual(report.lot_id, self.heater_lot)
        self.assertEqual([(p.product_id, p.quantity) for p in report.part_ids], [(self.part, 2.0)])

        response = self._post(f"/my/work-reports/{report.id}/send-code")
        self.assertIn('data-done="code_sent"', response.text)
        code = self._sent_code()
        self.assertNoCode(code, response.text)
        wrong = "000000" if code != "000000" else "111111"
        response = self._post(f"/my/work-reports/{report.id}/confirm", {"code": wrong})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Wrong confirmation code.", response.text)
        report.invalidate_recordset()
        self.assertEqual(report.code_tries, 1, "the wrong try is counted, not rolled back")
        self.assertFalse(report.customer_confirmed)

        response = self._post(f"/my/work-reports/{report.id}/confirm", {"code": code})
        self.assertIn('data-done="confirmed"', response.text)
        self.assertNoCode(code, response.text)
        report.invalidate_recordset()
        self.assertTrue(report.customer_confirmed)
        self.assertEqual(report.confirmation_method, "code")

        response = self._post(f"/my/work-reports/{report.id}/submit")
        self.assertIn('data-done="submitted"', response.text)
        report.invalidate_recordset()
        self.assertEqual(report.state, "submitted")
        self.assertTrue(report.submitted_date)
        self.job_a.invalidate_recordset()
        self.assertEqual(self.job_a.agent_state, "reported")
        for url in (
            "/my/work-reports",
            f"/my/jobs/{self.job_a.id}",
            f"/my/work-reports/{report.id}",
        ):
            page = self.url_open(url)
            self.assertIn(report.name, page.text, url)
            self.assertNoCode(code, page.text)

    def test_bad_report_input_is_refused_with_a_message(self):
        self.job_a._agent_accept(self.agent_a)
        self.authenticate("agent_a", "agent_a")
        url = f"/my/jobs/{self.job_a.id}/report"
        cases = [
            ({"part-0-code": "W-LAB"}, "is not a part"),
            ({"part-0-quantity": "-2"}, "must be positive"),
            ({"part-0-code": "no-such-part"}, "no part has the code"),
            ({"part-0-code": "W-%"}, "no part has the code"),
            ({"labour_hours": "-1"}, "between 0 and 24"),
            ({"report_type": "free_lunch"}, "Choose the work you did."),
            ({"request_line_id": str(self.job_b.line_ids.id)}, "Choose one of the job's devices."),
        ]
        for values, message in cases:
            response = self._post(url, self._report_form(self.job_a, **values))
            self.assertEqual(response.status_code, 200, message)
            self.assertIn(message, html.unescape(response.text))
            self.assertIn("o_aftersales_agent_report_form", response.text, "the form is back")
        self.assertFalse(self._reports(self.job_a), "nothing saved")

    def test_out_of_warranty_repair_is_refused_at_submission(self):
        [lot] = self._lots(self.heater, "AGH-OLD")
        self._issue(lot, partner=self.customer, date=fields.Date.today() - timedelta(days=800))
        # A warranty-repair request on it is refused by the warranty addon: a paid one.
        job = self._job(self.agent_a, lot=lot, service_type=self.type_paid)
        job._agent_accept(self.agent_a)
        report = self._report(job)
        self.authenticate("agent_a", "agent_a")
        response = self._post(f"/my/work-reports/{report.id}/submit")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_aftersales_agent_error", response.text)
        self.assertIn("not covered", response.text)
        report.invalidate_recordset()
        self.assertEqual(report.state, "draft")
        self.assertFalse(report.submitted_date)

    def test_report_list_with_state_and_fee(self):
        report = self._report(self._job(self.agent_a), travel="in_city")
        other = self._report(self.job_b)
        self.authenticate("agent_a", "agent_a")
        page = self.url_open("/my/work-reports")
        self.assertEqual(page.status_code, 200)
        self.assertIn(report.name, page.text)
        self.assertNotIn(other.name, page.text)
        self.assertIn('data-state="draft"', page.text)
        # 800,000 (heater in the city) + 100,000 travel
        self.assertEqual(report.fee_total, 900000)
        self.assertRegex(page.text, r"900[,.\u066c]?000")
        self.assertNotIn(report.name, self.url_open("/my/work-reports?filterby=approved").text)

    # ------------------------------------------------------------------
    # Performance
    # ------------------------------------------------------------------

    def _queries_of(self, url):
        self.url_open(url)  # warm the caches (templates, translations)
        before = self.cr.sql_log_count
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - before

    def test_job_list_queries_do_not_grow_with_the_page(self):
        def jobs(count):
            return self.env["aftersales.request"].create(
                [
                    {
                        "partner_id": self.customer.id,
                        "mobile": self.customer.mobile,
                        "service_type_id": self.type_warranty.id,
                        "state_id": self.agent_b.state_id.id,
                        "agent_id": self.agent_b.id,
                        "line_ids": [
                            Command.create(
                                {"product_id": self.heater.id, "serial_number": f"Q-{index}"}
                            ),
                            Command.create({"product_id": self.washer.id}),
                        ],
                    }
                    for index in range(count)
                ]
            )

        jobs(4)  # with job_b: 5
        self.authenticate("agent_b", "agent_b")
        few = self._queries_of("/my/jobs")
        jobs(35)
        many = self._queries_of("/my/jobs")
        page = self.url_open("/my/jobs")
        self.assertEqual(page.text.count("o_aftersales_agent_job_card"), 40)
        _logger.info("/my/jobs: %s queries for 5 jobs, %s for 40", few, many)
        self.assertEqual(few, many, f"{few} queries for 5 jobs, {many} for 40")

    def test_persian_agent_reads_jalali_dates_right_to_left(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        self.user_a.lang = "fa_IR"
        self.job_a.write({"scheduled_date": "2025-03-21 08:00:00"})  # 1 Farvardin 1404
        self.authenticate("agent_a", "agent_a")
        for url in ("/my/jobs", f"/my/jobs/{self.job_a.id}"):
            page = self.url_open(url).text
            self.assertIn('dir="rtl"', page, url)
            self.assertRegex(page, r"(1404|۱۴۰۴)/(01|۰۱)/(01|۰۱)", url)
