"""The agent's scorecards on the portal, and an operator answering a happy call on the
survey's own pages, as users reach them: over HTTP and in Chromium (375 px wide, left to
right and right to left)."""

import json
from datetime import datetime, time, timedelta

import jdatetime
from lxml import html

from odoo.addons.aftersales_agent.tools import jalali_month_bounds
from odoo.addons.aftersales_base.tests.common import portal_customer, prepare_portal
from odoo.addons.aftersales_base.tests.test_portal_layout import CHECK_PAGE
from odoo.addons.aftersales_base.tools import jalali_month_name, to_persian_digits
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import SurveyCase


def _month_before(year, month, count=1):
    for _i in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return year, month


@tagged("post_install", "-at_install")
class TestSurveyPortal(SurveyCase, HttpCase):
    browser_size = "375x800"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        prepare_portal(cls.env)
        # Pages asserted in English (the database's default language may be Persian).
        (cls.user_a | cls.user_b | cls.operator).write({"lang": "en_US", "tz": "Asia/Tehran"})
        cls.manager.tz = "Asia/Tehran"
        (cls.agent_a | cls.agent_b).write({"aftersales_happy_call_share": 100.0})
        cls.customer_user = portal_customer(cls.env, "sc_customer")
        Partner = cls.env["res.partner"]
        customers = Partner.create(
            [{"name": f"SC Customer {i}", "mobile": f"0912111000{i}"} for i in range(5)]
        )
        # This month: A's customer very satisfied, B's customer unhappy; an in-house job.
        job_a0 = cls._done_job(agent=cls.agent_a, partner=customers[0])
        job_b0 = cls._done_job(agent=cls.agent_b, partner=customers[1])
        cls._done_job(technician=cls.technician, partner=customers[2])
        # SurveyCase._answer reads only class attributes: the class answers as the test.
        cls._answer(cls, job_a0.happy_call_ids, [4, 4, 4])
        cls._answer(cls, job_b0.happy_call_ids, [1, 1, 1])
        # A's paid jobs of the last two months (done then, never called).
        jtoday = jdatetime.date.fromgregorian(date=cls._today())
        cls.month0 = (jtoday.year, jtoday.month)
        cls.month1 = _month_before(*cls.month0)
        cls.month2 = _month_before(*cls.month0, count=2)
        for month, customer in ((cls.month1, customers[3]), (cls.month2, customers[4])):
            job = cls._done_job(agent=cls.agent_a, partner=customer, service_type=cls.type_paid)
            start = jalali_month_bounds(*month)[0] + timedelta(days=10)
            when = datetime.combine(start, time(9, 0))
            job.write({"request_date": when, "done_date": when})
        # Confirmed: this month and the last; two months ago still a draft.
        Card = cls.env["aftersales.scorecard"].with_user(cls.manager)
        cls.cards = Card.browse()
        for year, month in (cls.month0, cls.month1, cls.month2):
            card = Card.create({"jalali_year": year, "jalali_month": str(month)})
            card.action_compute()
            cls.cards |= card
        cls.cards[:2].action_confirm()
        cls.card0, cls.card1, cls.card2 = cls.cards
        lines = cls.cards.line_ids.sudo()
        cls.line_a0, cls.line_a1, cls.line_a2 = (
            lines.filtered(lambda ln, c=card: ln.scorecard_id == c and ln.agent_id == cls.agent_a)
            for card in cls.cards
        )
        cls.line_b0 = lines.filtered(
            lambda ln: ln.scorecard_id == cls.card0 and ln.agent_id == cls.agent_b
        )
        cls.line_tech = lines.filtered(lambda ln: ln.subject_type == "technician")

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _page(self, login, url="/my/scorecard"):
        self.authenticate(login, login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return html.fromstring(response.text)

    @staticmethod
    def _cards(page):
        """``{line id: card element}`` in the order of the page."""
        return {int(card.get("data-line-id")): card for card in page.xpath("//*[@data-line-id]")}

    @staticmethod
    def _text(card, css_class):
        [node] = card.xpath(f".//*[contains(@class, '{css_class}')]")
        return node.text_content().strip()

    # ------------------------------------------------------------------
    # Scorecard page
    # ------------------------------------------------------------------

    def test_data_as_expected(self):
        # What the page tests rely on: A ahead of B this month, A alone last month.
        self.assertEqual(self.cards.mapped("state"), ["done", "done", "draft"])
        self.assertEqual((self.line_a0.rank, self.line_b0.rank), (1, 2))
        self.assertGreater(self.line_a0.score, self.line_b0.score)
        self.assertEqual(self.line_a1.rank, 1)
        self.assertTrue(self.line_a2)
        self.assertTrue(self.line_tech)

    def test_agent_sees_its_confirmed_scorecards(self):
        cards = self._cards(self._page("agent_a"))
        # Newest period first; not the draft period, nor B's or the technician's lines.
        self.assertEqual(list(cards), [self.line_a0.id, self.line_a1.id])
        this_month = cards[self.line_a0.id]
        rank = this_month.xpath(".//*[contains(@class, 'o_aftersales_scorecard_rank')]")[0]
        self.assertEqual((rank.get("data-rank"), rank.get("data-ranked")), ("1", "2"))
        self.assertEqual(" ".join(rank.text_content().split()), "Rank 1 of 2")
        self.assertEqual(
            self._text(this_month, "o_aftersales_scorecard_score"), f"{self.line_a0.score:.1f}"
        )
        self.assertEqual(
            self._text(this_month, "o_aftersales_scorecard_period"),
            f"{jalali_month_name(self.month0[1], 'en')} {self.month0[0]}",
        )
        self.assertEqual(self._text(this_month, "o_aftersales_scorecard_jobs"), "1")
        self.assertEqual(self._text(this_month, "o_aftersales_scorecard_calls"), "1")
        figures = {
            node.get("data-metric"): self._text(node, "o_aftersales_scorecard_value")
            for node in this_month.xpath(".//*[@data-metric]")
        }
        self.assertEqual(
            set(figures),
            {"satisfaction", "complaints", "workload", "repeats", "confirmed", "sla", "cores"},
        )
        self.assertEqual(figures["satisfaction"], "100.0")
        # Last month: no happy call answered, nothing to measure satisfaction with.
        last_month = cards[self.line_a1.id]
        self.assertEqual(self._text(last_month, "o_aftersales_scorecard_rank"), "Rank 1 of 1")
        [satisfaction] = last_month.xpath(".//*[@data-metric='satisfaction']")
        self.assertFalse(self.line_a1.has_satisfaction)
        self.assertEqual(self._text(satisfaction, "o_aftersales_scorecard_value"), "—")

    def test_other_agent_sees_only_its_own(self):
        cards = self._cards(self._page("agent_b"))
        self.assertEqual(list(cards), [self.line_b0.id])
        card = cards[self.line_b0.id]
        self.assertEqual(self._text(card, "o_aftersales_scorecard_rank"), "Rank 2 of 2")
        self.assertEqual(
            self._text(card, "o_aftersales_scorecard_score"), f"{self.line_b0.score:.1f}"
        )

    def test_draft_period_not_shown(self):
        self.card0.with_user(self.manager).action_reset()
        cards = self._cards(self._page("agent_a"))
        self.assertEqual(list(cards), [self.line_a1.id])
        self.cards.with_user(self.manager).action_reset()
        page = self._page("agent_a")
        self.assertFalse(self._cards(page))
        self.assertTrue(page.xpath("//*[contains(@class, 'o_aftersales_scorecard_none')]"))

    @mute_logger("odoo.http")
    def test_customer_and_public_get_404(self):
        self.authenticate("sc_customer", "sc_customer")
        self.assertEqual(self.url_open("/my/scorecard").status_code, 404)
        self.assertNotIn("/my/scorecard", self.url_open("/my/home").text)
        self.authenticate(None, None)
        response = self.url_open("/my/scorecard")
        self.assertIn("/web/login", response.url)

    def test_home_tile_shows_latest_score(self):
        page = self._page("agent_a", "/my/home")
        [tile] = page.xpath("//*[contains(@class, 'o_aftersales_tile_agent_scorecard')]")
        self.assertEqual(tile.xpath(".//a")[0].get("href"), "/my/scorecard")
        self.assertEqual(
            self._text(tile, "o_aftersales_scorecard_latest_score"), f"{self.line_a0.score:.1f}"
        )
        page = self._page("agent_b", "/my/home")
        [tile] = page.xpath("//*[contains(@class, 'o_aftersales_tile_agent_scorecard')]")
        self.assertEqual(
            self._text(tile, "o_aftersales_scorecard_latest_score"), f"{self.line_b0.score:.1f}"
        )

    def test_persian_page(self):
        self.user_a.lang = "fa_IR"
        page = self._page("agent_a", "/fa/my/scorecard")
        self.assertEqual(page.get("dir"), "rtl")
        cards = self._cards(page)
        self.assertEqual(list(cards), [self.line_a0.id, self.line_a1.id])
        self.assertEqual(
            self._text(cards[self.line_a0.id], "o_aftersales_scorecard_period"),
            f"{jalali_month_name(self.month0[1], 'fa')} {to_persian_digits(self.month0[0])}",
        )
        # The period's first day, Jalali with Persian digits.
        jalali_start = self.env["ir.actions.report"]._aftersales_format_date(
            self.card0.date_from, lang="fa_IR"
        )
        self.assertTrue(jalali_start.startswith(to_persian_digits(self.month0[0])))
        self.assertIn(jalali_start, cards[self.line_a0.id].text_content())

    def test_layout_at_375px(self):
        selectors = [
            ".o_aftersales_scorecard_rank",
            ".o_aftersales_scorecard_score",
            ".o_aftersales_scorecard_figure",
            ".o_aftersales_scorecard_value",
        ]
        for prefix, rtl in (("/en", False), ("/fa", True)):
            params = json.dumps({"selectors": selectors, "ready": "true", "rtl": rtl})
            with self.subTest(prefix=prefix):
                self.browser_js(
                    f"{prefix}/my/scorecard",
                    CHECK_PAGE % {"params": params},
                    login="agent_a",
                    timeout=90,
                )
        params = json.dumps(
            {"selectors": [".o_aftersales_tile_agent_scorecard"], "ready": "true", "rtl": False}
        )
        self.browser_js("/en/my/home", CHECK_PAGE % {"params": params}, login="agent_a")

    # ------------------------------------------------------------------
    # Operator's happy call on the survey pages
    # ------------------------------------------------------------------

    def test_operator_answers_on_the_survey_pages(self):
        customer = self.env["res.partner"].create({"name": "SC Tour", "mobile": "09121110099"})
        call = self._done_job(agent=self.agent_a, partner=customer).happy_call_ids
        self.assertEqual(call.state, "queued")
        call.with_user(self.operator).action_answer()
        answer = call.user_input_id
        start_url = answer.get_start_url()
        self.start_tour(start_url, "aftersales_survey_tour", login="wr_operator")
        call.invalidate_recordset()
        answer.invalidate_recordset()
        self.assertEqual(call.state, "done")
        # 4 + 3 + 2 of 12 points (the interest question is not scored).
        self.assertEqual(call.score, 75.0)
        self.assertEqual(answer.state, "done")
        self.assertEqual(len(answer.user_input_line_ids), 4)
        self.assertFalse(call.interested)
        self.assertEqual(call.answered_user_id, self.operator)
        # Locked: the start URL shows the end page, and a submission is refused.
        self.authenticate("wr_operator", "wr_operator")
        again = self.url_open(start_url)
        self.assertEqual(again.status_code, 200)
        self.assertIn("o_survey_finished", again.text)
        self.assertNotIn('value="finish"', again.text)
        very_unhappy = {
            str(question.id): question.suggested_answer_ids.filtered(
                lambda a: a.answer_score == 0
            ).id
            for question in self.questions - self.q_interest
        }
        result = self.make_jsonrpc_request(
            f"/survey/submit/{self.survey.access_token}/{answer.access_token}", very_unhappy
        )
        self.assertEqual(result[1], {"error": "unauthorized"})
        call.invalidate_recordset()
        self.assertEqual((call.state, call.score), ("done", 75.0))

    def test_other_users_cannot_open_the_answer(self):
        """Only the operator the call was opened by answers with its token: another
        operator, the agent on the job, or someone else gets Odoo's access error."""
        customer = self.env["res.partner"].create({"name": "SC Other", "mobile": "09121110098"})
        call = self._done_job(agent=self.agent_a, partner=customer).happy_call_ids
        call.with_user(self.operator).action_answer()
        start_url = call.user_input_id.get_start_url()
        other = self._user(
            "sc_operator2", "aftersales_base.group_aftersales_operator", lang="en_US"
        )
        self.assertTrue(other)
        for login in ("sc_operator2", "agent_a", "sc_customer"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                page = self.url_open(start_url)
                self.assertIn("Survey Access Error", page.text)
                self.assertNotIn('value="start"', page.text)
        self.authenticate("wr_operator", "wr_operator")
        page = self.url_open(start_url)
        self.assertNotIn("Survey Access Error", page.text)
        self.assertIn('value="start"', page.text)
        call.invalidate_recordset()
        self.assertEqual(call.state, "in_progress")
        self.assertFalse(call.answered_date)
