"""In-house technicians (R-AGT-7): their commission rates, the commission run that posts
what the company owes them, and their balances read from the ledger.

A technician's job is a request done by an in-house technician (``technician_id`` set, no
service agent) with a ``done_date``. Each job earns the technician a fixed amount and a
percentage of the job's fee, plus a percentage of the margin on the parts used. A
commission run posts, per technician, one entry on the technician journal: the commission
expense debited, one line per job and kind, and the technician payable credited with the
technician's partner. Each job is commissioned once: its row is locked and linked to the
entry in the same transaction.
"""

from datetime import datetime, time, timedelta

import pytz

from odoo import Command, api, fields, models
from odoo.addons.aftersales_base.models.aftersales_team import technician_domain
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare

MANAGER = "aftersales_base.group_aftersales_manager"


class AftersalesTechnician(models.Model):
    _name = "aftersales.technician"
    _description = "In-House Technician"
    _inherit = ["mail.thread"]
    _order = "name, id"
    _check_company_auto = True

    user_id = fields.Many2one(
        "res.users",
        string="Technician",
        required=True,
        index=True,
        ondelete="restrict",
        domain=technician_domain,
        tracking=True,
    )
    name = fields.Char(related="user_id.name", store=True)
    partner_id = fields.Many2one(
        related="user_id.partner_id",
        string="Contact",
        help="Partner of the technician's journal items (commissions owed, cash held).",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    active = fields.Boolean(default=True)
    job_amount = fields.Monetary(
        "Commission per Job", tracking=True, help="Fixed amount earned for each job done."
    )
    job_fee_percent = fields.Float(
        "Commission on Job Fee (%)",
        tracking=True,
        help="Percentage of the fee charged to the customer for the job.",
    )
    part_margin_percent = fields.Float(
        "Commission on Part Margin (%)",
        tracking=True,
        help="Percentage of (sale price - cost) x quantity of the parts used on the job.",
    )
    payable_balance = fields.Monetary(
        "Commissions Owed",
        compute="_compute_balances",
        help="Posted balance of the technician payable account: what the company owes "
        "the technician.",
    )
    receivable_balance = fields.Monetary(
        "Cash Held",
        compute="_compute_balances",
        help="Posted balance of the technician receivable account: cash collected from "
        "customers and not handed in yet.",
    )

    _sql_constraints = [
        (
            "user_company_unique",
            "UNIQUE(user_id, company_id)",
            "A technician has one set of commission rates per company.",
        ),
        (
            "job_amount_positive",
            "CHECK(job_amount >= 0)",
            "The commission per job cannot be negative.",
        ),
        (
            "job_fee_percent_range",
            "CHECK(job_fee_percent >= 0 AND job_fee_percent <= 100)",
            "The commission on the job fee is a percentage between 0 and 100.",
        ),
        (
            "part_margin_percent_range",
            "CHECK(part_margin_percent >= 0 AND part_margin_percent <= 100)",
            "The commission on the part margin is a percentage between 0 and 100.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_rates(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_rates(vals)
        return super().write(vals)

    @api.model
    def _check_rates(self, vals):
        """Checked on the values, before the database's own check refuses them without
        a message a user can read."""
        if (vals.get("job_amount") or 0) < 0:
            raise ValidationError(self.env._("The commission per job cannot be negative."))
        for key in ("job_fee_percent", "part_margin_percent"):
            if not 0 <= (vals.get(key) or 0) <= 100:
                raise ValidationError(self.env._("A commission is a percentage between 0 and 100."))

    # ------------------------------------------------------------------
    # Balances
    # ------------------------------------------------------------------

    def _compute_balances(self):
        """Both balances of every technician shown, in one grouped query per company."""
        self.payable_balance = 0.0
        self.receivable_balance = 0.0
        Line = self.env["account.move.line"].sudo()
        for company in self.company_id:
            technicians = self.filtered(lambda t, c=company: t.company_id == c)
            payable = company.aftersales_technician_payable_account_id
            receivable = company.aftersales_technician_receivable_account_id
            accounts = payable | receivable
            if not accounts:
                continue
            groups = Line._read_group(
                [
                    ("company_id", "=", company.id),
                    ("parent_state", "=", "posted"),
                    ("account_id", "in", accounts.ids),
                    ("partner_id", "in", technicians.user_id.partner_id.ids),
                ],
                ["partner_id", "account_id"],
                ["balance:sum"],
            )
            balances = {(partner, account): total for partner, account, total in groups}
            for technician in technicians:
                partner = technician.user_id.partner_id
                # Credit balance owed to the technician, debit balance owed by them.
                technician.payable_balance = -balances.get((partner, payable), 0.0)
                technician.receivable_balance = balances.get((partner, receivable), 0.0)

    def action_view_payable_items(self):
        return self._action_view_items("aftersales_technician_payable_account_id")

    def action_view_receivable_items(self):
        return self._action_view_items("aftersales_technician_receivable_account_id")

    def _action_view_items(self, account_field):
        self.ensure_one()
        account = self.company_id[account_field]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Journal Items of %(name)s", name=self.name),
            "res_model": "account.move.line",
            "view_mode": "list,form",
            "domain": [
                ("partner_id", "=", self.partner_id.id),
                ("account_id", "=", account.id),
                ("parent_state", "=", "posted"),
            ],
            "context": {"search_default_group_by_move": False, "create": False},
        }

    # ------------------------------------------------------------------
    # Commission run
    # ------------------------------------------------------------------

    @api.model
    def _commission_config(self, company):
        """Journal and accounts of the entries, or a UserError naming what is missing."""
        config = {
            "journal": company.aftersales_technician_journal_id,
            "expense": company.aftersales_technician_commission_account_id,
            "payable": company.aftersales_technician_payable_account_id,
        }
        labels = {
            "journal": self.env._("Technician Journal"),
            "expense": self.env._("Technician Commission Expense Account"),
            "payable": self.env._("Technician Payable Account"),
        }
        missing = [labels[key] for key, record in config.items() if not record]
        if missing:
            raise UserError(
                self.env._(
                    "Set the %(settings)s in After-Sales settings (In-House Technicians) "
                    "before posting technician commissions.",
                    settings=", ".join(missing),
                )
            )
        return config

    @api.model
    def _period_bounds(self, date_from, date_to):
        """UTC datetimes of the start of ``date_from`` and of the day after ``date_to`` in
        the user's time zone: a job done late on the last day (Tehran time) belongs to the
        period."""
        tz = pytz.timezone(self.env.user.tz or "UTC")

        def utc(day):
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return utc(date_from), utc(date_to + timedelta(days=1))

    @api.model
    def _commission_jobs(self, date_from, date_to, technicians=None):
        """Jobs done in the period by technicians with rates, not commissioned yet."""
        if date_from > date_to:
            raise UserError(self.env._("The period ends before it starts."))
        company = self.env.company
        if technicians is None:
            technicians = self.search([("company_id", "=", company.id)])
        start, end = self._period_bounds(date_from, date_to)
        return self.env["aftersales.request"].search(
            [
                ("company_id", "=", company.id),
                ("technician_id", "in", technicians.user_id.ids),
                ("agent_id", "=", False),
                ("done_date", ">=", start),
                ("done_date", "<", end),
                ("stage_id.is_cancel", "=", False),
                ("technician_commission_move_id", "=", False),
            ],
            order="done_date, id",
        )

    @api.model
    def _run_commissions(self, date_from, date_to, technicians=None, date=None):
        """Post the commissions of the period (all technicians, or ``technicians``)."""
        jobs = self._commission_jobs(date_from, date_to, technicians)
        if not jobs:
            raise UserError(
                self.env._(
                    "No job to commission from %(start)s to %(end)s: every job done in the "
                    "period is commissioned already, or none was done.",
                    start=date_from,
                    end=date_to,
                )
            )
        return self._post_commissions(jobs, date=date or date_to)

    @api.model
    def _post_commissions(self, jobs, date=None):
        """One posted entry per technician for ``jobs``; each job commissioned once.

        The jobs' rows are locked first: a second run that reached the same jobs waits,
        then finds them commissioned and is refused, so nothing is paid twice.
        """
        if not self.env.su and not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only after-sales managers post technician commissions."))
        if not jobs:
            raise UserError(self.env._("Select the jobs to commission."))
        company = jobs.company_id
        if len(company) > 1:
            raise UserError(self.env._("Commission the jobs of one company at a time."))
        config = self._commission_config(company)
        self.env.cr.execute(
            "SELECT id FROM aftersales_request WHERE id IN %s ORDER BY id FOR UPDATE",
            [tuple(jobs.ids)],
        )
        jobs.invalidate_recordset(["technician_commission_move_id", "done_date", "agent_id"])
        for job in jobs:
            if job.technician_commission_move_id:
                raise UserError(
                    self.env._(
                        "Job %(name)s was already commissioned in %(entry)s.",
                        name=job.name,
                        entry=job.technician_commission_move_id.name,
                    )
                )
            if job.agent_id or not job.technician_id:
                raise UserError(
                    self.env._("Job %(name)s is not an in-house technician's job.", name=job.name)
                )
            if not job.done_date or job.stage_id.is_cancel:
                raise UserError(self.env._("Job %(name)s is not done.", name=job.name))
        rates = self.search(
            [("company_id", "=", company.id), ("user_id", "in", jobs.technician_id.ids)]
        )
        rate_of = {rate.user_id: rate for rate in rates}
        without = jobs.technician_id.filtered(lambda user: user not in rate_of)
        if without:
            raise UserError(
                self.env._(
                    "Set the commission rates of %(names)s (After-Sales > Agents > "
                    "Technicians) before commissioning their jobs.",
                    names=", ".join(without.mapped("name")),
                )
            )
        date = date or fields.Date.context_today(self)
        vals_list, jobs_per_move = [], []
        for user in jobs.technician_id:
            user_jobs = jobs.filtered(lambda job, u=user: job.technician_id == u)
            lines = rate_of[user]._commission_lines(user_jobs, config)
            if not lines:
                continue
            total = sum(line["debit"] for line in lines)
            lines.append(
                {
                    "account_id": config["payable"].id,
                    "partner_id": user.partner_id.id,
                    "name": self.env._("Commissions owed to %(name)s", name=user.name),
                    "credit": total,
                    "aftersales_technician_entry_type": "commission_total",
                }
            )
            vals_list.append(
                {
                    "move_type": "entry",
                    "company_id": company.id,
                    "journal_id": config["journal"].id,
                    "date": date,
                    "ref": self.env._("Technician commissions: %(name)s", name=user.name),
                    "line_ids": [Command.create(line) for line in lines],
                }
            )
            jobs_per_move.append(user_jobs)
        if not vals_list:
            raise UserError(self.env._("The commission of these jobs is zero: nothing to post."))
        # After the manager check above: after-sales managers need no accounting rights.
        moves = self.env["account.move"].sudo().create(vals_list)
        moves.action_post()
        for move, user_jobs in zip(moves, jobs_per_move, strict=True):
            user_jobs.sudo().technician_commission_move_id = move
        return self.env["account.move"].browse(moves.ids)

    def _commission_lines(self, jobs, config):
        """Debit lines of the commission expense for this technician's ``jobs``."""
        self.ensure_one()
        currency = self.currency_id
        partner = self.user_id.partner_id
        margins = dict(
            self.env["aftersales.technician.job.part"]._read_group(
                [("request_id", "in", jobs.ids)], ["request_id"], ["margin:sum"]
            )
        )
        lines = []
        for job in jobs:
            job_amount = currency.round(
                self.job_amount + job.technician_job_fee * self.job_fee_percent / 100.0
            )
            margin = max(margins.get(job, 0.0), 0.0)
            part_amount = currency.round(margin * self.part_margin_percent / 100.0)
            for amount, kind, label in (
                (job_amount, "job_commission", self.env._("Job commission")),
                (part_amount, "part_commission", self.env._("Part margin commission")),
            ):
                if float_compare(amount, 0.0, precision_rounding=currency.rounding) > 0:
                    lines.append(
                        {
                            "account_id": config["expense"].id,
                            "partner_id": partner.id,
                            "name": f"{job.name}: {label}",
                            "debit": amount,
                            "aftersales_technician_request_id": job.id,
                            "aftersales_technician_entry_type": kind,
                        }
                    )
        return lines
