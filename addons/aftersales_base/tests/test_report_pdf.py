"""Printouts as real PDFs, made by this machine's wkhtmltopdf and looked at page by page.

Tier 2 needs wkhtmltopdf and poppler's pdftoppm and pdftotext: without them these tests
fail, naming the missing tool.
"""

import logging
import re
import subprocess
import tempfile
import unicodedata
from datetime import datetime
from pathlib import Path

import lxml.html
from PIL import Image

from odoo import Command
from odoo.tests import HttpCase, TransactionCase, save_test_file, tagged
from odoo.tools.misc import find_in_path

from ..models.ir_actions_report import _wrap_arabic_words

_logger = logging.getLogger(__name__)

MM_PER_INCH = 25.4
# Resolution of the page images: enough to see a letter, small enough to scan quickly.
DPI = 50
# Nothing may be drawn this close to the paper's left and right edges (on top of the
# paper format's own margins). Odoo's A4 pages print from about 7 mm inside the edge.
SIDE_STRIP_MM = 5
# Grey level (0 black, 255 white) under which a pixel counts as drawn.
INK = 230
# A page with less drawn than a short word is blank.
MIN_INKED_PIXELS = 50
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))

RECEIPT = "aftersales_base.action_report_request_receipt"


def _tool(name):
    try:
        return find_in_path(name)
    except OSError:
        return None


class ReportPdfCase(HttpCase):
    """Print a report as a real PDF and check its pages. Later addons of the suite reuse it
    for their printouts (warranty card, core label, agent statement)."""

    def print_pdf(self, report_ref, records):
        """The PDF of ``report_ref`` for ``records``, rendered by wkhtmltopdf even in tests."""
        missing = [tool for tool in ("wkhtmltopdf", "pdftoppm", "pdftotext") if not _tool(tool)]
        if missing:
            self.fail(
                "Tier 2 prints reports with wkhtmltopdf and reads them with poppler's "
                f"pdftoppm and pdftotext (package poppler-utils); missing: {', '.join(missing)}"
            )
        # In tests Odoo renders HTML instead of PDF unless asked; the HTTP server of this
        # HttpCase serves wkhtmltopdf the report's stylesheets.
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report_ref, records.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"), "wkhtmltopdf made no PDF")
        return pdf

    def page_images(self, pdf, dpi=DPI):
        """Every page of ``pdf`` as a grey-level image."""
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder, "report.pdf")
            path.write_bytes(pdf)
            subprocess.run(
                [_tool("pdftoppm"), "-r", str(dpi), "-gray", "-png", path, Path(folder, "page")],
                check=True,
                capture_output=True,
                timeout=120,
            )
            pages = []
            for image_path in sorted(Path(folder).glob("page*.png")):
                with Image.open(image_path) as image:
                    pages.append(image.convert("L"))
        self.assertTrue(pages, "pdftoppm found no page in the PDF")
        return pages

    def pdf_text(self, pdf):
        """The text of ``pdf``: Arabic presentation forms back to letters, bidi marks out,
        white space collapsed."""
        text = subprocess.run(
            [_tool("pdftotext"), "-", "-"],
            input=pdf,
            check=True,
            capture_output=True,
            timeout=120,
        ).stdout.decode()
        text = unicodedata.normalize("NFKC", text).translate(BIDI_CONTROLS)
        return re.sub(r"\s+", " ", text)

    def assert_inside_page(self, pdf, report_ref, label):
        """Nothing is drawn in the strips along the left and right edges of any page, and
        every page has something printed."""
        paperformat = self.env["ir.actions.report"]._get_report(report_ref).get_paperformat()
        problems = []
        for number, page in enumerate(self.page_images(pdf), start=1):
            width, height = page.size
            pixels = page.load()
            for side, margin_mm in (
                ("left", paperformat.margin_left),
                ("right", paperformat.margin_right),
            ):
                strip = round((margin_mm + SIDE_STRIP_MM) * DPI / MM_PER_INCH)
                columns = range(strip) if side == "left" else range(width - strip, width)
                drawn = [x for x in columns if any(pixels[x, y] < INK for y in range(height))]
                if drawn:
                    problems.append(
                        f"page {number}: drawn in the {side} margin ({strip} px of {width} "
                        f"at {DPI} dpi), columns {drawn}"
                    )
            if sum(1 for value in page.getdata() if value < INK) < MIN_INKED_PIXELS:
                problems.append(f"page {number} is blank")
        if problems:
            save_test_file(
                self._testMethodName, pdf, "pdf_", "pdf", logger=_logger, document_type="PDF"
            )
        self.assertFalse(problems, f"{label}: {'; '.join(problems)}")


