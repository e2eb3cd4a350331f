"""The printed warranty card (R-WAR-4): real PDFs in Persian and English, and its HTML."""

import base64
import io
import subprocess
import tempfile
from pathlib import Path

import lxml.html
from PIL import Image

from odoo import Command
from odoo.addons.aftersales_base.tests.test_report_pdf import ReportPdfCase
from odoo.tests import tagged
from odoo.tools.misc import find_in_path

from .common import WarrantyCase

CARD_REPORT = "aftersales_warranty.action_report_warranty_card"


class CardReportCase(WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Lang = cls.env["res.lang"]
        Lang._activate_lang("fa_IR")
        Lang._activate_lang("en_US")
        # The Persian card prints the addon's own fa.po (what an upgrade loads).
        cls.env["ir.module.module"]._load_module_terms(
            ["aftersales_base", "aftersales_warranty"], ["fa_IR"], overwrite=True
        )
        void_reasons = cls.env["aftersales.warranty.void.reason"].create(
            [
                {
                    "code": "TPRN-SEAL",
                    "name": "Broken seal",
                    "description": "The factory seal of the device is broken or missing.",
                },
                {"code": "TPRN-REP", "name": "Repaired elsewhere"},
            ]
        )
        cls.policy_delivery.write(
            {
                "cover_travel": True,
                "cover_labour": False,
                "exclusions": "Damage from falls, fire, water and wrong mains voltage.\n"
                "Consumables: filters, lamps and batteries.",
                "void_reason_ids": [Command.set(void_reasons.ids)],
            }
        )
        # What a Persian reader gets: long Persian texts, to be wrapped inside the page.
        cls.policy_delivery.with_context(lang="fa_IR").write(
            {
                "name": "گارانتی دوازده ماهه از تاریخ تحویل به مشتری",
                "exclusions": "آسیب ناشی از ضربه، آتش‌سوزی، آب و ولتاژ نامناسب برق شهر. " * 4
                + "\nقطعات مصرفی مانند فیلتر، لامپ و باتری.",
            }
        )
        void_reasons[0].with_context(lang="fa_IR").description = (
            "پلمب کارخانه‌ی دستگاه شکسته یا برداشته شده باشد و دستگاه توسط افراد "
            "غیرمجاز باز شده باشد."
        )
        cls.heater.with_context(
            lang="fa_IR"
        ).name = "بخاری گازی دودکش‌دار مدل ۱۲۰۰۰ با ترموکوپل و شیر اطمینان دوگانه"
        cls.heater.product_tmpl_id.aftersales_service_promise_ids = [
            Command.create({"service": "installation", "charge": "free"}),
            Command.create(
                {"service": "periodic_service", "charge": "paid", "note": "Every autumn"}
            ),
        ]
        cls.customer_fa = cls.env["res.partner"].create(
            {"name": "مشتری آزمایشی کارت گارانتی", "lang": "fa_IR"}
        )
        cls.customer_en = cls.env["res.partner"].create(
            {"name": "Card Test Customer", "lang": "en_US"}
        )
        lot_fa, lot_en = cls._lots(cls.heater, "PRN-FA-0001", "PRN-EN-0002")
        cls.card_fa = cls._issue(
            lot_fa, partner=cls.customer_fa, dealer=cls.dealer, date="2025-03-21"
        )
        cls.card_en = cls._issue(lot_en, partner=cls.customer_en, date="2025-03-21")
        [lot_draft] = cls._lots(cls.air_conditioner, "PRN-INS-0003")
        cls.card_draft = cls._issue(lot_draft, partner=cls.customer_en)

    def _card_html(self, card):
        html, _report_type = self.env["ir.actions.report"]._render_qweb_html(CARD_REPORT, card.ids)
        return lxml.html.fromstring(html)


@tagged("post_install", "-at_install")
class TestCardReportHtml(CardReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("web.base.url", "https://service.test")

    def _qr(self, value):
        return self.env["ir.actions.report"].barcode(
            "QR", value, width=300, height=300, barLevel="M"
        )

    @staticmethod
    def _modules(png):
        """Black and white pixels of a QR code image."""
        with Image.open(io.BytesIO(png)) as image:
            return image.size, bytes(value < 128 for value in image.convert("L").getdata())

    def test_qr_code_encodes_the_verification_url(self):
        card = self.card_en
        url = card._get_verification_url()
        self.assertEqual(url, f"https://service.test/warranty/{card.sudo().verification_token}")
        root = self._card_html(card)
        [printed] = root.xpath("//*[hasclass('o_aftersales_card_url')]")
        self.assertEqual(printed.text_content().strip(), url)
        [qr] = root.xpath("//div[hasclass('o_aftersales_card_qr')]/img")
        src = qr.get("src")
        self.assertTrue(src.startswith("data:image/png;base64,"), "QR not embedded")
        printed_modules = self._modules(base64.b64decode(src.split(",", 1)[1]))
        # The same payload draws the same modules (the PNG bytes vary with anti-aliasing,
        # a few edge pixels with them); another token draws another code.
        self.assertLess(self._differing(printed_modules, self._modules(self._qr(url))), 0.005)
        other = url.replace(card.sudo().verification_token, self.card_fa.sudo().verification_token)
        self.assertGreater(self._differing(printed_modules, self._modules(self._qr(other))), 0.1)

    def _differing(self, first, second):
        """Share of the pixels that differ between two QR images of the same size."""
        self.assertEqual(first[0], second[0], "QR images of different sizes")
        pixels = first[1]
        return sum(a != b for a, b in zip(pixels, second[1], strict=True)) / len(pixels)

    def test_card_shows_terms_promises_and_conditions(self):
        root = self._card_html(self.card_en)
        text = " ".join(root.text_content().split())
        for expected in (
            self.card_en.name,
            "PRN-EN-0002",
            "Card Test Customer",
            self.policy_delivery.name,
            "03/21/2025",
            "03/20/2026",
            "Installation",
            "Periodic Service",
            "Paid by the Customer",
            "Every autumn",
            "Consumables: filters, lamps and batteries.",
            "Broken seal",
            "The factory seal of the device is broken or missing.",
            "Repaired elsewhere",
        ):
            self.assertIn(expected, text)
        self.assertNotIn("Dealer", text, "no dealer on this card")
        [labour] = root.xpath("//tr[th[normalize-space()='Labour']]/td")
        self.assertEqual(labour.text_content().strip(), "Not covered")
        [travel] = root.xpath("//tr[th[normalize-space()='Travel to the Customer']]/td")
        self.assertEqual(travel.text_content().strip(), "Covered")

    def test_card_not_started_says_when_it_starts(self):
        self.assertEqual(self.card_draft.state, "draft")
        root = self._card_html(self.card_draft)
        [start] = root.xpath("//td[hasclass('o_aftersales_card_start')]")
        self.assertIn("Not started yet", start.text_content())
        self.assertIn("Installation Report", start.text_content())
        [end] = root.xpath("//td[hasclass('o_aftersales_card_end')]")
        self.assertIn("18 months after the start", " ".join(end.text_content().split()))

    def test_persian_card_jalali_dates_and_dealer(self):
        root = self._card_html(self.card_fa)
        [body] = root.xpath("//div[hasclass('o_aftersales_report_body')]")
        self.assertEqual(body.get("dir"), "rtl")
        [start] = root.xpath("//td[hasclass('o_aftersales_card_start')]")
        self.assertEqual(start.text_content().strip(), "۱۴۰۴/۰۱/۰۱")
        [end] = root.xpath("//td[hasclass('o_aftersales_card_end')]")
        self.assertEqual(end.text_content().strip(), "۱۴۰۴/۱۲/۲۹")
        self.assertIn(self.dealer.name, root.text_content())
        # Persian labels from fa.po: "Duration" is مدت
        [duration] = root.xpath("//tr[th[normalize-space()='مدت']]/td")
        self.assertEqual(duration.text_content().strip(), "۱۲ ماه")
        text = root.text_content()
        self.assertIn("بخاری گازی دودکش‌دار", text)
        self.assertIn("قطعات مصرفی مانند فیلتر", text)

    def test_dealer_card_starts_at_retail_sale(self):
        self.dealer.lang = "en_US"
        [lot] = self._lots(self.radio, "PRN-DLR-0004")
        card = self._issue(lot, dealer=self.dealer, date="2025-03-21")
        self.assertEqual(card.state, "dealer")
        root = self._card_html(card)
        [start] = root.xpath("//td[hasclass('o_aftersales_card_start')]")
        self.assertIn("Installation or Customer Registration", start.text_content())
        [deadline] = root.xpath("//tr[th[normalize-space()='Dealer Period Ends']]/td")
        self.assertEqual(deadline.text_content().strip(), "06/20/2025")
        self.assertFalse(root.xpath("//th[normalize-space()='Customer']"), "no customer yet")

    def test_print_button_and_binding(self):
        report = self.env.ref(CARD_REPORT)
        self.assertEqual(report.binding_model_id.model, "aftersales.warranty.card")
        arch = self.env["aftersales.warranty.card"].get_view(view_type="form")["arch"]
        self.assertIn(f'name="{report.id}"', arch)
        self.assertIn('string="Print Card"', arch)


@tagged("post_install", "-at_install")
class TestCardReportPdf(CardReportCase, ReportPdfCase):
    def _fonts(self, pdf):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder, "card.pdf")
            path.write_bytes(pdf)
            return subprocess.run(
                [find_in_path("pdffonts"), path],
                check=True,
                capture_output=True,
                timeout=60,
                text=True,
            ).stdout

    def _check_card(self, card, label):
        pdf = self.print_pdf(CARD_REPORT, card)
        self.assert_inside_page(pdf, CARD_REPORT, label)
        text = self.pdf_text(pdf)
        self.assertIn(card.name, text)
        self.assertIn(card.serial_number, text)
        # The token is random: a final "-" or "_" (neutral in bidi) is extracted apart
        # from the URL in a right-to-left page, so compare without it.
        self.assertIn(card._get_verification_url().rstrip("-_"), text)
        self.assertIn("Vazirmatn", self._fonts(pdf), f"{label}: Vazirmatn not embedded")
        return text

    def test_persian_card_pdf(self):
        text = self._check_card(self.card_fa, "Card in Persian")
        self.assertIn("۱۴۰۴", text)
        # Product, exclusions, promised services: Persian printed as text. (Some letters of
        # Vazirmatn's contextual forms come out of pdftotext as gaps, e.g. the medial teh
        # of "ولتاژ": the words checked here are whole.)
        for word in (*self.customer_fa.name.split(), "اطمینان", "دوگانه", "ضربه", "نصب", "رایگان"):
            self.assertIn(word, text)

    def test_english_card_pdf(self):
        text = self._check_card(self.card_en, "Card in English")
        self.assertIn("03/21/2025", text)
        self.assertIn("Card Test Customer", text)
        self.assertNotIn("۱۴۰۴", text)
