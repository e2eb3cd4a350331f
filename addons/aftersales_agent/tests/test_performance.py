"""Performance statistics of an agent (R-AGT-8): service mix, parts, durations."""

from datetime import datetime

import lxml.html

from odoo.tests import HttpCase, new_test_user, tagged

from .common import AgentCase
from .test_statement import FITS_THE_SCREEN


class PerformanceFixtures(AgentCase):
    """Agent A's work reports (dates in UTC):

    R1 paid repair: requested 10 Jan 08:00, submitted 11 Jan 08:00 (24 h), approved
       12 Jan 08:00 (24 h); parts: thermocouple x2
    R2 periodic service: requested 1 Feb, submitted 3 Feb (48 h), approved 3 Feb 12:00
       (12 h); parts: thermocouple x3, control board x1, thermocouple x4 voided
    R3 paid repair: requested 10 Feb, submitted 11 Feb (24 h), not approved yet;
       parts: thermocouple x5 (not counted: not approved)
    not counted: R4 rejected, R5 draft, R6 approved but submitted in April, and agent B's
    approved report with thermocouple x100.
    Expected for January-March: 3 reports (Jan: 1 paid repair; Feb: 1 periodic service,
    1 paid repair), 32 h on average to the report, 18 h to the approval (2 approved),
    parts: thermocouple 5, control board 1.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_env = cls.env(user=cls.manager)
        cls.r1 = cls._filed(
            "paid_repair",
            "2025-01-10 08:00",
            "2025-01-11 08:00",
            "2025-01-12 08:00",
            [(cls.part, 2, {})],
        )
        cls.r2 = cls._filed(
            "periodic_service",
            "2025-02-01 00:00",
            "2025-02-03 00:00",
            None,
            [
                (cls.part, 3, {}),
                (cls.serial_part, 1, {"part_serial": "CB-1"}),
                (cls.part, 4, {}),
            ],
        )
        cls.r2.part_ids[2].with_user(cls.manager).action_void("Not used on this device")
        cls._approve(cls.r2, "2025-02-03 12:00")
        cls.r3 = cls._filed(
            "paid_repair", "2025-02-10 00:00", "2025-02-11 00:00", None, [(cls.part, 5, {})]
        )
        r4 = cls._filed("paid_repair", "2025-02-12 00:00", "2025-02-13 00:00", None, [])
        r4.with_user(cls.manager).action_reject("Duplicate")
        cls._report(cls._job(cls.agent_a), "paid_repair", parts=[(cls.part, 7, {})])
        cls._filed(
            "paid_repair",
            "2025-04-01 00:00",
            "2025-04-05 00:00",
            "2025-04-06 00:00",
            [(cls.part, 9, {})],
        )
        cls._filed(
            "paid_repair",
            "2025-02-01 00:00",
            "2025-02-02 00:00",
            "2025-02-03 00:00",
            [(cls.part, 100, {})],
            agent=cls.agent_b,
        )

    @classmethod
    def _filed(cls, report_type, requested, submitted, approved, parts, agent=None):
        job = cls._job(agent or cls.agent_a, service_type=cls.type_paid)
        job.request_date = datetime.fromisoformat(requested)
        report = cls._report(job, report_type, parts=parts)
        report.action_submit()
        report.submitted_date = datetime.fromisoformat(submitted)
        if approved:
            cls._approve(report, approved)
        return report

    @classmethod
    def _approve(cls, report, approved):
        report.with_user(cls.manager).action_approve_unconfirmed("Customer unreachable")
        report.approved_date = datetime.fromisoformat(approved)


@tagged("post_install", "-at_install")
class TestPerformance(PerformanceFixtures):
    def _stats(self, agent=None, date_from="2025-01-01", date_to="2025-03-31", lang="en_US"):
        return (
            self.env["aftersales.agent.statement"]
            .with_context(tz="UTC")
            ._performance(agent or self.agent_a, date_from, date_to, lang=lang)
        )

    def test_service_mix_by_month(self):
        stats = self._stats()
        self.assertEqual(stats["report_count"], 3)
        self.assertEqual(
            [(m["label"], m["counts"], m["total"]) for m in stats["months"]],
            [
                ("January 2025", {"paid_repair": 1}, 1),
                ("February 2025", {"periodic_service": 1, "paid_repair": 1}, 2),
            ],
        )
        self.assertEqual(stats["type_totals"], {"paid_repair": 2, "periodic_service": 1})

    def test_service_mix_in_jalali_months_for_persian(self):
        stats = self._stats(lang="fa_IR")
        # 11 January 2025 is 22 Dey 1403; 3 and 11 February 2025 are in Bahman 1403.
        self.assertEqual([m["label"] for m in stats["months"]], ["دی ۱۴۰۳", "بهمن ۱۴۰۳"])
        self.assertEqual([m["total"] for m in stats["months"]], [1, 2])

    def test_parts_of_approved_reports_without_voided_lines(self):
        parts = self._stats()["parts"]
        self.assertEqual(
            [(p["product"], p["quantity"], p["reports"]) for p in parts],
            [("W Thermocouple", 5.0, 2), ("W Control Board", 1.0, 1)],
        )

    def test_average_durations(self):
        stats = self._stats()
        self.assertAlmostEqual(stats["avg_to_submit_hours"], 32.0)
        self.assertAlmostEqual(stats["avg_to_approve_hours"], 18.0)
        self.assertEqual(stats["approved_count"], 2)
        empty = self._stats(date_from="2024-01-01", date_to="2024-12-31")
        self.assertIsNone(empty["avg_to_submit_hours"])
        self.assertEqual((empty["report_count"], empty["parts"]), (0, []))

    def test_other_agent_counts_its_own(self):
        stats = self._stats(self.agent_b)
        self.assertEqual(stats["report_count"], 1)
        self.assertEqual([(p["quantity"]) for p in stats["parts"]], [100.0])

    def test_queries_do_not_grow_with_the_reports(self):
        Statement = self.env["aftersales.agent.statement"].with_context(tz="UTC")
        Statement._performance(self.agent_a, "2025-01-01", "2025-03-31", lang="en_US")
        self.env.invalidate_all()
        with self.assertQueryCount(8) as _counter:
            Statement._performance(self.agent_a, "2025-01-01", "2025-12-31", lang="en_US")
        for _index in range(5):
            self._filed("paid_repair", "2025-03-01 00:00", "2025-03-02 00:00", None, [])
        self.env.invalidate_all()
        with self.assertQueryCount(8):
            stats = Statement._performance(self.agent_a, "2025-01-01", "2025-12-31", "en_US")
        self.assertEqual(stats["report_count"], 9)


@tagged("post_install", "-at_install")
class TestPerformancePortal(PerformanceFixtures, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        (cls.user_a | cls.user_b).write({"lang": "en_US", "tz": "UTC"})
        new_test_user(
            cls.env, login="pf_customer", password="pf_customer", groups="base.group_portal"
        )

    def test_agent_sees_its_own_figures(self):
        self.authenticate("agent_a", "agent_a")
        url = "/my/performance?date_from=2025-01-01&date_to=2025-03-31"
        for query in ("", f"&agent_id={self.agent_b.id}"):
            response = self.url_open(url + query)
            self.assertEqual(response.status_code, 200)
            root = lxml.html.fromstring(response.content)
            [count] = root.xpath("//*[hasclass('o_aftersales_performance_count')]")
            self.assertEqual(count.text_content().strip(), "3")
            parts = [
                " ".join(li.text_content().split())
                for li in root.xpath("//ul[hasclass('o_aftersales_performance_parts')]/li")
            ]
            self.assertEqual(parts, ["W Thermocouple 5 Units", "W Control Board 1 Units"])
            text = " ".join(root.text_content().split())
            self.assertIn("32.0 hours", text)
            self.assertIn("18.0 hours", text)
            self.assertNotIn("100 Units", text)
        # The portal home shows the agent its two tiles.
        home = self.url_open("/my/home").text
        self.assertIn("/my/statement", home)
        self.assertIn("/my/performance", home)

    def test_performance_fits_a_phone(self):
        self.user_a.lang = "fa_IR"
        self.browser_size = "375x800"
        self.browser_js(
            "/my/performance?date_from=2025-01-01&date_to=2025-03-31",
            FITS_THE_SCREEN,
            login="agent_a",
        )

    def test_customer_has_no_performance_page_nor_tile(self):
        self.authenticate("pf_customer", "pf_customer")
        self.assertEqual(self.url_open("/my/performance").status_code, 404)
        self.assertNotIn('href="/my/performance"', self.url_open("/my/home").text)