@tagged("post_install", "-at_install")
class TestReceiptPdf(ReportPdfCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Lang = cls.env["res.lang"]
        Lang._activate_lang("fa_IR")
        Lang._activate_lang("en_US")
        cls.env.company.country_id = cls.env.ref("base.ir")
        device_type = cls.env["product.category"].create(
            {"name": "Heaters and washers", "is_aftersales_device_type": True}
        )
        cls.heater = cls.env["product.product"].create(
            {
                "name": "بخاری گازی دودکش‌دار آبسال مدل ۱۲۰۰۰ با ترموکوپل و شیر اطمینان دوگانه",
                "categ_id": device_type.id,
            }
        )
        cls.washer = cls.env["product.product"].create(
            {
                "name": "Front-loading washing machine UltraWide-ExtraLongModelName-9000X",
                "categ_id": device_type.id,
            }
        )
        fault = cls.env["aftersales.fault.code"].create(
            {
                "code": "TPDF",
                "name": "Does not start, then stops after a few minutes with a smell of gas",
            }
        )
        persian_note = "یادداشت بلند درباره‌ی وضعیت ظاهری دستگاه، خط‌وخش‌ها و لوازم همراه آن. " * 3
        english_note = "Scratches on the front panel; the customer kept the power cable. " * 3
        cls.requests = {}
        for lang, name, note, description in (
            (
                "fa_IR",
                "مشتری آزمایشی با نامی بسیار بلند برای آزمودن شکستن سطرها",
                persian_note,
                "دستگاه پس از چند دقیقه خاموش می‌شود و بوی گاز می‌دهد؛ مشتری می‌گوید "
                "این مشکل از زمستان گذشته شروع شده است. " * 6,
            ),
            (
                "en_US",
                "A Customer With A Rather Long Name To Test Line Wrapping",
                english_note,
                "The heater switches off after a few minutes and smells of gas; the customer "
                "says it started last winter. " * 6,
            ),
        ):
            partner = cls.env["res.partner"].create({"name": name, "lang": lang})
            lines = [
                Command.create(
                    {
                        "product_id": product.id,
                        "serial_number": f"{lang[:2].upper()}-{index:04d}",
                        "fault_code_ids": [Command.link(fault.id)],
                        "notes": note if index % 2 else "NoSpacesInThisVeryLongNote" * 4,
                    }
                )
                for index, product in enumerate([cls.heater, cls.washer] * 7)
            ]
            cls.requests[lang] = cls.env["aftersales.request"].create(
                {
                    "partner_id": partner.id,
                    "phone": "021 6601 2345",
                    "mobile": "0912 345 6789",
                    "street": "خیابان ولیعصر، بالاتر از میدان ونک، کوچه‌ی بسیار طولانی شماره‌ی ۱۲",
                    "service_type_id": cls.env.ref("aftersales_base.service_type_wsr").id,
                    "description": description,
                    "line_ids": lines,
                }
            )

    def _check_receipt(self, lang):
        request = self.requests[lang]
        pdf = self.print_pdf(RECEIPT, request)
        self.assert_inside_page(pdf, RECEIPT, f"Receipt in {lang}")
        text = self.pdf_text(pdf)
        self.assertIn(request.name, text)
        for serial in request.line_ids.mapped("serial_number"):
            self.assertIn(serial, text)
        return text

    def test_persian_receipt_prints_inside_the_page(self):
        text = self._check_receipt("fa_IR")
        # Persian is printed, as text.
        for word in self.requests["fa_IR"].partner_id.name.split():
            self.assertIn(word, text)

    def test_english_receipt_prints_inside_the_page(self):
        text = self._check_receipt("en_US")
        # Persian inside an English receipt too.
        for word in ("ترموکوپل", "اطمینان", "دوگانه"):
            self.assertIn(word, text)


@tagged("post_install", "-at_install")
class TestReportLayout(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env["res.lang"]._activate_lang("fa_IR")
        cls.env.company.country_id = cls.env.ref("base.ir")
        washer = cls.env["product.product"].create({"name": "Test Washer"})
        cls.partner = cls.env["res.partner"].create({"name": "مشتری", "lang": "fa_IR"})
        cls.request = cls.env["aftersales.request"].create(
            {
                "partner_id": cls.partner.id,
                "phone": "021 6601 2345",
                "service_type_id": cls.env.ref("aftersales_base.service_type_wsr").id,
                "request_date": "2025-03-21 06:30:00",
                "line_ids": [Command.create({"product_id": washer.id, "serial_number": "12-345"})],
            }
        )

    def _receipt_html(self):
        html, _report_type = self.env["ir.actions.report"]._render_qweb_html(
            RECEIPT, self.request.ids
        )
        return lxml.html.fromstring(html)

    def _give_partner_inactive_lang(self):
        """Give the customer an installed language that is not active (a contact left in a
        language the database no longer prints in)."""
        lang = (
            self.env["res.lang"]
            .with_context(active_test=False)
            .search(
                [("active", "=", False), ("code", "not like", "fa%"), ("code", "!=", "en_US")],
                limit=1,
            )
        )
        lang.active = True
        self.partner.lang = lang.code
        self.partner.active = False  # only so that the language may be deactivated
        lang.active = False
        self.partner.active = True
        return lang

    def test_direction_on_inner_container_and_numbers_left_to_right(self):
        root = self._receipt_html()
        [page] = root.xpath(
            "//div[contains(concat(' ', normalize-space(@class), ' '), ' o_aftersales_report ')]"
        )
        [body] = page.xpath("./div[contains(@class, 'o_aftersales_report_body')]")
        self.assertEqual(body.get("dir"), "rtl")
        self.assertIsNone(page.get("dir"))
        for value in (self.request.phone, self.request.name, self.request.line_ids.serial_number):
            nodes = body.xpath(f".//*[normalize-space(text()) = '{value}']")
            self.assertTrue(nodes, value)
            for node in nodes:
                self.assertEqual(node.get("dir"), "ltr", value)

    def test_date_in_a_language_that_is_not_active(self):
        lang = self._give_partner_inactive_lang()
        # Odoo's data of an inactive language has no formats: the "False False" dates.
        self.assertFalse(self.env["res.lang"]._get_data(code=lang.code).date_format)
        self.env.user.tz = "UTC"
        Report = self.env["ir.actions.report"]
        printed = Report._aftersales_format_date(datetime(2025, 3, 21, 6, 30), lang.code, True)
        expected = datetime(2025, 3, 21, 6, 30).strftime(
            f"{lang.date_format} {lang.short_time_format}"
        )
        self.assertEqual(printed, expected)
        # A code with no language at all: an active language's format.
        unknown = Report._aftersales_format_date(datetime(2025, 3, 21), "xx_XX")
        self.assertNotIn("False", unknown)
        self.assertIn("2025", unknown)
        # The receipt prints in an active language, with its dates.
        root = self._receipt_html()
        [body] = root.xpath("//div[contains(@class, 'o_aftersales_report_body')]")
        printed_in = body.get("lang").replace("-", "_")
        self.assertTrue(self.env["res.lang"]._get_data(code=printed_in).active)
        [date] = body.xpath(".//span[contains(@class, 'o_aftersales_date')]")
        self.assertEqual(
            date.text_content(),
            Report._aftersales_format_date(self.request.request_date, printed_in, True),
        )
        self.assertNotIn("False", date.text_content())

    def test_persian_words_one_per_element(self):
        root = lxml.html.fragment_fromstring(
            "<p>شرح: <b>می‌شود.</b> Model X-1 ۱۴۰۴/۰۱/۰۱</p>", create_parent="div"
        )
        _wrap_arabic_words(root)
        words = [span.text for span in root.iter("span")]
        self.assertEqual(
            words,
            ["شرح", ":", "می", "شود", ".", "Model", "X", "-", "1", "۱۴۰۴", "/", "۰۱", "/", "۰۱"],
        )
        # Nothing added or lost: the same text, ZWNJ and spaces included.
        self.assertEqual(root.text_content(), "شرح: می‌شود. Model X-1 ۱۴۰۴/۰۱/۰۱")
