"""Warranty check and registration by SMS, through the provider's inbound route."""

from datetime import date

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common import WarrantyCase

CUSTOMER = "+989125551234"  # the mobile of WarrantyCase's customer
STRANGER = "+989127770000"


@tagged("post_install", "-at_install")
class TestSmsWarranty(WarrantyCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fa_IR")
        # The replies' Persian texts are the addon's fa.po (what an upgrade loads).
        cls.env["ir.module.module"]._load_module_terms(
            ["aftersales_warranty"], ["fa_IR"], overwrite=True
        )
        cls.company.partner_id.write({"lang": "fa_IR", "tz": "Asia/Tehran"})
        cls.company.aftersales_warranty_sms_keyword = False
        cls.provider = cls.env["aftersales.sms.provider"].create(
            {
                "name": "Warranty line",
                "endpoint": "http://127.0.0.1:9/v1",
                "api_key": "K",
                "sender": "1",
            }
        )
        cls.token = cls.provider.inbound_token
        cls.customer.lang = "en_US"
        # In warranty until 2030-05-31 (Jalali 1409/03/10), whatever day the test runs.
        cls.heater_card = cls._issue(
            cls._lots(cls.heater, "SN-W001"), partner=cls.customer, date=date(2025, 6, 1)
        )
        cls.heater_card.extension_months = 48
        cls.Inbound = cls.env["aftersales.sms.inbound"]
        cls.Sms = cls.env["sms.sms"]

    def _text(self, sender, message):
        self.env.flush_all()
        response = self.url_open(
            f"/aftersales/sms/inbound/{self.token}", data={"from": sender, "message": message}
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        return response.text, self.Inbound.search([("sender", "=", sender)], limit=1)

    def _replies(self, number):
        return self.Sms.search([("number", "=", number)], order="id")

    def _tehran_today(self):
        return fields.Date.context_today(self.env["res.partner"].with_context(tz="Asia/Tehran"))

    # ------------------------------------------------------------------
    # Questions
    # ------------------------------------------------------------------

    def test_bare_serial_any_spelling(self):
        outcome, inbound = self._text("09125551234", " sn-w 001 ")
        self.assertEqual(outcome, "warranty")
        self.assertEqual(inbound.state, "warranty")
        self.assertEqual(inbound.warranty_card_id, self.heater_card)
        self.assertEqual(inbound.warranty_status, "in_warranty")
        self.assertEqual(inbound.partner_id, self.customer)
        self.assertIn(self.heater_card.name, inbound.note)
        reply = self._replies(CUSTOMER)
        self.assertEqual(len(reply), 1)
        self.assertEqual(reply.state, "outgoing")
        self.assertEqual(reply.partner_id, self.customer)
        self.assertEqual(reply.body, "Serial SN-W001: in warranty until 05/31/2030.")

    def test_persian_digits(self):
        card = self._issue(self._lots(self.heater, "8800123"), partner=self.customer)
        _outcome, inbound = self._text("09125551234", "۸۸۰۰١٢٣")
        self.assertEqual(inbound.warranty_card_id, card)

    def test_keyword_and_serial(self):
        self.company.aftersales_warranty_sms_keyword = "گارانتی"
        # Arabic yeh from the phone's keyboard, Persian digits; no space needed after a
        # Persian keyword
        _outcome, inbound = self._text("09125551234", "گارانتيsn-w۰۰۱")
        self.assertEqual(inbound.state, "warranty")
        self.assertEqual(inbound.warranty_card_id, self.heater_card)
        self.assertEqual(len(self._replies(CUSTOMER)), 1)

    def test_latin_keyword_needs_a_separator(self):
        self.company.aftersales_warranty_sms_keyword = "w"
        _outcome, inbound = self._text("09125551234", "W SN-W001")
        self.assertEqual(inbound.warranty_card_id, self.heater_card)
        # With a keyword, a bare serial or a run-together word is not a question.
        _outcome, other = self._text("09127770001", "SN-W001")
        self.assertEqual(other.state, "unmatched")
        _outcome, other = self._text("09127770002", "WSN-W001")
        self.assertEqual(other.state, "unmatched")
        self.assertFalse(self._replies("+989127770001") | self._replies("+989127770002"))

    def test_unknown_serial(self):
        _outcome, inbound = self._text("09127770000", "XZ99999")
        self.assertEqual(inbound.state, "warranty")
        self.assertEqual(inbound.warranty_status, "unknown_serial")
        self.assertFalse(inbound.warranty_card_id)
        # A stranger gets the company's language (Persian here).
        self.assertEqual(
            self._replies(STRANGER).body,
            "برای سریال XZ99999 کارت گارانتی وجود ندارد. سریال را روی برچسب دستگاه بررسی "
            "کنید و دوباره تلاش کنید.",
        )

    def test_free_text_stays_a_message(self):
        """A bare message that is not a serial keeps the base behaviour and gets no reply."""
        _outcome, inbound = self._text("09127770000", "The heater 2 is broken")
        self.assertEqual(inbound.state, "unmatched")
        self.assertFalse(self._replies(STRANGER))

    def test_reply_in_persian_with_jalali_date(self):
        self.customer.lang = "fa_IR"
        self._text("09125551234", "SN-W001")
        self.assertEqual(self._replies(CUSTOMER).body, "سریال SN-W001: تحت گارانتی تا ۱۴۰۹/۰۳/۱۰.")

    def test_unknown_sender_gets_the_company_language(self):
        self._text("09127770000", "SN-W001")
        self.assertEqual(self._replies(STRANGER).body, "سریال SN-W001: تحت گارانتی تا ۱۴۰۹/۰۳/۱۰.")

    def test_dealer_period(self):
        card = self._issue(self._lots(self.air_conditioner, "AC-77"), dealer=self.dealer)
        self.assertEqual(card.state, "dealer")
        _outcome, inbound = self._text("09125551234", "AC-77")
        self.assertEqual(inbound.warranty_status, "dealer_period")
        self.assertEqual(inbound.warranty_date, card.dealer_deadline)
        self.assertEqual(card.state, "dealer", "an installation card is not started by SMS")
        self.assertEqual(
            self._replies(CUSTOMER).body,
            "Serial AC-77 is at the dealer, not sold yet. Dealer period until "
            f"{card.dealer_deadline.strftime('%m/%d/%Y')}.",
        )

    def test_expired(self):
        card = self._issue(
            self._lots(self.heater, "OLD-1"), partner=self.customer, date=date(2020, 1, 1)
        )
        _outcome, inbound = self._text("09125551234", "OLD-1")
        self.assertEqual(inbound.warranty_card_id, card)
        self.assertEqual(inbound.warranty_status, "expired")
        self.assertEqual(
            self._replies(CUSTOMER).body, "Serial OLD-1: the warranty expired on 12/31/2020."
        )

    def test_voided(self):
        card = self._issue(self._lots(self.heater, "VOID-1"), partner=self.customer)
        card._void(self.env.ref("aftersales_warranty.void_reason_physical_damage"), "Dropped")
        _outcome, inbound = self._text("09125551234", "VOID-1")
        self.assertEqual(inbound.warranty_status, "voided")
        self.assertIn("the warranty was voided on", self._replies(CUSTOMER).body)

    # ------------------------------------------------------------------
    # Registration
    # ------------------------------------------------------------------

    def test_first_message_from_the_buyer_starts_the_warranty(self):
        card = self._issue(self._lots(self.radio, "R-100"), partner=self.customer)
        self.assertEqual(card.state, "draft")
        _outcome, inbound = self._text("09125551234", "R-100")
        self.assertEqual(card.state, "active")
        self.assertEqual(card.start_date, self._tehran_today())
        self.assertEqual(card.activation_source, "registration")
        self.assertEqual(card.partner_id, self.customer)
        self.assertEqual(self._last_event(card).event_type, "activate")
        self.assertTrue(inbound.warranty_registered)
        self.assertEqual(inbound.warranty_status, "in_warranty")
        self.assertEqual(
            self._replies(CUSTOMER).body,
            f"Serial R-100 is registered to you. Your warranty runs until "
            f"{card.end_date.strftime('%m/%d/%Y')}.",
        )
        # The second message changes nothing; it gets the status.
        events = card.event_ids
        start, end = card.start_date, card.end_date
        _outcome, again = self._text("09125551234", "R-100")
        self.assertFalse(again.warranty_registered)
        self.assertEqual((card.start_date, card.end_date), (start, end))
        self.assertEqual(card.event_ids, events)
        self.assertIn("in warranty until", self._replies(CUSTOMER)[-1].body)

    def test_other_phone_does_not_start_someone_elses_card(self):
        card = self._issue(self._lots(self.radio, "R-200"), partner=self.customer)
        _outcome, inbound = self._text("09127770000", "R-200")
        self.assertEqual(card.state, "draft")
        self.assertFalse(card.start_date)
        self.assertFalse(inbound.warranty_registered)
        self.assertEqual(inbound.warranty_status, "not_active")
        self.assertEqual(self._replies(STRANGER).body, "سریال R-200: گارانتی هنوز آغاز نشده است.")
        self.assertFalse(
            self.env["res.partner"].search([("aftersales_mobile_e164", "=", STRANGER)]),
            "no contact is made for a stranger",
        )

    def test_card_without_customer_goes_to_the_first_sender(self):
        """The serial is read off the device: whoever texts it first holds the device and
        becomes its customer (a new contact, in the company's language)."""
        card = self._issue(self._lots(self.radio, "R-300"))
        self.assertEqual((card.state, card.partner_id.id), ("draft", False))
        _outcome, inbound = self._text("09127770000", "R-300")
        self.assertEqual(card.state, "active")
        self.assertEqual(card.activation_source, "registration")
        self.assertEqual(card.partner_id.aftersales_mobile_e164, STRANGER)
        self.assertEqual(card.partner_id.lang, "fa_IR")
        self.assertEqual(inbound.partner_id, card.partner_id)
        self.assertEqual(self._replies(STRANGER).partner_id, card.partner_id)

    def test_dealer_phone_does_not_sell_the_device(self):
        self.dealer.mobile = "0912 444 0000"
        card = self._issue(self._lots(self.radio, "R-400"), dealer=self.dealer)
        self.assertEqual(card.state, "dealer")
        _outcome, inbound = self._text("09124440000", "R-400")
        self.assertEqual(card.state, "dealer")
        self.assertEqual(inbound.warranty_status, "dealer_period")
        # The buyer then registers it.
        self._text("09125551234", "R-400")
        self.assertEqual(card.state, "active")
        self.assertEqual(card.partner_id, self.customer)

    # ------------------------------------------------------------------
    # Abuse and the base behaviour
    # ------------------------------------------------------------------

    def test_replies_per_hour(self):
        for _i in range(6):
            self._text("09127770000", "XZ99999")
        inbound = self.Inbound.search([("sender", "=", "09127770000")], order="id")
        self.assertEqual(len(inbound), 6)
        self.assertEqual(set(inbound.mapped("state")), {"warranty"})
        self.assertEqual(inbound.mapped("warranty_replied"), [True] * 5 + [False])
        self.assertEqual(len(self._replies(STRANGER)), 5)
        # Another number is not limited by this one.
        self._text("09125551234", "SN-W001")
        self.assertEqual(len(self._replies(CUSTOMER)), 1)

    def test_replies_per_hour_beyond_the_limit_does_not_register(self):
        self.env["ir.config_parameter"].set_param("aftersales_warranty.sms_replies_per_hour", 1)
        card = self._issue(self._lots(self.radio, "R-500"), partner=self.customer)
        self._text("09125551234", "SN-W001")
        _outcome, inbound = self._text("09125551234", "R-500")
        self.assertFalse(inbound.warranty_replied)
        self.assertEqual(card.state, "draft")
        self.assertEqual(len(self._replies(CUSTOMER)), 1)

    def test_technician_status_reply_still_applies(self):
        technician = self._user("wr_sms_tech", "aftersales_base.group_aftersales_technician")
        technician.partner_id.mobile = "0912 999 8877"
        request = (
            self.env["aftersales.request"]
            .with_context(aftersales_no_sms=True)
            .create(
                {
                    "partner_id": self.customer.id,
                    "service_type_id": self.env.ref("aftersales_base.service_type_ins").id,
                    "technician_id": technician.id,
                    "line_ids": [Command.create({"product_id": self.heater.id})],
                }
            )
        )
        # Even when the message, read as one serial, is that of a card
        self._issue(self._lots(self.heater, f"{request.name}3"), partner=self.customer)
        outcome, inbound = self._text("+989129998877", f"{request.name} 3")
        self.assertEqual(outcome, "applied")
        self.assertEqual(inbound.request_id, request)
        self.assertEqual(request.stage_id, self.env.ref("aftersales_base.stage_progress"))
        self.assertFalse(inbound.warranty_card_id)
        self.assertFalse(self._replies("+989129998877"))
