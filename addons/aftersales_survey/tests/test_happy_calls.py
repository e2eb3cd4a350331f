"""Happy calls: queued when jobs are done (in-house always, agent jobs by a reproducible
sample, a customer not twice within the gap), answered by an operator for the customer,
scored, locked; unhappy answers open complaints, interest and old devices opportunities."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SurveyCase


@tagged("post_install", "-at_install")
class TestHappyCalls(SurveyCase):
    def _customer(self, name):
        return self.env["res.partner"].create({"name": name, "mobile": "09121110000"})

    def test_in_house_jobs_are_always_called(self):
        job = self._done_job(technician=self.technician)
        call = job.happy_call_ids
        self.assertEqual(len(call), 1)
        self.assertEqual(
            (call.state, call.technician_id, call.survey_id),
            ("queued", self.technician, self.survey),
        )
        self.assertEqual(call.priority_date, job.done_date)

    def test_agent_jobs_sampled_reproducibly(self):
        self.agent_a.aftersales_happy_call_share = 0.0
        customers = [self._customer(f"S{i}") for i in range(10)]
        jobs = [self._done_job(self.agent_a, partner=c) for c in customers]
        self.assertFalse(any(job.happy_call_ids for job in jobs))
        self.agent_a.aftersales_happy_call_share = 100.0
        jobs = [self._done_job(self.agent_a, partner=self._customer(f"T{i}")) for i in range(5)]
        self.assertTrue(all(job.happy_call_ids for job in jobs))
        # A share between: the same jobs are chosen every time the queue runs.
        self.agent_a.aftersales_happy_call_share = 50.0
        jobs = self.env["aftersales.request"].browse(
            [self._done_job(self.agent_a, partner=self._customer(f"U{i}")).id for i in range(30)]
        )
        first = jobs.happy_call_ids.request_id
        self.assertTrue(0 < len(first) < 30)
        jobs.happy_call_ids.unlink()
        self.Call._queue_for(jobs)
        self.assertEqual(jobs.happy_call_ids.request_id, first)

    def test_customer_not_called_twice_within_the_gap(self):
        self.agent_a.aftersales_happy_call_share = 100.0
        first = self._done_job(self.agent_a)
        second = self._done_job(self.agent_a)
        self.assertTrue(first.happy_call_ids)
        self.assertFalse(second.happy_call_ids)
        self.company.aftersales_happy_call_gap_days = 0
        third = self._done_job(self.agent_a)
        self.assertTrue(third.happy_call_ids)

    def test_operator_answers_and_it_is_locked(self):
        job = self._done_job(technician=self.technician)
        call = job.happy_call_ids.with_user(self.operator)
        action = call.action_answer()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(call.user_input_id.access_token, action["url"])
        self.assertEqual(call.state, "in_progress")
        self._answer(call, [4, 4, 3])
        self.assertEqual(call.state, "done")
        self.assertAlmostEqual(call.score, 91.67, places=2)  # 11 of 12
        self.assertFalse(call.is_unhappy)
        self.assertFalse(call.complaint_id)
        # Locked: no answer changes, no reopening, no new attempt.
        line = call.user_input_id.user_input_line_ids[:1]
        with self.assertRaisesRegex(UserError, "locked once submitted"):
            line.sudo().write({"answer_score": 0})
        with self.assertRaisesRegex(UserError, "locked once submitted"):
            call.user_input_id.sudo()._save_lines(
                self.questions[0], self.questions[0].suggested_answer_ids[-1].id
            )
        with self.assertRaisesRegex(UserError, "locked once submitted"):
            call.user_input_id.sudo().write({"state": "in_progress"})
        with self.assertRaisesRegex(UserError, "are closed"):
            call.action_answer()

    def test_unhappy_answer_opens_a_complaint(self):
        job = self._done_job(technician=self.technician)
        call = job.happy_call_ids
        self._answer(call, [1, 2, 2])  # 5 of 12 = 41.67% < 60%
        self.assertTrue(call.is_unhappy)
        complaint = call.complaint_id
        self.assertTrue(complaint)
        self.assertEqual((complaint.request_id, complaint.partner_id), (job, job.partner_id))
        self.assertIn("41.7%", complaint.description)
        self.assertIn(
            complaint, self.env["aftersales.complaint"].search([("request_id", "=", job.id)])
        )

    def test_interest_creates_an_opportunity(self):
        job = self._done_job(technician=self.technician)
        call = job.happy_call_ids
        self._answer(call, [4, 4, 4], interest=True)
        lead = call.lead_id
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual((lead.partner_id, lead.aftersales_request_id), (job.partner_id, job))
        self.assertEqual(lead.source_id, self.env.ref("aftersales_warranty.utm_source_aftersales"))
        self.assertTrue(lead.team_id)  # the sales team rules assign it
        # No interest, device in warranty: no opportunity.
        other = self._done_job(technician=self.technician, partner=self._customer("No interest"))
        self._answer(other.happy_call_ids, [4, 4, 4])
        self.assertFalse(other.happy_call_ids.lead_id)

    def test_nobody_rates_their_own_job(self):
        job = self._done_job(technician=self.technician)
        self.technician.groups_id |= self.env.ref("aftersales_base.group_aftersales_operator")
        with self.assertRaisesRegex(AccessError, "someone else makes its happy call"):
            job.happy_call_ids.with_user(self.technician).action_answer()
        self.assertFalse(job.happy_call_ids.user_input_id)

    def test_attempts_and_callbacks(self):
        job = self._done_job(technician=self.technician)
        call = job.happy_call_ids.with_user(self.operator)
        call.action_log_attempt("no_answer")
        with self.assertRaisesRegex(UserError, "time to call back"):
            call.action_log_attempt("callback")
        call.action_log_attempt("callback", callback_at="2026-12-01 10:00:00")
        self.assertEqual(call.state, "callback")
        self.assertEqual(str(call.priority_date), "2026-12-01 10:00:00")
        call.action_log_attempt("refused", note="Busy customer")
        self.assertEqual(call.state, "refused")
        self.assertEqual(call.attempt_count, 3)
        self.assertEqual(set(call.attempt_ids.mapped("user_id")), {self.operator})

    def test_call_for_a_job_not_done_is_refused(self):
        job = self._job(self.agent_a)
        with self.assertRaisesRegex(UserError, "is not done"):
            job.action_queue_happy_call()
        self.assertFalse(job.happy_call_ids)

    def test_link_sent_by_sms_through_the_company_panel(self):
        job = self._done_job(technician=self.technician)
        call = job.happy_call_ids.with_user(self.operator)
        call.action_send_link()
        sms = self.env["sms.sms"].search([("number", "=", job.mobile)], order="id desc", limit=1)
        self.assertIn(call.user_input_id.access_token, sms.body)
        self.assertIn(job.name, sms.body)
        # Without an SMS panel: refused, nothing sent.
        self.sms_provider.active = False
        other = self._done_job(technician=self.technician, partner=self._customer("No panel"))
        count = self.env["sms.sms"].search_count([])
        with self.assertRaisesRegex(UserError, "sends no SMS"):
            other.happy_call_ids.with_user(self.operator).action_send_link()
        self.assertEqual(self.env["sms.sms"].search_count([]), count)

    def test_old_device_out_of_warranty_gets_an_opportunity(self):
        [lot] = self._lots(self.heater, "SV-OLD-1")
        card = self._issue(lot, partner=self.customer)
        card.sudo().write({"start_date": "2015-01-01"})
        self.company.aftersales_crm_device_age_years = 7
        job = self._done_job(technician=self.technician, lot=lot, service_type=self.type_paid)
        call = job.happy_call_ids
        self._answer(call, [4, 4, 4])
        self.assertTrue(call.lead_id)
        self.assertIn("out of warranty", call.lead_id.description)
        # The device of the class fixture is in warranty: no opportunity.
        fresh = self._done_job(technician=self.technician, partner=self._customer("Fresh"))
        self._answer(fresh.happy_call_ids, [4, 4, 4])
        self.assertFalse(fresh.happy_call_ids.lead_id)
