"""Satisfaction reports (issue 10, Reports): satisfaction of the happy calls answered on
the jobs done in a period, by agent, technician, product, service type or month, as an
XLSX sheet, and the management summary as a PDF (right to left and Jalali for Persian).

Every figure comes from grouped queries on the happy calls (``_read_group``), a few per
report whatever the number of calls, agents or products."""

import base64
from collections import defaultdict
from datetime import datetime

from babel.dates import format_date as babel_format_date

from odoo import api, fields, models
from odoo.addons.aftersales_agent import tools as atools
from odoo.addons.aftersales_base import tools as btools
from odoo.exceptions import ValidationError

from .. import tools as vtools
from ..models.aftersales_scorecard import JALALI_MONTHS, _default_month

SUMMARY_REPORT = "aftersales_survey.action_report_satisfaction_summary"
GROUP_FIELDS = {
    "agent": "agent_id",
    "technician": "technician_id",
    "product": "product_id",
    "service_type": "service_type_id",
}
OPEN_STATES = ("queued", "callback", "in_progress")
TOP_AGENTS, BOTTOM_AGENTS, TOP_PRODUCTS = 10, 5, 10


class AftersalesSatisfactionReportWizard(models.TransientModel):
    _name = "aftersales.satisfaction.report.wizard"
    _description = "Satisfaction Report"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    jalali_year = fields.Integer(default=lambda self: self._default_period()[0])
    jalali_month = fields.Selection(
        JALALI_MONTHS, default=lambda self: str(self._default_period()[1])
    )
    date_from = fields.Date(
        "From",
        compute="_compute_dates",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        help="Happy calls of the jobs done from this day on.",
    )
    date_to = fields.Date(
        "To",
        compute="_compute_dates",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        help="Happy calls of the jobs done up to this day included.",
    )
    group_by = fields.Selection(
        [
            ("agent", "Service Agent"),
            ("technician", "Technician"),
            ("product", "Device"),
            ("service_type", "Service Type"),
            ("month", "Month"),
        ],
        required=True,
        default="agent",
    )
    agent_ids = fields.Many2many(
        "res.partner",
        string="Service Agents",
        domain="[('is_aftersales_agent', '=', True), ('is_company', '=', True)]",
        help="Only the calls of these agents' jobs; empty: every job.",
    )
    xlsx_file = fields.Binary("Spreadsheet", readonly=True, attachment=False)
    xlsx_name = fields.Char(readonly=True)

    @api.model
    def _default_period(self):
        return _default_month(fields.Date.context_today(self))

    @api.depends("jalali_year", "jalali_month")
    def _compute_dates(self):
        for wizard in self:
            if wizard.jalali_year and wizard.jalali_month:
                wizard.date_from, wizard.date_to = atools.jalali_month_bounds(
                    wizard.jalali_year, int(wizard.jalali_month)
                )

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from and wizard.date_to and wizard.date_to < wizard.date_from:
                raise ValidationError(
                    self.env._(
                        "The period ends (%(end)s) before it starts (%(start)s): "
                        "give an end date on or after the start date.",
                        end=wizard.date_to,
                        start=wizard.date_from,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_export_xlsx(self):
        self.ensure_one()
        self._check_period()
        lang = self._print_lang()
        wizard = self.with_context(lang=lang)
        env = wizard.env
        rows = wizard._group_rows()
        labels = {
            "title": env._("Satisfaction"),
            "group": dict(self._fields["group_by"]._description_selection(env))[self.group_by],
            "answered": env._("Calls Answered"),
            "mean": env._("Mean Satisfaction (%)"),
            "unhappy": env._("Unhappy"),
            "complaints": env._("Complaints Opened"),
            "opportunities": env._("Opportunities"),
            "total": env._("Total"),
        }
        subtitles = [
            env._("Period: %(period)s", period=wizard._period_text(lang)),
            env._("Company: %(company)s", company=self.company_id.name),
        ]
        if self.agent_ids:
            subtitles.append(
                env._(
                    "Service agents: %(agents)s",
                    agents=", ".join(self.agent_ids.with_context(lang=lang).mapped("name")),
                )
            )
        data = vtools.build_satisfaction_xlsx(
            rows, labels, subtitles=subtitles, rtl=self._is_rtl(lang)
        )
        name = f"satisfaction-{self.group_by}-{self.date_from}-{self.date_to}.xlsx"
        self.write({"xlsx_file": base64.b64encode(data), "xlsx_name": name})
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/xlsx_file/{name}?download=true",
            "target": "self",
        }

    def action_print_summary(self):
        self.ensure_one()
        self._check_period()
        return self.env.ref(SUMMARY_REPORT).report_action(self)

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    def _print_lang(self):
        return self.env["ir.actions.report"]._aftersales_lang(self.env.lang or "en_US")

    def _is_rtl(self, lang):
        return self.env["res.lang"]._get_data(code=lang).direction == "rtl"

    def _utc_bounds(self):
        return self.env["aftersales.agent.statement"]._utc_bounds(self.date_from, self.date_to)

    def _domain(self):
        """The happy calls of the jobs done in the period (in the reader's time zone)."""
        self.ensure_one()
        start, end = self._utc_bounds()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("done_date", ">=", start),
            ("done_date", "<", end),
            ("state", "!=", "cancel"),
        ]
        if self.agent_ids:
            domain.append(("agent_id", "in", self.agent_ids.ids))
        return domain

    def _group_rows(self, group_by=None):
        """``[{"key", "label", "answered", "score_sum", "mean", "unhappy", "complaints",
        "opportunities"}]`` of the calls answered, one per value of ``group_by`` (the
        wizard's by default): one grouped query. Ordered by the group's label (by month
        for months)."""
        self.ensure_one()
        group_by = group_by or self.group_by
        month = group_by == "month"
        field = "done_date:day" if month else GROUP_FIELDS[group_by]
        Call = self.env["aftersales.happy.call"]
        groups = Call._read_group(
            [*self._domain(), ("state", "=", "done")],
            groupby=[field, "is_unhappy"],
            aggregates=["__count", "score:sum", "complaint_id:count", "lead_id:count"],
        )
        lang = self.env.lang or "en_US"
        jalali = lang.startswith("fa")
        rows = {}
        for value, unhappy, count, score_sum, complaints, leads in groups:
            if month:
                day = value.date() if isinstance(value, datetime) else value
                key = self._month_key(day, jalali)
            else:
                key = value.id or False
            row = rows.get(key)
            if row is None:
                row = rows[key] = {
                    "key": key,
                    "label": self._month_label(key, jalali, lang) if month else None,
                    "record": None if month else value,
                    "answered": 0,
                    "score_sum": 0.0,
                    "unhappy": 0,
                    "complaints": 0,
                    "opportunities": 0,
                }
            row["answered"] += count
            row["score_sum"] += score_sum or 0.0
            row["unhappy"] += count if unhappy else 0
            row["complaints"] += complaints
            row["opportunities"] += leads
        for row in rows.values():
            row["mean"] = row["score_sum"] / row["answered"] if row["answered"] else None
            record = row.pop("record")
            if not month:
                row["label"] = record.display_name if record else self._none_label(group_by)
        if month:
            return [rows[key] for key in sorted(rows)]
        return sorted(rows.values(), key=lambda r: (not r["key"], (r["label"] or "").lower()))

    def _none_label(self, group_by):
        return {
            "agent": self.env._("In-house (no agent)"),
            "technician": self.env._("No technician"),
            "product": self.env._("No device"),
            "service_type": self.env._("No service type"),
        }[group_by]

    @api.model
    def _month_key(self, day, jalali):
        if jalali:
            jday = btools.to_jalali(day)
            return (jday.year, jday.month)
        return (day.year, day.month)

    @api.model
    def _month_label(self, key, jalali, lang):
        year, month = key
        if jalali:
            return f"{btools.jalali_month_name(month, lang)} {btools.to_persian_digits(str(year))}"
        return babel_format_date(datetime(year, month, 1), "MMMM y", locale=lang or "en_US")

    def _period_text(self, lang):
        """The period as the reader reads it: a Jalali month by name when the period is
        one (Persian), otherwise both dates (Jalali for Persian)."""
        self.ensure_one()
        if lang.startswith("fa"):
            jfrom = btools.to_jalali(self.date_from)
            bounds = atools.jalali_month_bounds(jfrom.year, jfrom.month)
            if bounds == (self.date_from, self.date_to):
                year = btools.to_persian_digits(str(jfrom.year))
                return f"{btools.jalali_month_name(jfrom.month, lang)} {year}"
        Report = self.env["ir.actions.report"]
        return self.env._(
            "%(start)s to %(end)s",
            start=Report._aftersales_format_date(self.date_from, lang),
            end=Report._aftersales_format_date(self.date_to, lang),
        )

    @staticmethod
    def _ranked(rows, reverse, limit):
        """The ``limit`` best (or worst) rows by mean satisfaction, then by calls."""
        rows = [row for row in rows if row["key"] and row["mean"] is not None]
        sign = -1 if reverse else 1
        return sorted(rows, key=lambda r: (sign * r["mean"], -r["answered"], r["label"].lower()))[
            :limit
        ]

    def _summary(self):
        """The management summary: every figure of the PDF, in a few grouped queries."""
        self.ensure_one()
        lang = self.env.lang or "en_US"
        states = defaultdict(int)
        for state, count in self.env["aftersales.happy.call"]._read_group(
            self._domain(), groupby=["state"], aggregates=["__count"]
        ):
            states[state] = count
        agents = self._group_rows("agent")
        total = vtools.satisfaction_totals(agents)
        products = sorted(
            (row for row in self._group_rows("product") if row["key"]),
            key=lambda r: (-r["answered"], r["label"].lower()),
        )[:TOP_PRODUCTS]
        return {
            "company": self.company_id,
            "period": self._period_text(lang),
            "printed": self.env["ir.actions.report"]._aftersales_format_date(
                fields.Date.context_today(self), lang
            ),
            "agents_filter": ", ".join(self.agent_ids.mapped("name")),
            "satisfaction": total["mean"],
            "answered": states["done"],
            "queued": sum(states[state] for state in OPEN_STATES),
            "refused": states["refused"],
            "unhappy": total["unhappy"],
            "unhappy_share": (
                100.0 * total["unhappy"] / total["answered"] if total["answered"] else None
            ),
            "complaints": total["complaints"],
            "opportunities": total["opportunities"],
            "top_agents": self._ranked(agents, True, TOP_AGENTS),
            "bottom_agents": self._ranked(agents, False, BOTTOM_AGENTS),
            "service_types": sorted(
                self._group_rows("service_type"),
                key=lambda r: (-(r["mean"] or 0), (r["label"] or "").lower()),
            ),
            "products": products,
        }
