"""Scorecard arithmetic against hand-computed figures, snapshots that do not move, and
weights that cannot sum to zero."""

from datetime import timedelta

import jdatetime

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import SurveyCase


@tagged("post_install", "-at_install")
class TestScorecards(SurveyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "aftersales_weight_satisfaction": 40,
                "aftersales_weight_complaints": 20,
                "aftersales_weight_workload": 10,
                "aftersales_weight_repeats": 10,
                "aftersales_weight_confirmed": 10,
                "aftersales_weight_sla": 10,
                "aftersales_weight_cores": 0,
            }
        )
        cls.agent_a.aftersales_daily_capacity = 1
        cls.agent_a.aftersales_happy_call_share = 100.0
        jtoday = jdatetime.date.fromgregorian(date=fields.Date.today())
        cls.period = {"jalali_year": jtoday.year, "jalali_month": str(jtoday.month)}

    def _scorecard(self):
        card = self.env["aftersales.scorecard"].with_user(self.manager).create(self.period)
        card.action_compute()
        return card

    def test_agent_scorecard_by_hand(self):
        customers = [
            self.env["res.partner"].create({"name": f"SC{i}", "mobile": f"0912000000{i}"})
            for i in range(4)
        ]
        jobs = [self._job(self.agent_a, partner_id=c.id) for c in customers]
        # Approved reports on the same serial: the agent addon flags the 2nd and 3rd as
        # repeat repairs of the 1st; two are confirmed by the customer.
        reports = self.env["aftersales.work.report"]
        for job in jobs[:3]:
            report = self._report(job, report_type="paid_repair")
            report.action_submit()
            reports |= report
        reports[:2].sudo().write({"customer_confirmed": True})
        reports.with_user(self.manager).action_approve_unconfirmed("Checked")
        for job in jobs:
            job.stage_id = self.stage_done
        # SLA: three jobs within, one past its deadline.
        jobs[0].sla_deadline = jobs[0].done_date - timedelta(hours=1)
        # Satisfaction: two calls answered, 12/12 and 6/12 -> mean 75%.
        self._answer(jobs[0].happy_call_ids, [4, 4, 4])
        self._answer(jobs[1].happy_call_ids, [2, 2, 2])
        # One negative point on a complaint of the period.
        complaint = self.env["aftersales.complaint"].create(
            {"partner_id": customers[2].id, "request_id": jobs[2].id, "description": "Late"}
        )
        self.env["aftersales.complaint.penalty"].create(
            {
                "complaint_id": complaint.id,
                "agent_id": self.agent_a.id,
                "points": 1,
                "reason": "Late",
            }
        )
        card = self._scorecard()
        line = card.line_ids.filtered(lambda sc: sc.agent_id == self.agent_a)
        days = (card.date_to - card.date_from).days + 1
        self.assertEqual((line.jobs, line.calls, line.penalty_points), (4, 2, 1))
        self.assertEqual((line.reports, line.confirmed, line.repeats), (3, 2, 2))
        self.assertEqual((line.sla_total, line.sla_ok), (4, 3))
        self.assertEqual(line.capacity, days)
        self.assertAlmostEqual(line.satisfaction_score, 75.0)
        self.assertAlmostEqual(line.complaints_score, 75.0)  # 100 - 100 x 1/4
        self.assertAlmostEqual(line.workload_score, 400.0 / days)
        self.assertAlmostEqual(line.repeats_score, 50.0)  # 100 - 100 x 2/4
        self.assertAlmostEqual(line.confirmed_score, 200.0 / 3)
        self.assertAlmostEqual(line.sla_score, 75.0)
        expected = (
            40 * 75 + 20 * 75 + 10 * (400.0 / days) + 10 * 50 + 10 * (200.0 / 3) + 10 * 75
        ) / 100
        self.assertAlmostEqual(line.score, expected, places=4)
        self.assertEqual(line.rank, 1)
        # Agent B did nothing in the period: no line.
        self.assertFalse(card.line_ids.filtered(lambda sc: sc.agent_id == self.agent_b))

    def test_snapshot_does_not_move(self):
        job = self._done_job(self.agent_a)
        self._answer(job.happy_call_ids, [4, 4, 4])
        card = self._scorecard()
        card.action_confirm()
        line = card.line_ids
        before = (line.score, line.satisfaction_score, line.jobs)
        # Rules and data change afterwards...
        self.company.aftersales_weight_satisfaction = 1
        self._done_job(self.agent_a, partner=self.env["res.partner"].create({"name": "Later"}))
        with self.assertRaisesRegex(UserError, "snapshot"):
            card.action_compute()
        with self.assertRaisesRegex(UserError, "snapshot"):
            card.write({"date_to": card.date_to + timedelta(days=1)})
        line.invalidate_recordset()
        self.assertEqual((line.score, line.satisfaction_score, line.jobs), before)
        self.assertIn('"satisfaction": 40', card.weights)

    def test_weights_that_sum_to_zero_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "sum to zero"):
            self.company.write(
                {
                    "aftersales_weight_satisfaction": 0,
                    "aftersales_weight_complaints": 0,
                    "aftersales_weight_workload": 0,
                    "aftersales_weight_repeats": 0,
                    "aftersales_weight_confirmed": 0,
                    "aftersales_weight_sla": 0,
                    "aftersales_weight_cores": 0,
                }
            )
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.company.aftersales_weight_sla = -5

    def test_technician_scorecard(self):
        job = self._done_job(technician=self.technician)
        self._answer(job.happy_call_ids, [3, 3, 3])  # 75%
        card = self._scorecard()
        line = card.line_ids.filtered(lambda sc: sc.technician_id == self.technician)
        self.assertEqual((line.subject_type, line.jobs, line.calls), ("technician", 1, 1))
        self.assertAlmostEqual(line.satisfaction_score, 75.0)
        self.assertFalse(line.has_workload)

    def test_monthly_cron_confirms_the_previous_month_once(self):
        Scorecard = self.env["aftersales.scorecard"]
        Scorecard._cron_monthly_snapshot()
        year, month = Scorecard._default_period()
        cards = Scorecard.search(
            [
                ("company_id", "=", self.company.id),
                ("jalali_year", "=", year),
                ("jalali_month", "=", str(month)),
            ]
        )
        self.assertEqual(len(cards), 1)
        self.assertEqual(cards.state, "done")
        Scorecard._cron_monthly_snapshot()
        self.assertEqual(
            Scorecard.search_count(
                [
                    ("company_id", "=", self.company.id),
                    ("jalali_year", "=", year),
                    ("jalali_month", "=", str(month)),
                ]
            ),
            1,
        )
