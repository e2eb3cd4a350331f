"""The agent's own statement (R-AGT-5): figures, portal pages, PDF and XLSX."""

import base64
import io
import re

import lxml.html
import openpyxl

from odoo.addons.aftersales_base.tests.test_report_pdf import ReportPdfCase
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import StatementCase

STATEMENT_REPORT = "aftersales_agent.action_report_agent_statement"
#: Run in the browser: fails when the page scrolls sideways (wider than the phone).
FITS_THE_SCREEN = """
    const width = document.documentElement.scrollWidth;
    if (!document.querySelector("tr.o_aftersales_statement_line, .o_aftersales_performance_count")) {
        console.error("the figures are missing");
    } else if (width > window.innerWidth + 1) {
        console.error(`the page is ${width} px wide on a ${window.innerWidth} px screen`);
    } else {
        console.log("test successful");
    }
"""
PERIOD = {"date_from": "2025-03-01", "date_to": "2025-03-31"}


class StatementFixtures(StatementCase):
    """Agent A, in the company's view (positive: the company owes the agent):

    before March 2025: installation fees 500,000 (bill), parts sold 120,000 (invoice)
        -> opening balance 380,000
    March 2025: 05 warranty fees +800,000 -> 1,180,000; 10 parts -200,000 -> 980,000;
        15 payment -700,000 -> 280,000; 20 penalty (credit note) -50,000 -> 230,000;
        25 bill with no type (other) +30,000 -> 260,000 = closing balance
    not counted: a bill of April, a draft bill of March, agent B's bill of March.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        entry = cls._entry
        cls.opening_bill = entry(cls.agent_a, "2025-02-10", 500000, "installation_fee")
        entry(cls.agent_a, "2025-02-15", 120000, "parts", move_type="out_invoice")
        cls.warranty_bill = entry(cls.agent_a, "2025-03-05", 800000, "warranty_fee")
        entry(cls.agent_a, "2025-03-10", 200000, "parts", move_type="out_invoice")
        cls.payment = cls._pay_agent(cls.agent_a, "2025-03-15", 700000)
        entry(cls.agent_a, "2025-03-20", 50000, "penalty", move_type="in_refund")
        entry(cls.agent_a, "2025-03-25", 30000)
        entry(cls.agent_a, "2025-04-05", 999000, "warranty_fee")
        entry(cls.agent_a, "2025-03-12", 444000, "warranty_fee", post=False)
        cls.bill_b = entry(cls.agent_b, "2025-03-06", 654000, "installation_fee")


@tagged("post_install", "-at_install")
class TestStatementFigures(StatementFixtures):
    def _statement(self, agent=None, **period):
        return self.env["aftersales.agent.statement"]._statement(
            agent or self.agent_a, **(period or PERIOD)
        )

    def test_running_balance_opening_and_totals(self):
        st = self._statement()
        self.assertEqual(st["opening_balance"], 380000)
        rows = [(str(r["date"]), r["entry_type"], r["amount"], r["balance"]) for r in st["lines"]]
        self.assertEqual(
            rows,
            [
                ("2025-03-05", "warranty_fee", 800000, 1180000),
                ("2025-03-10", "parts", -200000, 980000),
                ("2025-03-15", "payment", -700000, 280000),
                ("2025-03-20", "penalty", -50000, 230000),
                ("2025-03-25", "other", 30000, 260000),
            ],
        )
        self.assertEqual(st["closing_balance"], 260000)
        self.assertEqual(st["total_in"], 830000)
        self.assertEqual(st["total_out"], 950000)
        totals = {t["entry_type"]: (t["amount"], t["count"]) for t in st["totals"]}
        self.assertEqual(
            totals,
            {
                "warranty_fee": (800000, 1),
                "parts": (-200000, 1),
                "payment": (-700000, 1),
                "penalty": (-50000, 1),
                "other": (30000, 1),
            },
        )
        labels = {t["entry_type"]: t["label"] for t in st["totals"]}
        self.assertEqual(labels["other"], "Other")
        self.assertEqual(labels["payment"], "Payments")
        # The payment line is the payment's own journal item.
        payment_row = st["lines"][2]
        self.assertEqual(payment_row["move_name"], self.payment.move_id.name)
        self.assertEqual((payment_row["debit"], payment_row["credit"]), (700000, 0))

    def test_period_moves_the_opening_balance(self):
        st = self._statement(date_from="2025-03-11", date_to="2025-04-30")
        self.assertEqual(st["opening_balance"], 980000)
        self.assertEqual([r["amount"] for r in st["lines"]], [-700000, -50000, 30000, 999000])
        self.assertEqual(st["closing_balance"], 1259000)
        whole = self._statement(date_from="2025-01-01", date_to="2025-12-31")
        self.assertEqual(whole["opening_balance"], 0)
        self.assertEqual(whole["closing_balance"], 1259000)

    def test_other_agent_sees_only_its_own_items(self):
        st = self._statement(self.agent_b)
        self.assertEqual(st["opening_balance"], 0)
        self.assertEqual([r["amount"] for r in st["lines"]], [654000])
        self.assertEqual(st["lines"][0]["move_name"], self.bill_b.name)
        names = {r["move_name"] for r in self._statement()["lines"]}
        self.assertNotIn(self.bill_b.name, names)

    def test_queries_do_not_grow_with_the_lines(self):
        Statement = self.env["aftersales.agent.statement"]
        Statement._statement(self.agent_a, **PERIOD)  # warm the caches
        self.env.invalidate_all()
        with self.assertQueryCount(7):  # + the typed lines of untyped bills
            Statement._statement(self.agent_a, "2025-01-01", "2025-12-31")
        for day in range(1, 21):
            self._entry(self.agent_a, f"2025-05-{day:02d}", 1000, "service_fee")
        self.env.invalidate_all()
        with self.assertQueryCount(7):  # + the typed lines of untyped bills
            st = Statement._statement(self.agent_a, "2025-01-01", "2025-12-31")
        self.assertEqual(len(st["lines"]), 28)

    def test_bad_periods_are_refused(self):
        Statement = self.env["aftersales.agent.statement"]
        with self.assertRaisesRegex(UserError, "start date is after the end date"):
            Statement._statement(self.agent_a, "2025-03-31", "2025-03-01")
        with self.assertRaisesRegex(UserError, "is not a date"):
            Statement._statement(self.agent_a, "1403/12/15", "2025-03-31")

    def test_amount_in_words(self):
        Statement = self.env["aftersales.agent.statement"]
        self.assertEqual(
            Statement._amount_in_words(1250000, "fa_IR").split(" ")[:6],
            ["یک", "میلیون", "و", "دویست", "و", "پنجاه"],
        )
        self.assertIn("Two Hundred And Sixty Thousand", Statement._amount_in_words(260000, "en_US"))

    def test_accountant_wizard_pdf_and_xlsx(self):
        accountant = new_test_user(
            self.env, login="st_accountant", groups="account.group_account_invoice"
        )
        # The button is on the agent's form for the accountant.
        arch = self.agent_a.with_user(accountant).get_view(view_type="form")["arch"]
        self.assertIn('name="action_aftersales_agent_statement"', arch)
        action = self.agent_a.with_user(accountant).action_aftersales_agent_statement()
        wizard = (
            self.env[action["res_model"]]
            .with_user(accountant)
            .with_context(**action["context"])
            .create({"date_from": "2025-03-01", "date_to": "2025-03-31", "lang": "en_US"})
        )
        self.assertEqual(wizard.agent_id, self.agent_a)
        report_action = wizard.action_print_pdf()
        self.assertEqual(report_action["report_name"], "aftersales_agent.report_agent_statement")
        self.assertEqual(report_action["data"]["date_from"], "2025-03-01")
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(accountant)
            ._render_qweb_html(STATEMENT_REPORT, self.agent_a.ids, data=report_action["data"])
        )
        self.assertIn(self.warranty_bill.name, html.decode())
        url = wizard.action_export_xlsx()["url"]
        self.assertIn(f"/{wizard.id}/xlsx_file/", url)
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.xlsx_file)))
        self.assertIn(260000, [cell.value for row in book.active.iter_rows() for cell in row])
        # Without accounting rights: no statement.
        with self.assertRaises(AccessError):
            self.env["aftersales.agent.statement"].with_user(self.user_a)._statement(
                self.agent_a, **PERIOD
            )


@tagged("post_install", "-at_install")
class TestStatementPortal(StatementFixtures, ReportPdfCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fa_IR")
        cls.env["res.lang"]._activate_lang("en_US")
        # The database may speak Persian by default: the English pages are asked for.
        (cls.user_a | cls.user_b).lang = "en_US"
        cls.customer_user = new_test_user(
            cls.env, login="st_customer", password="st_customer", groups="base.group_portal"
        )

    def _page(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return lxml.html.fromstring(response.content)

    @staticmethod
    def _number(text):
        return float(re.sub(r"[^0-9.\-]", "", text.replace("\u2212", "-")))

    def test_agent_reads_its_own_statement_only(self):
        self.authenticate("agent_a", "agent_a")
        # Query parameters naming another agent are ignored: the user's own agent only.
        for url in (
            "/my/statement?date_from=2025-03-01&date_to=2025-03-31",
            f"/my/statement?date_from=2025-03-01&date_to=2025-03-31&agent_id={self.agent_b.id}",
            f"/my/statement?date_from=2025-03-01&date_to=2025-03-31&partner_id={self.agent_b.id}",
        ):
            root = self._page(url)
            rows = root.xpath("//tr[hasclass('o_aftersales_statement_line')]")
            self.assertEqual(
                [row.get("data-entry-type") for row in rows],
                ["warranty_fee", "parts", "payment", "penalty", "other"],
            )
            text = root.text_content()
            self.assertNotIn(self.bill_b.name, text)
            self.assertNotIn("654,000", text)
            self.assertNotIn(self.agent_b.name, text)
            [opening] = root.xpath("//tr[hasclass('o_aftersales_statement_opening')]/td[last()]")
            self.assertEqual(self._number(opening.text_content()), 380000)
            [closing] = root.xpath("//tr[hasclass('o_aftersales_statement_closing')]/td[last()]")
            self.assertEqual(self._number(closing.text_content()), 260000)
            self.assertIn("owed by the company to you", text)
            self.assertIn("Two Hundred And Sixty Thousand", text)
        # The downloads carry the same period and the same agent.
        [pdf_link] = root.xpath("//a[hasclass('o_aftersales_statement_pdf')]/@href")
        self.assertEqual(pdf_link, "/my/statement/pdf?date_from=2025-03-01&date_to=2025-03-31")
        # A bad date is said, and the default period shown.
        root = self._page("/my/statement?date_from=2025-03-31&date_to=2025-03-01")
        self.assertIn(
            "start date is after the end date",
            root.xpath("//div[hasclass('o_aftersales_agent_period_error')]")[0].text_content(),
        )

    def test_statement_in_persian_jalali_and_words(self):
        self.user_a.lang = "fa_IR"
        self.authenticate("agent_a", "agent_a")
        response = self.url_open("/my/statement?date_from=2025-03-01&date_to=2025-03-31")
        root = lxml.html.fromstring(response.content)
        self.assertEqual(root.get("dir"), "rtl")
        text = root.text_content()
        self.assertIn("۱۴۰۳/۱۲/۱۵", text)  # 5 March 2025
        self.assertIn("دویست و شصت هزار", text)

    def test_others_get_no_statement(self):
        self.authenticate("st_customer", "st_customer")
        for url in ("/my/statement", "/my/statement/pdf", "/my/statement/xlsx", "/my/performance"):
            self.assertEqual(self.url_open(url).status_code, 404, url)
        self.authenticate(None, None)
        response = self.url_open("/my/statement", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))

    def test_agent_downloads_pdf_and_xlsx(self):
        self.authenticate("agent_a", "agent_a")
        query = f"?date_from=2025-03-01&date_to=2025-03-31&agent_id={self.agent_b.id}"
        # In tests Odoo answers the report's HTML in place of the PDF: the same values.
        response = self.url_open(f"/my/statement/pdf{query}")
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        self.assertIn(self.warranty_bill.name, body)
        self.assertNotIn(self.bill_b.name, body)
        response = self.url_open(f"/my/statement/xlsx{query}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        values = [[cell.value for cell in row] for row in sheet.iter_rows()]
        flat = [value for row in values for value in row if value is not None]
        self.assertIn(self.warranty_bill.name, flat)
        self.assertNotIn(self.bill_b.name, flat)
        self.assertIn(380000, flat)  # opening
        self.assertIn(260000, flat)  # closing
        by_label = {row[0]: row for row in values if isinstance(row[0], str)}
        self.assertEqual(by_label["Opening Balance"][7], 380000)
        self.assertEqual(by_label["Closing Balance"][7], 260000)
        lines = [row for row in values if row[1] and row[3]]
        self.assertEqual([row[7] for row in lines[1:]], [1180000, 980000, 280000, 230000, 260000])
        self.assertFalse(sheet.sheet_view.rightToLeft)

    def test_xlsx_right_to_left_in_persian(self):
        self.user_a.lang = "fa_IR"
        self.authenticate("agent_a", "agent_a")
        response = self.url_open("/my/statement/xlsx?date_from=2025-03-01&date_to=2025-03-31")
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        self.assertTrue(sheet.sheet_view.rightToLeft)
        flat = [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]
        self.assertIn("1403/12/15", flat)
        self.assertTrue(any("دویست و شصت هزار" in str(value) for value in flat))

    def test_statement_fits_a_phone(self):
        self.user_a.lang = "fa_IR"
        self.browser_size = "375x800"
        self.browser_js(
            "/my/statement?date_from=2025-03-01&date_to=2025-03-31",
            FITS_THE_SCREEN,
            login="agent_a",
        )

    # ------------------------------------------------------------------
    # Real PDFs
    # ------------------------------------------------------------------

    def _print(self, lang):
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(STATEMENT_REPORT, self.agent_a.ids, data={**PERIOD, "lang": lang})
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assert_inside_page(pdf, STATEMENT_REPORT, f"Statement in {lang}")
        return pdf, self.pdf_text(pdf)

    def test_persian_pdf(self):
        self.agent_a.with_context(lang="fa_IR").name = "نمایندگی خدمات تهران"
        _pdf, text = self._print("fa_IR")
        self.assertIn("۱۴۰۳/۱۲/۱۵", text)
        for word in ("نمایندگی", "خدمات", "تهران", "دویست", "شصت", "هزار"):
            self.assertIn(word, text)
        self._check_figures(text)

    def test_english_pdf(self):
        _pdf, text = self._print("en_US")
        for expected in (
            "Agent Statement",
            "Opening Balance",
            "Closing Balance",
            "Warranty Fees",
            "Payments",
            "Penalties",
            "Other",
            "Two Hundred And Sixty Thousand",
            "owed by the company to the agent",
            "03/05/2025",
        ):
            self.assertIn(expected, text)
        self._check_figures(text)

    def _check_figures(self, text):
        # Entry numbers of journals with Persian codes come out of pdftotext in bidi order:
        # the figures and the payment's own number say which lines are printed.
        self.assertIn(self.payment.move_id.name, text)
        for amount in ("380,000.00", "1,180,000.00", "-700,000.00", "230,000.00", "260,000.00"):
            self.assertIn(amount, text)
        self.assertNotIn("654,000", text)  # agent B's bill
        self.assertNotIn("999,000", text)  # April
        self.assertNotIn("444,000", text)  # draft
