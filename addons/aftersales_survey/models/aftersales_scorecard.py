"""Scorecards (R-SRV-4/5, R-AGT-8): per agent and per in-house technician and period
(a Jalali month by default), the raw counts of the period read with one grouped query
per source (never a loop per job), their 0..100 figures and the weighted composite.
A confirmed scorecard is a snapshot: later changes of rules, weights or data do not
move it."""

import json
from collections import defaultdict
from datetime import datetime, time, timedelta

import jdatetime
import pytz

from odoo import api, fields, models
from odoo.addons.aftersales_agent import tools as atools
from odoo.addons.aftersales_base import tools as btools
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .. import tools as vtools

MANAGER = "aftersales_base.group_aftersales_manager"
JALALI_MONTHS = [(str(month), btools.jalali_month_name(month, "en")) for month in range(1, 13)]


def _default_month(today):
    jtoday = jdatetime.date.fromgregorian(date=today)
    if jtoday.month == 1:
        return jtoday.year - 1, 12
    return jtoday.year, jtoday.month - 1


class AftersalesScorecard(models.Model):
    _name = "aftersales.scorecard"
    _description = "Scorecard Period"
    _inherit = ["mail.thread"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    jalali_year = fields.Integer(default=lambda self: self._default_period()[0])
    jalali_month = fields.Selection(
        JALALI_MONTHS, default=lambda self: str(self._default_period()[1])
    )
    date_from = fields.Date(
        compute="_compute_dates", store=True, readonly=False, required=True, precompute=True
    )
    date_to = fields.Date(
        compute="_compute_dates", store=True, readonly=False, required=True, precompute=True
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Confirmed")], default="draft", required=True, tracking=True
    )
    line_ids = fields.One2many("aftersales.scorecard.line", "scorecard_id", readonly=True)
    weights = fields.Text(
        readonly=True, help="The weights the composite scores were computed with (snapshot)."
    )
    computed_date = fields.Datetime(readonly=True)

    _sql_constraints = [
        ("dates_order", "CHECK(date_from <= date_to)", "The period ends before it starts."),
    ]

    @api.model
    def _default_period(self):
        return _default_month(fields.Date.context_today(self))

    @api.depends("jalali_year", "jalali_month")
    def _compute_dates(self):
        for card in self:
            if card.jalali_year and card.jalali_month:
                card.date_from, card.date_to = atools.jalali_month_bounds(
                    card.jalali_year, int(card.jalali_month)
                )

    @api.depends("date_from", "date_to", "jalali_year", "jalali_month")
    def _compute_name(self):
        for card in self:
            bounds = (
                atools.jalali_month_bounds(card.jalali_year, int(card.jalali_month))
                if card.jalali_year and card.jalali_month
                else None
            )
            if bounds == (card.date_from, card.date_to):
                month = btools.jalali_month_name(int(card.jalali_month), "en")
                card.name = f"{month} {card.jalali_year}"
            else:
                card.name = f"{card.date_from} - {card.date_to}"

    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only an after-sales manager computes scorecards."))

    def write(self, vals):
        if self.filtered(lambda c: c.state == "done") and set(vals) - {"state"}:
            raise UserError(self.env._("A confirmed scorecard is a snapshot: it does not change."))
        return super().write(vals)

    def action_compute(self):
        self._check_manager()
        if self.filtered(lambda c: c.state == "done"):
            raise UserError(self.env._("A confirmed scorecard is a snapshot: it does not change."))
        for card in self:
            card._compute_lines()
        return True

    def action_confirm(self):
        self._check_manager()
        for card in self:
            if not card.line_ids:
                card._compute_lines()
        self.write({"state": "done"})
        return True

    def action_reset(self):
        self._check_manager()
        self.write({"state": "draft"})
        return True

    @api.model
    def _cron_monthly_snapshot(self):
        """Compute and confirm the previous Jalali month of every company, once."""
        year, month = self._default_period()
        done = self.search(
            [("jalali_year", "=", year), ("jalali_month", "=", str(month)), ("state", "=", "done")]
        ).company_id
        for company in self.env["res.company"].search([("id", "not in", done.ids)]):
            card = self.search(
                [
                    ("company_id", "=", company.id),
                    ("jalali_year", "=", year),
                    ("jalali_month", "=", str(month)),
                ],
                limit=1,
            ) or self.create(
                {"company_id": company.id, "jalali_year": year, "jalali_month": str(month)}
            )
            card._compute_lines()
            card.state = "done"
        return True

    # ------------------------------------------------------------------
    # Computation: one grouped query per source
    # ------------------------------------------------------------------

    def _utc_bounds(self):
        tz = pytz.timezone(self.env.user.tz or "Asia/Tehran")
        start = tz.localize(datetime.combine(self.date_from, time.min))
        end = tz.localize(datetime.combine(self.date_to + timedelta(days=1), time.min))
        return (
            start.astimezone(pytz.utc).replace(tzinfo=None),
            end.astimezone(pytz.utc).replace(tzinfo=None),
        )

    def _counts(self):
        """``{(kind, id): {count: value}}`` for agents (``"agent"``) and in-house
        technicians (``"technician"``) of the period."""
        self.ensure_one()
        start, end = self._utc_bounds()
        cid = self.company_id.id
        counts = defaultdict(lambda: defaultdict(float))
        cr = self.env.cr
        self.env.flush_all()
        # Jobs done and SLA kept: one query for agents and technicians.
        cr.execute(
            """
            SELECT r.agent_id, CASE WHEN r.agent_id IS NULL THEN r.technician_id END,
                   count(*),
                   count(*) FILTER (WHERE r.sla_deadline IS NOT NULL),
                   count(*) FILTER (WHERE r.sla_deadline IS NOT NULL
                                    AND r.done_date <= r.sla_deadline)
              FROM aftersales_request r
              JOIN aftersales_stage s ON s.id = r.stage_id
             WHERE r.company_id = %s AND r.done_date >= %s AND r.done_date < %s
               AND NOT coalesce(s.is_cancel, false)
               AND (r.agent_id IS NOT NULL OR r.technician_id IS NOT NULL)
             GROUP BY 1, 2
            """,
            [cid, start, end],
        )
        for agent, tech, jobs, sla_total, sla_ok in cr.fetchall():
            key = ("agent", agent) if agent else ("technician", tech)
            counts[key]["jobs"] += jobs
            counts[key]["sla_total"] += sla_total
            counts[key]["sla_ok"] += sla_ok
        # Satisfaction: happy calls answered on the jobs of the period.
        cr.execute(
            """
            SELECT agent_id, CASE WHEN agent_id IS NULL THEN technician_id END,
                   avg(score), count(*)
              FROM aftersales_happy_call
             WHERE company_id = %s AND state = 'done' AND done_date >= %s AND done_date < %s
             GROUP BY 1, 2
            """,
            [cid, start, end],
        )
        for agent, tech, score, calls in cr.fetchall():
            key = ("agent", agent) if agent else ("technician", tech)
            counts[key]["satisfaction"] = float(score)
            counts[key]["calls"] = calls
        # Complaint negative points dated in the period.
        cr.execute(
            """
            SELECT agent_id, technician_id, sum(points)
              FROM aftersales_complaint_penalty
             WHERE company_id = %s AND date >= %s AND date <= %s
             GROUP BY 1, 2
            """,
            [cid, self.date_from, self.date_to],
        )
        for agent, tech, points in cr.fetchall():
            if agent:
                counts[("agent", agent)]["penalty_points"] += points
            if tech:
                counts[("technician", tech)]["penalty_points"] += points
        # Work reports approved in the period: repeats and customer-confirmed visits.
        cr.execute(
            """
            SELECT agent_id, count(*),
                   count(*) FILTER (WHERE is_repeat),
                   count(*) FILTER (WHERE customer_confirmed)
              FROM aftersales_work_report
             WHERE company_id = %s AND state = 'approved'
               AND approved_date >= %s AND approved_date < %s
             GROUP BY 1
            """,
            [cid, start, end],
        )
        for agent, reports, repeats, confirmed in cr.fetchall():
            counts[("agent", agent)]["reports"] = reports
            counts[("agent", agent)]["repeats"] = repeats
            counts[("agent", agent)]["confirmed"] = confirmed
        # Cores (when aftersales_stock is installed): due in the period, and late.
        if "aftersales.core" in self.env:
            today = fields.Date.context_today(self)
            cr.execute(
                """
                SELECT agent_id, count(*),
                       count(*) FILTER (
                           WHERE (received_date IS NOT NULL AND received_date::date > due_date)
                              OR (received_date IS NULL AND due_date < %s))
                  FROM aftersales_core
                 WHERE company_id = %s AND agent_id IS NOT NULL
                   AND due_date >= %s AND due_date <= %s
                 GROUP BY 1
                """,
                [today, cid, self.date_from, self.date_to],
            )
            for agent, due, late in cr.fetchall():
                counts[("agent", agent)]["cores_due"] = due
                counts[("agent", agent)]["cores_late"] = late
        return counts

    def _compute_lines(self):
        self.ensure_one()
        weights = self.company_id._aftersales_weights()
        if not sum(weights.values()):
            raise UserError(
                self.env._("The scorecard weights sum to zero: give at least one weight.")
            )
        counts = self._counts()
        agents = self.env["res.partner"].browse(
            [ident for kind, ident in counts if kind == "agent"]
        )
        capacity = dict(zip(agents.ids, agents.mapped("aftersales_daily_capacity"), strict=True))
        days = (self.date_to - self.date_from).days + 1
        vals_list = []
        for (kind, ident), raw in counts.items():
            cap = capacity.get(ident, 0) * days if kind == "agent" else 0
            figures = vtools.normalize(
                jobs=raw.get("jobs", 0),
                satisfaction=raw.get("satisfaction"),
                penalty_points=raw.get("penalty_points", 0),
                capacity=cap,
                repeats=raw.get("repeats", 0),
                reports=raw.get("reports", 0),
                confirmed=raw.get("confirmed", 0),
                sla_ok=raw.get("sla_ok", 0),
                sla_total=raw.get("sla_total", 0),
                cores_due=raw.get("cores_due", 0),
                cores_late=raw.get("cores_late", 0),
            )
            score = vtools.composite(figures, weights)
            vals_list.append(
                {
                    "scorecard_id": self.id,
                    "subject_type": kind,
                    "agent_id": ident if kind == "agent" else False,
                    "technician_id": ident if kind == "technician" else False,
                    "jobs": raw.get("jobs", 0),
                    "calls": raw.get("calls", 0),
                    "capacity": cap,
                    "penalty_points": raw.get("penalty_points", 0),
                    "repeats": raw.get("repeats", 0),
                    "reports": raw.get("reports", 0),
                    "confirmed": raw.get("confirmed", 0),
                    "sla_total": raw.get("sla_total", 0),
                    "sla_ok": raw.get("sla_ok", 0),
                    "cores_due": raw.get("cores_due", 0),
                    "cores_late": raw.get("cores_late", 0),
                    **{f"{metric}_score": value or 0.0 for metric, value in figures.items()},
                    **{f"has_{metric}": value is not None for metric, value in figures.items()},
                    "score": score or 0.0,
                }
            )
        # Rank per kind, best first.
        for kind in ("agent", "technician"):
            ranked = sorted(
                (v for v in vals_list if v["subject_type"] == kind),
                key=lambda v: -v["score"],
            )
            for rank, vals in enumerate(ranked, start=1):
                vals["rank"] = rank
        self.line_ids.unlink()
        self.env["aftersales.scorecard.line"]._insert_lines(self, vals_list)
        self.write(
            {
                "weights": json.dumps(weights, sort_keys=True),
                "computed_date": fields.Datetime.now(),
            }
        )


class AftersalesScorecardLine(models.Model):
    _name = "aftersales.scorecard.line"
    _description = "Scorecard"
    _order = "scorecard_id desc, subject_type, rank, id"

    scorecard_id = fields.Many2one(
        "aftersales.scorecard", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="scorecard_id.company_id", store=True, index=True, precompute=True
    )
    date_from = fields.Date(related="scorecard_id.date_from", store=True, precompute=True)
    jalali_year = fields.Integer(
        related="scorecard_id.jalali_year", store=True, index=True, precompute=True
    )
    state = fields.Selection(related="scorecard_id.state", store=True, precompute=True)
    subject_type = fields.Selection(
        [("agent", "Service Agent"), ("technician", "Technician")], required=True, index=True
    )
    agent_id = fields.Many2one("res.partner", string="Service Agent", index="btree_not_null")
    technician_id = fields.Many2one("res.users", index="btree_not_null")
    rank = fields.Integer()
    jobs = fields.Integer("Jobs Done")
    calls = fields.Integer("Happy Calls")
    capacity = fields.Integer(help="Daily capacity times the days of the period.")
    penalty_points = fields.Integer("Negative Points")
    repeats = fields.Integer("Repeat Repairs")
    reports = fields.Integer("Approved Reports")
    confirmed = fields.Integer("Confirmed Visits")
    sla_total = fields.Integer("Jobs With SLA")
    sla_ok = fields.Integer("Within SLA")
    cores_due = fields.Integer()
    cores_late = fields.Integer()
    satisfaction_score = fields.Float("Satisfaction", aggregator="avg")
    complaints_score = fields.Float("Complaints", aggregator="avg")
    workload_score = fields.Float("Workload", aggregator="avg")
    repeats_score = fields.Float("Repeat Repairs Score", aggregator="avg")
    confirmed_score = fields.Float("Confirmed Visits Score", aggregator="avg")
    sla_score = fields.Float("SLA", aggregator="avg")
    cores_score = fields.Float("Core Returns", aggregator="avg")
    has_satisfaction = fields.Boolean()
    has_complaints = fields.Boolean()
    has_workload = fields.Boolean()
    has_repeats = fields.Boolean()
    has_confirmed = fields.Boolean()
    has_sla = fields.Boolean()
    has_cores = fields.Boolean()
    score = fields.Float("Composite Score", aggregator="avg", index=True)

    @api.model
    def _insert_lines(self, scorecard, vals_list):
        """Write the lines of ``scorecard`` in one INSERT, whatever their number (the
        ORM inserts by batches of 100 rows and fills the related columns apart): the
        lines are plain computed figures, without defaults, tracking or constraints
        to run. The related columns get the scorecard's values."""
        if not vals_list:
            return self.browse()
        scorecard.flush_recordset()
        shared = {
            "company_id": scorecard.company_id.id,
            "date_from": fields.Date.to_string(scorecard.date_from),
            "jalali_year": scorecard.jalali_year or None,
            "state": scorecard.state,
        }
        rows = [
            {
                **vals,
                **shared,
                "technician_id": vals["technician_id"] or None,
                "agent_id": vals["agent_id"] or None,
            }
            for vals in vals_list
        ]
        columns = [name for name in rows[0] if name in self._fields]
        integers = [name for name in columns if self._fields[name].type == "integer"]
        for row in rows:
            for name in integers:
                row[name] = round(row[name] or 0)
        cols = ", ".join(f'"{name}"' for name in columns)
        self.env.cr.execute(
            SQL(
                f"""
                INSERT INTO aftersales_scorecard_line
                    ({cols}, create_uid, create_date, write_uid, write_date)
                SELECT {cols}, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM jsonb_populate_recordset(NULL::aftersales_scorecard_line, %(rows)s)
             RETURNING id
                """,
                uid=self.env.uid,
                now=self.env.cr.now(),
                rows=json.dumps(rows),
            )
        )
        lines = self.browse([row[0] for row in self.env.cr.fetchall()])
        scorecard.invalidate_recordset(["line_ids"])
        return lines
