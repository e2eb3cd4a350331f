from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import AgentCase


@tagged("post_install", "-at_install")
class TestWorkReport(AgentCase):
    def test_fee_from_the_rate_card_and_travel(self):
        job = self._job(self.agent_a)
        report = self._report(job, travel="in_city")
        # Heater category, in the agent's city: the in-city heater rate + in-city travel.
        self.assertEqual(report.travel_zone, "in_city")
        self.assertEqual(report.fee_amount, 800000)
        self.assertEqual(report.travel_amount, 100000)
        self.assertEqual(report.fee_total, 900000)
        far = self._report(self._job(self.agent_a, city="Varamin"), travel="out_of_city")
        self.assertEqual(far.travel_zone, "out_of_city")
        self.assertEqual((far.fee_amount, far.travel_amount), (1100000, 400000))
        # Another category: the rate for every category.
        fan = self._product("W Fan", policy=self.policy_delivery)
        [lot] = self._lots(fan, "AGF-1")
        self._issue(lot, partner=self.customer, date=fields.Date.today())
        other = self._report(self._job(self.agent_a, lot=lot))
        self.assertEqual(other.fee_amount, 600000)

    def test_adjustment_needs_a_manager_and_a_reason(self):
        report = self._report(self._job(self.agent_a))
        with self.assertRaises(AccessError):
            report.with_user(self.operator).fee_adjustment = 50000
        with self.assertRaisesRegex(UserError, "reason of the fee adjustment"):
            report.with_user(self.manager).fee_adjustment = 50000
        report.with_user(self.manager).write(
            {"fee_adjustment": -200000, "fee_adjustment_reason": "Work left unfinished"}
        )
        self.assertEqual(report.fee_total, 800000 - 200000)

    def test_report_on_a_job_of_another_agent_is_refused(self):
        job = self._job(self.agent_a)
        with self.assertRaisesRegex(ValidationError, "not assigned to Agent B"):
            self.env["aftersales.work.report"].create(
                {"request_id": job.id, "agent_id": self.agent_b.id, "report_type": "paid_repair"}
            )
        self.assertFalse(self.env["aftersales.work.report"].search([("request_id", "=", job.id)]))

    def test_bad_parts_are_refused(self):
        job = self._job(self.agent_a)
        with self.assertRaisesRegex(ValidationError, "quantity must be positive"):
            self._report(job, parts=[(self.part, -1, {})])
        with self.assertRaisesRegex(ValidationError, "is not a part"):
            self._report(job, parts=[(self.labour, 1, {})])
        with self.assertRaisesRegex(ValidationError, "serial or lot number"):
            self._report(job, parts=[(self.serial_part, 1, {})])
        report = self._report(job, parts=[(self.serial_part, 1, {"part_serial": "CB-77"})])
        self.assertEqual(report.part_ids.part_serial, "CB-77")

    def test_warranty_repair_out_of_warranty_needs_an_override(self):
        [lot] = self._lots(self.heater, "AGH-OLD")
        card = self._issue(
            lot, partner=self.customer, date=fields.Date.today() - timedelta(days=800)
        )
        self.assertEqual(card.warranty_status, "expired")
        # Registered as a paid repair; the agent reports it as a warranty repair.
        report = self._report(self._job(self.agent_a, lot=lot, service_type=self.type_paid))
        with self.assertRaisesRegex(UserError, "not covered"):
            report.action_submit()
        self.assertEqual(report.state, "draft")
        with self.assertRaises(AccessError):
            report.with_user(self.operator).action_override_warranty("Goodwill")
        report.with_user(self.manager).action_override_warranty("Goodwill for a key account")
        report.action_submit()
        self.assertEqual(report.state, "submitted")
        self.assertIn("expired", report.warranty_status)

    def test_lifecycle_with_the_customers_code(self):
        job = self._job(self.agent_a)
        report = self._report(job, parts=[(self.part, 2, {})], travel="in_city")
        before = fields.Datetime.now()
        self._confirm(report)
        self.assertTrue(report.customer_confirmed)
        self.assertEqual(report.confirmation_method, "code")
        report.action_submit()
        self.assertGreaterEqual(report.submitted_date, before.replace(microsecond=0))
        self.assertEqual(job.agent_state, "reported")
        with self.assertRaises(AccessError):
            report.with_user(self.operator).action_approve()
        report.with_user(self.manager).action_approve()
        self.assertEqual(report.state, "approved")
        with self.assertRaisesRegex(UserError, "decided"):
            report.labour_hours = 3
        # The parts and the report are on the card's history.
        self.assertEqual(self.heater_card.history_count, 1 + 1 + 1)

    def test_wrong_expired_and_too_many_codes(self):
        report = self._report(self._job(self.agent_a))
        ok, message = report._confirm_with_code("123456")
        self.assertFalse(ok)
        self.assertIn("No code was sent", message)
        report._send_confirmation_code()
        # The hash is for administrators only; the code itself is stored nowhere.
        self.assertNotIn("code_hash", report.with_user(self.manager).read()[0])
        for _try in range(self.company.aftersales_agent_code_tries):
            ok, message = report._confirm_with_code("000000x")
            self.assertFalse(ok)
        ok, message = report._confirm_with_code("000000")
        self.assertIn("Too many wrong codes", message)
        self.assertFalse(report.customer_confirmed)
        report._send_confirmation_code()
        report.sudo().code_expiry = fields.Datetime.now() - timedelta(minutes=1)
        ok, message = report._confirm_with_code("000000")
        self.assertIn("expired", message)
        # Unconfirmed: only an explicit approval with a reason.
        report.action_submit()
        with self.assertRaisesRegex(UserError, "has not confirmed"):
            report.with_user(self.manager).action_approve()
        with self.assertRaisesRegex(UserError, "reason"):
            report.with_user(self.manager).action_approve_unconfirmed(" ")
        report.with_user(self.manager).action_approve_unconfirmed("Customer unreachable, photos ok")
        self.assertEqual((report.state, report.confirmation_method), ("approved", "manager"))

    def test_installation_report_starts_the_warranty(self):
        [lot] = self._lots(self.air_conditioner, "AGAC-1")
        card = self._issue(lot, partner=self.customer)
        self.assertEqual(card.state, "draft")
        report = self._report(
            self._job(self.agent_a, service_type=self.type_install, lot=lot), "installation"
        )
        self._confirm(report)
        report.action_submit()
        report.with_user(self.manager).action_approve()
        self.assertEqual(card.state, "active")
        self.assertEqual(card.start_date, fields.Date.to_date(report.submitted_date))
        self.assertEqual(report.fee_amount, 500000)

    def test_repeat_repair_and_chargeback(self):
        first = self._report(self._job(self.agent_a))
        self._confirm(first)
        first.action_submit()
        first.with_user(self.manager).action_approve()
        second = self._report(self._job(self.agent_a))
        second.action_submit()
        self.assertTrue(second.is_repeat)
        self.assertEqual(second.repeat_of_id, first)
        second.with_user(self.manager).action_charge_back("Same fault within a week")
        self.assertEqual(first.chargeback_amount, first.fee_total)
        with self.assertRaisesRegex(UserError, "already charged back"):
            second.with_user(self.manager).action_charge_back("Again")
        # Another agent's repair of the serial is no repeat of A's job.
        job_b = self._job(self.agent_b)
        third = self._report(job_b)
        third.action_submit()
        self.assertFalse(third.is_repeat)

    def test_a_later_rate_change_does_not_move_an_approved_fee(self):
        approved = self._report(self._job(self.agent_a), travel="in_city")
        self._confirm(approved)
        approved.action_submit()
        approved.with_user(self.manager).action_approve()
        draft = self._report(self._job(self.agent_a, city="Tehran"), travel="in_city")
        rate = approved.rate_id
        rate.amount = 950000
        self.env.flush_all()
        approved.invalidate_recordset()
        self.assertEqual((approved.fee_amount, approved.fee_total), (800000, 900000))
        self.assertEqual((draft.fee_amount, draft.fee_total), (950000, 1050000))
