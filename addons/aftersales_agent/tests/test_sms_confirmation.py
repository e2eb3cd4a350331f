from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import AgentCase


@tagged("post_install", "-at_install")
class TestSmsConfirmation(AgentCase, HttpCase):
    """The customer texts the code back to the company's SMS line."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.sms_provider
        cls.report = cls._report(cls._job(cls.agent_a))

    def _text(self, sender, message):
        self.env.flush_all()
        response = self.url_open(
            f"/aftersales/sms/inbound/{self.provider.inbound_token}",
            data={"from": sender, "message": message},
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        return response.text

    def _sent_code(self):
        self.report._send_confirmation_code()
        sms = self.env["sms.sms"].search([("number", "=", self.customer.mobile)], order="id desc")
        self.assertTrue(sms, "the code goes to the customer's mobile")
        body = sms[0].body
        self.assertNotIn(body, self.report.request_id.message_ids.mapped("body"))
        return "".join(ch for ch in body.split(" is ")[1] if ch.isdigit())[:6]

    def test_reply_with_the_code_in_persian_digits(self):
        code = self._sent_code()
        persian = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
        self.assertEqual(self._text("+98 912 555 1234", f" {persian} "), "visit_confirmed")
        self.assertTrue(self.report.customer_confirmed)
        self.assertEqual(self.report.confirmation_method, "sms")

    def test_wrong_code_or_another_number(self):
        code = self._sent_code()
        wrong = f"{(int(code) + 1) % 1000000:06d}"
        self.assertEqual(self._text("09125551234", wrong), "unmatched")
        self.assertEqual(self.report.code_tries, 1)
        # Another phone with the right code: not the customer, not a confirmation.
        self._text("09120000000", code)
        self.assertFalse(self.report.customer_confirmed)
        self.assertEqual(self._text("09125551234", code), "visit_confirmed")
        self.assertTrue(self.report.customer_confirmed)

    def test_no_code_without_the_companys_sms_panel(self):
        self.provider.active = False
        with self.assertRaisesRegex(UserError, "sends no SMS"):
            self.report._send_confirmation_code()
        self.assertFalse(self.report.code_expiry)
