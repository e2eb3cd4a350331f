"""Periodic service plans (R-WAR-11): the services a product's manual or a customer's
contract schedules, raised as service requests when due.

A plan applies to the cards in warranty that match it: every card of a product (the
manual), or the cards of one customer (a contract), optionally of one product or one
card. Visit ``n`` of a card falls on ``start + first delay + (n - 1) * interval`` (in
the plan's unit, from the warranty start) and is raised at most ``lead_days`` before.

The daily job claims each visit by inserting its row: the unique (card, plan, visit
number) constraint makes a second run, or a second transaction at the same time,
unable to raise it again. Visits missed while the job did not run (or for a card
whose warranty started in the past) are not raised late: only the latest due visit
is, so a device never gets a pile of requests at once.
"""

import logging

from dateutil.relativedelta import relativedelta
from psycopg2 import errors as pg_errors

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .aftersales_warranty_service_visit import VISIT_UNIQUE

_logger = logging.getLogger(__name__)

INTERVAL_TYPES = [("months", "Months"), ("days", "Days")]
SMS_TEMPLATE = "aftersales_warranty.sms_template_request_periodic_service"
ASSIGNED_TEMPLATE = "aftersales_base.sms_template_request_assigned"


class AftersalesWarrantyServicePlan(models.Model):
    _name = "aftersales.warranty.service.plan"
    _description = "Periodic Service Plan"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="Empty: the plan applies to the cards of every company.",
    )
    scope = fields.Selection(
        [("product", "Product (User Manual)"), ("contract", "Customer Contract")],
        required=True,
        default="product",
        help="Product: every card of the product. Customer contract: the cards of one "
        "customer, optionally of one product or one card only.",
    )
    product_tmpl_id = fields.Many2one(
        "product.template",
        string="Product",
        index=True,
        check_company=True,
        domain="[('tracking', '=', 'serial')]",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        check_company=True,
        help="The contract's customer: the plan applies to the cards of this customer and "
        "its contacts.",
    )
    card_id = fields.Many2one(
        "aftersales.warranty.card",
        string="Warranty Card",
        index="btree_not_null",
        check_company=True,
        help="Only this device (serial) of the customer.",
    )
    interval_number = fields.Integer("Every", required=True, default=6)
    interval_type = fields.Selection(INTERVAL_TYPES, "Unit", required=True, default="months")
    first_visit_delay = fields.Integer(
        "First Visit After",
        required=True,
        default=6,
        help="Time from the warranty start to the first visit, in the plan's unit; 0 "
        "for a visit on the day the warranty starts.",
    )
    visit_count = fields.Integer(
        "Number of Visits",
        default=0,
        help="Visits per device; 0: as long as the warranty lasts. No visit falls after the "
        "end of the warranty either way.",
    )
    lead_days = fields.Integer(
        "Raise Days Before",
        default=7,
        help="The request is raised this many days before the visit date, so that it can be "
        "scheduled with the customer.",
    )
    service_type_id = fields.Many2one(
        "aftersales.service.type",
        required=True,
        check_company=True,
        default=lambda self: self.env.ref(
            "aftersales_base.service_type_psv", raise_if_not_found=False
        ),
    )
    note = fields.Text(help="Work to do at each visit, e.g. from the user manual.")
    visit_ids = fields.One2many("aftersales.warranty.service.visit", "plan_id", string="Visits")
    visit_total = fields.Integer("Visits Raised", compute="_compute_visit_total")

    _sql_constraints = [
        ("interval_positive", "CHECK(interval_number > 0)", "The interval must be positive."),
        (
            "first_visit_delay_positive",
            "CHECK(first_visit_delay >= 0)",
            "The first visit cannot be before the warranty start.",
        ),
        (
            "visit_count_positive",
            "CHECK(visit_count >= 0)",
            "The number of visits cannot be negative.",
        ),
        ("lead_days_positive", "CHECK(lead_days >= 0)", "The lead time cannot be negative."),
    ]

    def _compute_visit_total(self):
        counts = dict(
            self.env["aftersales.warranty.service.visit"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.visit_total = counts.get(plan, 0)

    @api.constrains("scope", "product_tmpl_id", "partner_id", "card_id")
    def _check_scope(self):
        for plan in self:
            if plan.scope == "product" and not plan.product_tmpl_id:
                raise ValidationError(
                    self.env._(
                        "Plan %(plan)s follows a user manual: set its product.",
                        plan=plan.name,
                    )
                )
            if plan.scope == "contract" and not plan.partner_id:
                raise ValidationError(
                    self.env._(
                        "Plan %(plan)s is a customer contract: set its customer.",
                        plan=plan.name,
                    )
                )
            card = plan.card_id
            if not card:
                continue
            owner = card.partner_id.commercial_partner_id
            if plan.scope != "contract" or owner != plan.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Plan %(plan)s: card %(card)s does not belong to the contract's customer.",
                        plan=plan.name,
                        card=card.display_name,
                    )
                )
            if plan.product_tmpl_id and card.product_tmpl_id != plan.product_tmpl_id:
                raise ValidationError(
                    self.env._(
                        "Plan %(plan)s: card %(card)s is not a %(product)s.",
                        plan=plan.name,
                        card=card.display_name,
                        product=plan.product_tmpl_id.display_name,
                    )
                )

    @api.onchange("scope")
    def _onchange_scope(self):
        if self.scope == "product":
            self.partner_id = self.card_id = False

    def action_view_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_warranty.aftersales_warranty_service_visit_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Daily job
    # ------------------------------------------------------------------

    @api.model
    def _cron_periodic_service(self, batch_size=500):
        """Raise the periodic-service requests due, ``batch_size`` devices per call.

        One request per device and visit, with the customer's SMS. The cron runner
        commits and calls again while work remains (as ``_cron_warranty_dates``).
        Returns the number of visits still due.
        """
        today = fields.Date.context_today(self)
        # A handful of plans, each served by one query over the cards.
        plans = self.sudo().search([])  # pylint: disable=no-search-all
        due = []
        for plan in plans:
            if len(due) >= batch_size:
                break
            due += plan._due_visits(today, limit=batch_size - len(due))
        visits = self._raise_visits(due)
        remaining = sum(plan._due_visits(today, count=True) for plan in plans) if visits else 0
        self.env["ir.cron"]._notify_progress(done=len(visits), remaining=remaining)
        return remaining

    def _visit_date(self, start, number):
        """Planned date of visit ``number`` (1 for the first) of a card started on
        ``start``; month arithmetic as PostgreSQL's (the 31st gives the month's last day)."""
        self.ensure_one()
        offset = self.first_visit_delay + (number - 1) * self.interval_number
        return start + relativedelta(**{self.interval_type: offset})

    def _card_domain(self):
        """Cards this plan schedules: in warranty, with a known owner."""
        self.ensure_one()
        domain = [
            ("state", "=", "active"),
            ("start_date", "!=", False),
            ("partner_id", "!=", False),
        ]
        if self.company_id:
            domain.append(("company_id", "=", self.company_id.id))
        if self.product_tmpl_id:
            domain.append(("product_tmpl_id", "=", self.product_tmpl_id.id))
        if self.scope == "contract":
            domain.append(("partner_id", "child_of", self.partner_id.commercial_partner_id.id))
            if self.card_id:
                domain.append(("id", "=", self.card_id.id))
        return domain

    def _due_visits(self, today, limit=None, count=False):
        """The cards whose next visit of this plan is due: ``[(plan, card, number,
        date)]`` (or their number with ``count``), from one query.

        The next visit follows the last one raised (by number); its date must be on or
        before the horizon (today + lead days) and the end of the warranty.
        """
        self.ensure_one()
        # The query below reads the cards and visits as the database has them.
        self.env.flush_all()
        Card = self.env["aftersales.warranty.card"].sudo()
        cards = Card._search(self._card_domain())
        unit = {"months": "months", "days": "days"}[self.interval_type]
        horizon = today + relativedelta(days=self.lead_days)
        next_date = SQL(
            "(c.start_date + make_interval(%s => %s + COALESCE(v.last_number, 0) * %s))::date",
            SQL(unit),
            self.first_visit_delay,
            self.interval_number,
        )
        condition = SQL(
            """
            FROM aftersales_warranty_card c
            LEFT JOIN LATERAL (
                SELECT MAX(visit.visit_number) AS last_number
                  FROM aftersales_warranty_service_visit visit
                 WHERE visit.card_id = c.id AND visit.plan_id = %(plan)s
            ) v ON TRUE
            WHERE c.id IN %(cards)s
              AND (%(visits)s = 0 OR COALESCE(v.last_number, 0) < %(visits)s)
              AND %(next_date)s <= LEAST(%(horizon)s::date, c.end_date)
            """,
            plan=self.id,
            cards=cards.subselect(),
            visits=self.visit_count,
            next_date=next_date,
            horizon=horizon,
        )
        if count:
            self.env.cr.execute(SQL("SELECT COUNT(*) %s", condition))
            return self.env.cr.fetchone()[0]
        self.env.cr.execute(
            SQL(
                "SELECT c.id, COALESCE(v.last_number, 0) %s ORDER BY c.id %s",
                condition,
                SQL("LIMIT %s", limit) if limit else SQL(),
            )
        )
        rows = self.env.cr.fetchall()
        cards = Card.browse([card_id for card_id, _last in rows])
        due = []
        for card, (_card_id, last) in zip(cards, rows, strict=True):
            latest = min(horizon, card.end_date or horizon)
            number = last + 1
            # Only the latest visit due is raised: those missed before are skipped.
            while (not self.visit_count or number < self.visit_count) and self._visit_date(
                card.start_date, number + 1
            ) <= latest:
                number += 1
            due.append((self, card, number, self._visit_date(card.start_date, number)))
        return due

    @api.model
    def _raise_visits(self, due):
        """Create one request per due visit and its visit row, and queue the SMS.

        All or nothing: if another transaction raised one of these visits meanwhile
        (the unique constraint), nothing of this batch is kept and the next run picks
        up what is still due.
        """
        Visit = self.env["aftersales.warranty.service.visit"].sudo()
        if not due:
            return Visit
        by_company = {}
        for entry in due:
            by_company.setdefault(entry[1].company_id, []).append(entry)
        try:
            with self.env.cr.savepoint():
                visits = Visit
                for company, entries in by_company.items():
                    visits |= self._raise_company_visits(company, entries)
        except (pg_errors.UniqueViolation, pg_errors.SerializationFailure) as exc:
            if (
                isinstance(exc, pg_errors.UniqueViolation)
                and exc.diag.constraint_name != VISIT_UNIQUE
            ):
                raise
            _logger.info("Periodic service: visits raised by another transaction, batch skipped")
            return Visit
        return visits

    @api.model
    def _raise_company_visits(self, company, entries):
        Request = (
            self.env["aftersales.request"]
            .sudo()
            .with_company(company)
            .with_context(aftersales_no_sms=True)
        )
        requests = Request.create(
            [
                {
                    "partner_id": card.partner_id.id,
                    "company_id": company.id,
                    "service_type_id": plan.service_type_id.id,
                    "description": self.env._(
                        "Periodic service %(number)s of plan %(plan)s, planned for %(date)s.%(note)s",
                        number=number,
                        plan=plan.name,
                        date=card._format_date(date),
                        note="\n" + plan.note if plan.note else "",
                    ),
                    "line_ids": [
                        Command.create(
                            {"product_id": card.product_id.id, "serial_number": card.serial_number}
                        )
                    ],
                }
                for plan, card, number, date in entries
            ]
        )
        visits = (
            self.env["aftersales.warranty.service.visit"]
            .sudo()
            .create(
                [
                    {
                        "card_id": card.id,
                        "plan_id": plan.id,
                        "visit_number": number,
                        "planned_date": date,
                        "request_id": request.id,
                    }
                    for (plan, card, number, date), request in zip(entries, requests, strict=True)
                ]
            )
        )
        requests = requests.with_context(aftersales_no_sms=False)
        requests._aftersales_sms(SMS_TEMPLATE, "partner_id")
        requests._aftersales_sms(ASSIGNED_TEMPLATE, "technician_id.partner_id", "agent_id")
        return visits
