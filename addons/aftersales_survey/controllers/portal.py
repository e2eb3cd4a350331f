"""The agent's scorecards on the portal (R-AGT-8, R-SRV-5): the confirmed scorecard
lines of the user's own agent, newest period first, and its latest score on the home
page.

Always the user's own agent (``res.partner._aftersales_agent_of``): no route takes an
agent or a line, so no URL can select another one; users of no agent get 404. Lines are
read through ``sudo()`` with :meth:`_scorecard_domain` (the agent's lines of confirmed
periods only: never another agent's, a technician's or a draft period's), and the
templates get plain values (:meth:`_scorecard_values`), never the records.
"""

from odoo import http
from odoo.addons.aftersales_agent.controllers.portal import AftersalesAgentPortal
from odoo.addons.aftersales_agent.tools import jalali_month_bounds
from odoo.addons.aftersales_base.tools import jalali_month_name, to_persian_digits
from odoo.http import request

# (metric, field of its 0..100 figure): the order of the page.
SCORECARD_METRICS = [
    ("satisfaction", "satisfaction_score"),
    ("complaints", "complaints_score"),
    ("workload", "workload_score"),
    ("repeats", "repeats_score"),
    ("confirmed", "confirmed_score"),
    ("sla", "sla_score"),
    ("cores", "cores_score"),
]
SCORECARD_FIELDS = [
    "scorecard_id",
    "rank",
    "score",
    "jobs",
    "calls",
    *(fname for _metric, fname in SCORECARD_METRICS),
    *(f"has_{metric}" for metric, _fname in SCORECARD_METRICS),
]
SCORECARD_LIMIT = 24


class AftersalesSurveyPortal(AftersalesAgentPortal):
    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _scorecard_domain(self, agent):
        """The agent's own lines of confirmed periods."""
        return [
            ("subject_type", "=", "agent"),
            ("agent_id", "=", agent.id),
            ("state", "=", "done"),
        ]

    def _scorecard_lines(self, agent, limit=SCORECARD_LIMIT):
        return (
            request.env["aftersales.scorecard.line"]
            .sudo()
            .search_fetch(
                self._scorecard_domain(agent),
                SCORECARD_FIELDS,
                order="date_from desc, id desc",
                limit=limit,
            )
        )

    def _scorecard_period_label(self, card, lang):
        """The period's name in the reader's language (a Jalali month's, in Persian with
        Persian digits as the dates of the page)."""
        month = int(card.jalali_month) if card.jalali_month else 0
        if (
            month
            and card.jalali_year
            and jalali_month_bounds(card.jalali_year, month) == (card.date_from, card.date_to)
        ):
            if lang.startswith("fa"):
                return f"{jalali_month_name(month, lang)} {to_persian_digits(card.jalali_year)}"
            return f"{jalali_month_name(month, lang)} {card.jalali_year}"
        return card.name

    def _scorecard_values(self, lines):
        """Plain values of ``lines`` (sudo records of one agent), with the number of agents
        ranked in each period (one grouped count)."""
        if not lines:
            return []
        Line = request.env["aftersales.scorecard.line"].sudo()
        ranked = dict(
            Line._read_group(
                [("scorecard_id", "in", lines.scorecard_id.ids), ("subject_type", "=", "agent")],
                ["scorecard_id"],
                ["__count"],
            )
        )
        lang = request.env.lang or "en_US"
        cards = lines.scorecard_id
        cards.fetch(["name", "jalali_year", "jalali_month", "date_from", "date_to"])
        values = []
        for line in lines:
            card = line.scorecard_id
            values.append(
                {
                    "id": line.id,
                    "period": self._scorecard_period_label(card, lang),
                    "date_from": card.date_from,
                    "date_to": card.date_to,
                    "rank": line.rank,
                    "ranked": ranked.get(card, 0),
                    "score": round(line.score, 1),
                    "jobs": line.jobs,
                    "calls": line.calls,
                    "figures": [
                        {
                            "metric": metric,
                            "value": round(line[fname], 1) if line[f"has_{metric}"] else None,
                        }
                        for metric, fname in SCORECARD_METRICS
                    ],
                }
            )
        return values

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if not counters:
            # The home page itself: the latest confirmed score of the user's agent.
            agent = self._agent()
            latest = self._scorecard_values(self._scorecard_lines(agent, limit=1)) if agent else []
            values["aftersales_scorecard_latest"] = latest[0] if latest else None
        return values

    # ------------------------------------------------------------------
    # Routes
    # ------------------------------------------------------------------

    @http.route("/my/scorecard", type="http", auth="user", website=True)
    def portal_agent_scorecard(self, **kw):
        agent = self._agent_or_404()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "aftersales_scorecard",
                "scorecards": self._scorecard_values(self._scorecard_lines(agent)),
                "agent_name": agent.sudo().display_name,
            }
        )
        return request.render("aftersales_survey.portal_agent_scorecard", values)
