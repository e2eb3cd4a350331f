from datetime import timedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestWorkshop(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.request = cls._create_request(
            user=cls.operator,
            service_type_id=cls.type_workshop.id,
            technician_id=cls.tech_a.id,
            line_ids=[
                Command.create({"product_id": cls.heater.id, "serial_number": "ws-1"}),
                Command.create({"product_id": cls.washer.id, "serial_number": "ws-2"}),
            ],
        )

    def test_lines_wait_for_qc(self):
        self.assertTrue(self.request.is_workshop)
        self.assertEqual(set(self.request.line_ids.mapped("qc_state")), {"pending"})
        field_job = self._create_request()
        self.assertEqual(field_job.line_ids.qc_state, "none")
        with self.assertRaisesRegex(UserError, "workshop repairs only"):
            field_job.line_ids.action_qc_pass()

    def test_diagnosis_gives_estimated_ready_date(self):
        line = self.request.line_ids[0].with_user(self.tech_a)
        line.write({"diagnosis": "Thermocouple worn", "estimated_repair_hours": 5})
        self.assertTrue(line.diagnosis_date)
        self.assertEqual(line.estimated_ready_date, line.diagnosis_date + timedelta(hours=5))
        self.assertEqual(self.request.estimated_ready_date, line.estimated_ready_date)

    def test_no_delivery_before_qc_pass(self):
        lines = self.request.line_ids.with_user(self.operator)
        with self.assertRaisesRegex(UserError, "quality control"):
            lines[0].action_deliver()
        self.assertFalse(lines[0].delivery_date)
        with self.assertRaisesRegex(UserError, "quality control"):
            self.request.with_user(self.operator).action_deliver()
        with self.assertRaisesRegex(UserError, "quality control"):
            self.request.with_user(self.operator).stage_id = self.env.ref(
                "aftersales_base.stage_done"
            )
        self.assertFalse(self.request.is_closed)
        lines[0].action_qc_fail()
        self.assertEqual(lines[0].qc_state, "failed")
        with self.assertRaisesRegex(UserError, "quality control"):
            lines[0].action_deliver()

    def test_qc_pass_then_deliver_closes_request(self):
        self.request.line_ids.with_user(self.operator).action_qc_pass()
        self.assertEqual(set(self.request.line_ids.mapped("qc_state")), {"passed"})
        self.assertEqual(self.request.line_ids.qc_user_id, self.operator)
        self.request.with_user(self.operator).action_deliver()
        self.assertTrue(all(self.request.line_ids.mapped("delivery_date")))
        self.assertTrue(self.request.delivery_date)
        self.assertEqual(self.request.stage_id, self.env.ref("aftersales_base.stage_done"))
        self.assertTrue(self.request.done_date)
        with self.assertRaisesRegex(UserError, "already delivered"):
            self.request.line_ids[0].action_deliver()

    def test_repairing_technician_cannot_pass_own_qc(self):
        operator_tech = self.operator
        self.request.technician_id = operator_tech
        with self.assertRaisesRegex(UserError, "cannot pass its quality control"):
            self.request.line_ids[0].with_user(operator_tech).action_qc_pass()
        self.request.line_ids[0].with_user(self.manager).action_qc_pass()
        self.assertEqual(self.request.line_ids[0].qc_state, "passed")

    def test_cancel_is_allowed_without_qc(self):
        self.request.stage_id = self.env.ref("aftersales_base.stage_cancel")
        self.assertTrue(self.request.is_closed)
        self.assertFalse(self.request.done_date)

    def test_receipt_in_persian_is_rtl_with_jalali_dates(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        self.request.partner_id.lang = "fa_IR"
        self.request.request_date = "2025-03-21 06:30:00"  # 1 Farvardin 1404, 10:00 Tehran
        self.operator.tz = "Asia/Tehran"
        html, _fmt = (
            self.env["ir.actions.report"]
            .with_user(self.operator)
            ._render_qweb_html("aftersales_base.action_report_request_receipt", self.request.ids)
        )
        html = html.decode()
        self.assertIn('dir="rtl"', html)
        self.assertNotIn("03/21/2025", html)
        self.assertIn("۱۴۰۴/۰۱/۰۱ ۱۰:۰۰", html)
        self.assertIn(self.request.name, html)
        self.assertIn(f'alt="Barcode {self.request.name}"', html)
        self.assertIn("WS-1", html)

    def test_receipt_in_english_is_gregorian(self):
        self.request.partner_id.lang = "en_US"
        self.request.request_date = "2025-03-21 06:30:00"
        self.env.user.tz = "UTC"
        html, _fmt = self.env["ir.actions.report"]._render_qweb_html(
            "aftersales_base.action_report_request_receipt", self.request.ids
        )
        html = html.decode()
        self.assertIn('dir="ltr"', html)
        self.assertNotIn("۱۴۰۴", html)
        self.assertIn("03/21/2025 06:30", html)

    def test_next_step_of_a_workshop_request(self):
        request = self.request.with_user(self.operator)
        # Just received: the receipt is next; no delivery, no QC before a diagnosis.
        self.assertTrue(request.is_awaiting_diagnosis)
        self.assertFalse(request.is_ready_to_deliver)
        request.line_ids.with_user(self.tech_a).write({"diagnosis": "Worn"})
        self.assertFalse(request.is_awaiting_diagnosis)
        self.assertFalse(request.is_ready_to_deliver)
        request.line_ids[0].action_qc_pass()
        self.assertFalse(request.is_ready_to_deliver, "one device still waits for QC")
        request.line_ids[1].action_qc_pass()
        self.assertTrue(request.is_ready_to_deliver)
        request.action_deliver()
        self.assertFalse(request.is_ready_to_deliver)
        field_job = self._create_request()
        self.assertFalse(field_job.is_awaiting_diagnosis or field_job.is_ready_to_deliver)

    def test_field_job_devices_are_not_delivered(self):
        field_job = self._create_request(user=self.operator)
        with self.assertRaisesRegex(UserError, "brought to the workshop"):
            field_job.with_user(self.operator).action_deliver()
        self.assertFalse(field_job.line_ids.delivery_date)
        self.assertFalse(field_job.is_closed)

    def test_diagnosis_given_at_creation_is_dated(self):
        request = self._create_request(
            service_type_id=self.type_workshop.id,
            line_ids=[
                Command.create(
                    {"product_id": self.heater.id, "diagnosis": "Fan", "estimated_repair_hours": 3}
                )
            ],
        )
        line = request.line_ids
        self.assertTrue(line.diagnosis_date)
        self.assertEqual(line.estimated_ready_date, line.diagnosis_date + timedelta(hours=3))

    def test_qc_result_is_not_written_by_hand(self):
        line = self.request.line_ids[0].with_user(self.operator)
        with self.assertRaisesRegex(UserError, "QC Pass, QC Fail and Deliver"):
            line.write({"qc_state": "passed"})
        with self.assertRaisesRegex(UserError, "QC Pass, QC Fail and Deliver"):
            line.write({"delivery_date": "2025-01-01 00:00:00"})
        self.assertEqual(line.qc_state, "pending")
        # A copy of the request starts its quality control again.
        self.request.line_ids.with_user(self.manager).action_qc_pass()
        copy = self.request.copy()
        self.assertEqual(set(copy.line_ids.mapped("qc_state")), {"pending"})
