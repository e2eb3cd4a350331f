"""Public warranty pages: the QR code's verification page and "check my warranty".

What a stranger holding a card (or a serial number) may learn: the product, the
warranty status and its end date; never who owns the device or who sold it.
"""

import secrets
from datetime import timedelta

from odoo import fields, http
from odoo.addons.aftersales_base.tests.common import prepare_portal
from odoo.addons.aftersales_base.tools.jalali import format_jalali
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..controllers.main import TOKEN_PATTERN
from .common import WarrantyCase


class PublicWarrantyCase(WarrantyCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        prepare_portal(cls.env)
        cls.today = fields.Date.context_today(cls.Card)
        lot_active, lot_dealer, lot_draft = cls._lots(
            cls.heater, "WP-ACT-0012A", "WP-DLR-0034B", "WP-DRF-0056C"
        )
        cls.card = cls._issue(lot_active, partner=cls.customer, date=cls.today - timedelta(days=30))
        cls.dealer_card = cls._issue(lot_dealer, dealer=cls.dealer)
        cls.draft_card = cls._issue(
            cls._lots(cls.radio, "WP-RAD-0078D"), partner=cls.customer, date=cls.today
        )
        cls.lot_draft = lot_draft
        cls.Log = cls.env["aftersales.warranty.check.log"]

    def _date_en(self, value):
        return (
            self.env["ir.actions.report"].with_context(lang="en_US")._aftersales_format_date(value)
        )

    def _assert_no_personal_data(self, text):
        for private in (
            self.customer.name,
            self.customer.mobile,
            self.customer.phone,
            "912 555",
            "8800 1122",
            self.dealer.name,
        ):
            self.assertNotIn(private, text)


@tagged("post_install", "-at_install")
class TestVerificationPage(PublicWarrantyCase):
    def test_page_shows_product_status_and_end_date_only(self):
        self.assertEqual(self.card.state, "active")
        response = self.url_open(f"/en/warranty/{self.card.verification_token}")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("o_aftersales_warranty_verify", page)
        self.assertRegex(page, r'o_aftersales_warranty_product">W Heater<')
        self.assertRegex(page, r'data-status="in_warranty">In Warranty<')
        self.assertIn(self._date_en(self.card.end_date), page)
        self._assert_no_personal_data(page)
        self.assertNotIn(self.card.serial_number, page)

    def test_dealer_card_does_not_name_the_dealer(self):
        response = self.url_open(f"/en/warranty/{self.dealer_card.verification_token}")
        self.assertEqual(response.status_code, 200)
        self.assertRegex(response.text, r'data-status="dealer_period">Dealer Period<')
        self.assertIn("Not started yet", response.text)
        self._assert_no_personal_data(response.text)

    def test_voided_card_says_so(self):
        reason = self.env["aftersales.warranty.void.reason"].create(
            {"name": "Opened by a stranger", "code": "T-OPEN"}
        )
        self.card._void(reason)
        page = self.url_open(f"/en/warranty/{self.card.verification_token}").text
        self.assertRegex(page, r'data-status="voided">Voided<')
        self.assertNotIn("Opened by a stranger", page)

    def test_persian_page_is_right_to_left_with_a_jalali_date(self):
        page = self.url_open(f"/fa/warranty/{self.card.verification_token}").text
        self.assertRegex(page, r'<html[^>]* dir="rtl"')
        self.assertIn('lang="fa-IR"', page)
        jalali = format_jalali(self.card.end_date)
        self.assertRegex(jalali, r"^[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2}$")
        self.assertIn(jalali, page)
        english = self.url_open(f"/en/warranty/{self.card.verification_token}").text
        self.assertRegex(english, r'<html[^>]* dir="ltr"')
        self.assertNotIn(jalali, english)

    @mute_logger("odoo.http", "werkzeug")
    def test_forged_unknown_and_malformed_tokens_get_a_plain_404(self):
        token = self.card.verification_token
        forged = token[:-1] + ("A" if token[-1] != "A" else "B")
        for bad in (
            forged,  # one character changed
            secrets.token_urlsafe(24),  # well formed, absent
            token[:-1],  # too short
            token + "x",  # too long
            "~" * 32,  # other characters
            token.lower() if token.lower() != token else token.upper(),  # case matters
            "check-my-warranty-please",
        ):
            with self.subTest(token=bad):
                response = self.url_open(f"/en/warranty/{bad}")
                self.assertEqual(response.status_code, 404)
                body = response.text
                self.assertNotIn("o_aftersales_warranty", body)
                self.assertNotIn("W Heater", body)
                self.assertNotIn(self.card.name, body)
                self._assert_no_personal_data(body)

    def test_real_tokens_have_the_accepted_shape(self):
        """The format check before the look-up never refuses a card's own token."""
        cards = self.card | self.dealer_card | self.draft_card
        for token in [*cards.mapped("verification_token"), self.Card._new_token()]:
            self.assertTrue(TOKEN_PATTERN.fullmatch(token), token)


@tagged("post_install", "-at_install")
class TestCheckForm(PublicWarrantyCase):
    def setUp(self):
        super().setUp()
        self.authenticate(None, None)

    def _check(self, serial, csrf=True, url="/en/warranty/check"):
        data = {"serial": serial}
        if csrf:
            data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(url, data=data)

    def test_form_carries_the_csrf_token(self):
        page = self.url_open("/en/warranty/check").text
        self.assertRegex(page, r'<input type="hidden" name="csrf_token" value="[0-9a-f]+o\d+"')
        self.assertIn('name="serial"', page)

    def test_serial_in_persian_digits_lower_case_and_spaces(self):
        response = self._check(" wp-act-۰۰۱۲a ")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("o_aftersales_warranty_result", page)
        self.assertRegex(page, r'o_aftersales_warranty_product">W Heater<')
        self.assertRegex(page, r'data-status="in_warranty">In Warranty<')
        self.assertIn(self._date_en(self.card.end_date), page)
        self._assert_no_personal_data(page)
        # Arabic-Indic digits too.
        self.assertIn("o_aftersales_warranty_result", self._check("WP-ACT-٠٠١٢A").text)

    def test_card_awaiting_its_start(self):
        page = self._check("WP-RAD-0078D").text
        self.assertRegex(page, r'data-status="not_active">Awaiting Start<')
        self.assertIn("Not started yet", page)

    def test_unknown_serial(self):
        for serial in ("WP-NOPE-1", self.lot_draft.name):  # no such serial; a serial without card
            with self.subTest(serial=serial):
                page = self._check(serial).text
                self.assertIn("o_aftersales_warranty_unknown", page)
                self.assertNotIn("o_aftersales_warranty_result", page)

    def test_persian_page_gives_a_jalali_date(self):
        page = self._check("WP-ACT-۰۰۱۲A", url="/fa/warranty/check").text
        self.assertRegex(page, r'<html[^>]* dir="rtl"')
        self.assertIn(format_jalali(self.card.end_date), page)

    @mute_logger("odoo.http")
    def test_post_without_csrf_token_is_refused(self):
        response = self._check("WP-ACT-0012A", csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertNotIn("W Heater", response.text)
        self.assertEqual(self.Log.search_count([]), 0, "a refused post is not a check")

    def test_rate_limit_per_address(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "aftersales_warranty.public_checks_per_ip", 2
        )
        for serial in ("WP-NOPE-1", "WP-NOPE-2"):
            self.assertIn("o_aftersales_warranty_unknown", self._check(serial).text)
        self.assertEqual(self.Log.search_count([("ip", "=", "127.0.0.1")]), 2)
        page = self._check("WP-ACT-0012A").text
        self.assertIn("Too many checks from this connection", page)
        self.assertNotIn("o_aftersales_warranty_result", page)
        self.assertNotIn("W Heater", page)
        self.assertEqual(self.Log.search_count([]), 2)
        # An hour later the address may check again.
        self.Log.search([]).write({"date": fields.Datetime.now() - timedelta(minutes=61)})
        self.assertIn("o_aftersales_warranty_result", self._check("WP-ACT-0012A").text)

    def test_log_keeps_no_serial_and_is_cleaned_after_a_day(self):
        self._check("WP-ACT-0012A")
        log = self.Log.search([])
        self.assertEqual(len(log), 1)
        self.assertEqual(
            set(self.Log._fields) - {"id", "display_name"},
            {"ip", "date"},
            "no serial number is kept",
        )
        old = self.Log.create(
            [{"ip": "10.0.0.1", "date": fields.Datetime.now() - timedelta(days=2)}]
        )
        self.Log._gc_old_checks()
        self.assertFalse(old.exists())
        self.assertTrue(log.exists())

    def test_log_is_read_only_for_managers_and_hidden_from_others(self):
        self._check("WP-ACT-0012A")
        self.assertEqual(self.Log.with_user(self.manager).search_count([]), 1)
        with self.assertRaises(AccessError):
            self.Log.with_user(self.manager).create([{"ip": "10.0.0.2"}])
        with self.assertRaises(AccessError):
            self.Log.with_user(self.operator).search([])
