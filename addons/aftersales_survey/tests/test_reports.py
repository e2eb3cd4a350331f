"""Satisfaction reports (issue 10, Reports): the wizard's figures against hand-computed
ones, the XLSX sheet, the management summary as HTML and as a real PDF in English and in
Persian, and a period that ends before it starts."""

import base64
import io
import os
from datetime import timedelta

import jdatetime
import lxml.html
import openpyxl
from babel.dates import format_date as babel_format_date

from odoo import fields
from odoo.addons.aftersales_agent import tools as atools
from odoo.addons.aftersales_base import tools as btools
from odoo.addons.aftersales_base.tests.test_report_pdf import ReportPdfCase
from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import SurveyCase

SUMMARY_REPORT = "aftersales_survey.action_report_satisfaction_summary"
# 12/12, 6/12, 10/12, 3/12, 9/12 of the questionnaire's three questions scored 0..4.
# Odoo's survey keeps the percentage rounded to two decimals (83.33).
FULL, HALF, MOSTLY, POOR, GOOD = 100.0, 50.0, 83.33, 25.0, 75.0


@tagged("post_install", "-at_install")
class TestSatisfactionReports(SurveyCase, ReportPdfCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Lang = cls.env["res.lang"]
        Lang._activate_lang("fa_IR")
        Lang._activate_lang("en_US")
        (cls.agent_a | cls.agent_b).write({"aftersales_happy_call_share": 100.0})
        cls.fa_manager = new_test_user(
            cls.env,
            login="vr_fa_manager",
            groups="aftersales_base.group_aftersales_manager",
            lang="fa_IR",
            tz="Asia/Tehran",
        )
        cls.manager.lang = "en_US"
        jtoday = jdatetime.date.fromgregorian(date=fields.Date.context_today(cls.manager))
        cls.period = {"jalali_year": jtoday.year, "jalali_month": str(jtoday.month)}

    def setUp(self):
        super().setUp()
        customers = iter(
            self.env["res.partner"].create(
                [{"name": f"VR customer {i}", "mobile": f"0912000010{i}"} for i in range(7)]
            )
        )

        def call(agent=None, service_type=None, **kw):
            job = self._done_job(agent, partner=next(customers), service_type=service_type, **kw)
            self.assertEqual(len(job.happy_call_ids), 1)
            return job.happy_call_ids

        # Agent A, warranty repairs: 100 % with interest in buying, 50 % (unhappy under
        # the threshold of 60 %), and one call still to make.
        self._answer(call(self.agent_a), [4, 4, 4], interest=True)
        self._answer(call(self.agent_a), [2, 2, 2])
        self.queued = call(self.agent_a)
        # Agent B, paid repairs: 83.3 %, 25 % (unhappy), and a customer who refused.
        self._answer(call(self.agent_b, self.type_paid), [4, 4, 2])
        self._answer(call(self.agent_b, self.type_paid), [1, 1, 1])
        call(self.agent_b, self.type_paid).with_user(self.operator).action_log_attempt("refused")
        # In-house, warranty repair: 75 %.
        self._answer(call(technician=self.technician), [3, 3, 3])

    def _wizard(self, user=None, **values):
        user = user or self.manager
        Wizard = (
            self.env["aftersales.satisfaction.report.wizard"]
            .with_user(user)
            .with_context(lang=user.lang, tz=user.tz)
        )
        return Wizard.create({**self.period, **values})

    @staticmethod
    def _by_label(rows):
        return {
            row["label"]: (
                row["answered"],
                round(row["mean"], 1),
                row["unhappy"],
                row["complaints"],
                row["opportunities"],
            )
            for row in rows
        }

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    def test_default_period_is_the_previous_jalali_month(self):
        # As the manager opens it from the menu.
        menu = self.env.ref("aftersales_survey.aftersales_satisfaction_report_menu")
        self.assertEqual(menu.parent_id, self.env.ref("aftersales_survey.aftersales_survey_menu"))
        Wizard = self.env[menu.action.res_model].with_user(self.manager)
        with Form(Wizard) as form:
            today = fields.Date.context_today(self.manager)
            jtoday = jdatetime.date.fromgregorian(date=today)
            year, month = (
                (jtoday.year - 1, 12) if jtoday.month == 1 else (jtoday.year, jtoday.month - 1)
            )
            self.assertEqual(
                (form.date_from, form.date_to), atools.jalali_month_bounds(year, month)
            )
            self.assertLess(form.date_to, today)
            self.assertEqual(form.group_by, "agent")
            form.group_by = "service_type"
        self.assertEqual(form.record.group_by, "service_type")

    def test_figures_by_agent_against_hand_computed(self):
        wizard = self._wizard()
        rows = wizard._group_rows()
        self.assertEqual(
            self._by_label(rows),
            {
                "Agent A Tehran": (2, round((FULL + HALF) / 2, 1), 1, 1, 1),
                "Agent B Isfahan": (2, round((MOSTLY + POOR) / 2, 1), 1, 1, 0),
                "In-house (no agent)": (1, GOOD, 0, 0, 0),
            },
        )
        # The complaints are the ones the unhappy calls opened.
        calls = self.Call.search([("state", "=", "done"), ("is_unhappy", "=", True)])
        self.assertEqual(len(calls.complaint_id), 2)

        summary = wizard._summary()
        self.assertAlmostEqual(summary["satisfaction"], (FULL + HALF + MOSTLY + POOR + GOOD) / 5)
        self.assertEqual(
            (summary["answered"], summary["queued"], summary["refused"]),
            (5, 1, 1),
        )
        self.assertEqual((summary["unhappy"], summary["complaints"]), (2, 2))
        self.assertAlmostEqual(summary["unhappy_share"], 40.0)
        self.assertEqual(summary["opportunities"], 1)
        # Best first, worst first; the in-house calls are not an agent's.
        self.assertEqual(
            [row["label"] for row in summary["top_agents"]], ["Agent A Tehran", "Agent B Isfahan"]
        )
        self.assertEqual(
            [row["label"] for row in summary["bottom_agents"]],
            ["Agent B Isfahan", "Agent A Tehran"],
        )
        warranty, paid = self.type_warranty.display_name, self.type_paid.display_name
        self.assertEqual(
            {row["label"]: round(row["mean"], 1) for row in summary["service_types"]},
            {warranty: round((FULL + HALF + GOOD) / 3, 1), paid: round((MOSTLY + POOR) / 2, 1)},
        )
        self.assertEqual(
            [(row["label"], row["answered"]) for row in summary["products"]],
            [(self.heater.display_name, 5)],
        )

    def test_other_groupings_and_agent_filter(self):
        wizard = self._wizard(group_by="technician")
        self.assertEqual(
            self._by_label(wizard._group_rows()),
            {
                self.technician.name: (1, GOOD, 0, 0, 0),
                "No technician": (4, round((FULL + HALF + MOSTLY + POOR) / 4, 1), 2, 2, 1),
            },
        )
        today = fields.Date.context_today(self.manager)
        wizard = self._wizard(group_by="month")
        [row] = wizard._group_rows()
        self.assertEqual(row["label"], babel_format_date(today, "MMMM y", locale="en_US"))
        self.assertEqual(row["answered"], 5)
        # A Persian reader groups by Jalali month.
        [row] = self._wizard(self.fa_manager, group_by="month")._group_rows()
        jtoday = jdatetime.date.fromgregorian(date=today)
        self.assertEqual(row["label"].split()[0], btools.jalali_month_name(jtoday.month, "fa"))
        # Only agent B's calls.
        wizard = self._wizard(group_by="service_type", agent_ids=[self.agent_b.id])
        self.assertEqual(
            self._by_label(wizard._group_rows()),
            {self.type_paid.display_name: (2, round((MOSTLY + POOR) / 2, 1), 1, 1, 0)},
        )
        summary = wizard._summary()
        self.assertEqual((summary["answered"], summary["queued"], summary["refused"]), (2, 0, 1))
        self.assertEqual([row["label"] for row in summary["top_agents"]], ["Agent B Isfahan"])

    def test_a_period_ending_before_it_starts_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "ends .* before it starts"):
            self._wizard(date_from="2026-03-31", date_to="2026-03-01")
        wizard = self._wizard()
        with self.assertRaisesRegex(ValidationError, "before it starts"):
            wizard.write({"date_to": wizard.date_from - timedelta(days=1)})

    # ------------------------------------------------------------------
    # XLSX
    # ------------------------------------------------------------------

    def _sheet(self, wizard):
        action = wizard.action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(f"/{wizard.id}/xlsx_file/", action["url"])
        self.assertTrue(wizard.xlsx_name.endswith(".xlsx"))
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.xlsx_file)))
        sheet = book.active
        return sheet, [list(row) for row in sheet.iter_rows(values_only=True)]

    def test_xlsx_by_agent(self):
        sheet, rows = self._sheet(self._wizard())
        self.assertFalse(sheet.sheet_view.rightToLeft)
        header = rows.index(
            [
                "Service Agent",
                "Calls Answered",
                "Mean Satisfaction (%)",
                "Unhappy",
                "Complaints Opened",
                "Opportunities",
            ]
        )
        body = {row[0]: (row[1], round(row[2], 1), *row[3:]) for row in rows[header + 1 :]}
        self.assertEqual(
            body,
            {
                "Agent A Tehran": (2, 75.0, 1, 1, 1),
                "Agent B Isfahan": (2, round((MOSTLY + POOR) / 2, 1), 1, 1, 0),
                "In-house (no agent)": (1, 75.0, 0, 0, 0),
                "Total": (5, round((FULL + HALF + MOSTLY + POOR + GOOD) / 5, 1), 2, 2, 1),
            },
        )
        wizard = self._wizard()
        period = f"{wizard.date_from.strftime('%m/%d/%Y')} to {wizard.date_to.strftime('%m/%d/%Y')}"
        self.assertIn(f"Period: {period}", [row[0] for row in rows[:header]])

    def test_xlsx_right_to_left_and_jalali_in_persian(self):
        sheet, rows = self._sheet(self._wizard(self.fa_manager, group_by="service_type"))
        self.assertTrue(sheet.sheet_view.rightToLeft)
        jmonth = btools.jalali_month_name(int(self.period["jalali_month"]), "fa")
        year = btools.to_persian_digits(str(self.period["jalali_year"]))
        self.assertTrue(any(f"{jmonth} {year}" in str(row[0]) for row in rows[:4]), rows[:4])
        flat = [value for row in rows for value in row]
        self.assertIn(self.type_paid.with_context(lang="fa_IR").display_name, flat)

    # ------------------------------------------------------------------
    # Management summary
    # ------------------------------------------------------------------

    def _html(self, wizard):
        action = wizard.action_print_summary()
        self.assertEqual(action["report_name"], "aftersales_survey.report_satisfaction_summary")
        user = wizard.env.user
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(user)
            .with_context(lang=user.lang)
            ._render_qweb_html(SUMMARY_REPORT, wizard.ids)
        )
        return lxml.html.fromstring(html)

    def test_summary_html_in_english(self):
        root = self._html(self._wizard())
        [body] = root.xpath("//div[hasclass('o_aftersales_report_body')]")
        self.assertEqual(body.get("dir"), "ltr")
        figures = {
            node.get("data-figure"): " ".join(node.text_content().split())
            for node in root.xpath("//*[@data-figure]")
        }
        self.assertEqual(figures["satisfaction"], "66.7%")
        self.assertEqual(
            [figures[key] for key in ("answered", "queued", "refused", "complaints")],
            ["5", "1", "1", "2"],
        )
        self.assertEqual(figures["unhappy"], "2 (40.0%)")
        self.assertEqual(figures["opportunities"], "1")
        [top] = root.xpath("//table[@data-kind='top']")
        self.assertEqual(
            [
                " ".join(td.text_content().split())
                for td in top.xpath(".//tr[hasclass('o_aftersales_satisfaction_agent')]/td[2]")
            ],
            ["Agent A Tehran", "Agent B Isfahan"],
        )
        self.assertIn("75.0", top.text_content())
        [bottom] = root.xpath("//table[@data-kind='bottom']")
        self.assertEqual(
            bottom.xpath(".//tr/@data-agent-id"), [str(self.agent_b.id), str(self.agent_a.id)]
        )
        self.assertIn(self.heater.display_name, root.text_content())

    def test_summary_html_right_to_left_in_persian(self):
        root = self._html(self._wizard(self.fa_manager))
        [body] = root.xpath("//div[hasclass('o_aftersales_report_body')]")
        self.assertEqual(body.get("dir"), "rtl")
        jmonth = btools.jalali_month_name(int(self.period["jalali_month"]), "fa")
        [period] = root.xpath("//span[hasclass('o_aftersales_satisfaction_period')]")
        self.assertIn(jmonth, period.text_content())
        [figure] = root.xpath("//*[@data-figure='satisfaction']")
        self.assertIn("66.7%", figure.text_content())

    def _pdf(self, user):
        wizard = self._wizard(user)
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_user(user)
            .with_context(lang=user.lang, force_report_rendering=True)
            ._render_qweb_pdf(SUMMARY_REPORT, wizard.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        folder = os.environ.get("VREPORTS_PDF_DIR")
        if folder:
            with open(os.path.join(folder, f"summary-{user.lang}.pdf"), "wb") as out:
                out.write(pdf)
        self.assert_inside_page(pdf, SUMMARY_REPORT, f"Summary in {user.lang}")
        return self.pdf_text(pdf)

    def test_summary_pdf_in_english_and_persian(self):
        text = self._pdf(self.manager)
        for expected in ("Satisfaction Summary", "66.7%", "Agent A Tehran", "Agent B Isfahan"):
            self.assertIn(expected, text)
        text = self._pdf(self.fa_manager)
        self.assertIn(btools.jalali_month_name(int(self.period["jalali_month"]), "fa"), text)
        self.assertIn("66.7", text)
