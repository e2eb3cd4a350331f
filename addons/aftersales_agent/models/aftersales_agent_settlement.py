"""Settlement of agent work in the ledger (R-AGT-5, R-FIN): the approved, unsettled work
reports of a period become one posted vendor bill per agent, a line per report; fees
corrected after a settlement and fees charged back for repeat repairs go on the agent's
next bill (or on a credit note when the agent owes money). A report is settled at most
once: the reports are locked row by row while a settlement runs."""

from collections import defaultdict
from datetime import datetime, time, timedelta

import jdatetime
import psycopg2
import pytz

from odoo import Command, api, fields, models
from odoo.addons.aftersales_base import tools as btools
from odoo.exceptions import AccessError, UserError

from .. import tools as atools

MANAGER = "aftersales_base.group_aftersales_manager"
BILLING = "account.group_account_invoice"
JALALI_MONTHS = [(str(month), btools.jalali_month_name(month, "en")) for month in range(1, 13)]
ENTRY_TYPE_OF_REPORT = {
    "installation": "installation_fee",
    "warranty_repair": "warranty_fee",
}
OTHER_FEE = "service_fee"
CHARGEBACK = "chargeback"
PARTS = "parts"
#: Entry types of a report's journal items that are not its fee.
NOT_FEE = (CHARGEBACK, PARTS)
#: Paid work: the parts the agent used on it are sold to the agent (piece: parts sold).
PARTS_SOLD_REPORT_TYPES = ("paid_repair", "periodic_service")


def _previous_jalali_month(today):
    """``(year, month)`` of the Jalali month before the one of ``today``."""
    jtoday = jdatetime.date.fromgregorian(date=today)
    if jtoday.month == 1:
        return jtoday.year - 1, 12
    return jtoday.year, jtoday.month - 1


class AftersalesAgentSettlement(models.Model):
    _name = "aftersales.agent.settlement"
    _description = "Agent Settlement"
    _inherit = ["mail.thread"]
    _order = "date_to desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        "Number", required=True, readonly=True, copy=False, default=lambda s: s.env._("New")
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    period_type = fields.Selection(
        [("month", "Jalali Month"), ("range", "Date Range")],
        "Period",
        required=True,
        default="month",
    )
    jalali_year = fields.Integer(
        "Year", default=lambda self: self._default_jalali_period()[0], help="Jalali year."
    )
    jalali_month = fields.Selection(
        JALALI_MONTHS,
        "Month",
        default=lambda self: str(self._default_jalali_period()[1]),
        help="Jalali month; by default the month before this one.",
    )
    date_from = fields.Date(
        "From", compute="_compute_dates", store=True, readonly=False, required=True
    )
    date_to = fields.Date("To", compute="_compute_dates", store=True, readonly=False, required=True)
    agent_ids = fields.Many2many(
        "res.partner",
        "aftersales_agent_settlement_partner_rel",
        "settlement_id",
        "partner_id",
        string="Agents",
        domain="[('is_aftersales_agent', '=', True)]",
        help="Agents to settle; empty: every agent.",
    )
    report_ids = fields.Many2many(
        "aftersales.work.report",
        "aftersales_agent_settlement_report_rel",
        "settlement_id",
        "report_id",
        string="Selected Reports",
        check_company=True,
        help="Settle only these work reports (whatever their date); empty: every approved, "
        "unsettled report of the period.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Settled")],
        required=True,
        default="draft",
        tracking=True,
        copy=False,
    )
    move_ids = fields.Many2many(
        "account.move",
        "aftersales_agent_settlement_move_rel",
        "settlement_id",
        "move_id",
        string="Bills",
        readonly=True,
        copy=False,
    )
    settled_date = fields.Datetime("Settled On", readonly=True, copy=False)
    settled_user_id = fields.Many2one("res.users", "Settled By", readonly=True, copy=False)
    move_count = fields.Integer("Bill Count", compute="_compute_totals")
    report_count = fields.Integer("Reports Settled", compute="_compute_totals")
    amount_total = fields.Monetary("Net to Agents", compute="_compute_totals")

    _sql_constraints = [
        ("dates_ordered", "CHECK(date_from <= date_to)", "A period cannot end before it starts."),
    ]

    def _default_jalali_period(self):
        return _previous_jalali_month(fields.Date.context_today(self))

    @api.depends("period_type", "jalali_year", "jalali_month")
    def _compute_dates(self):
        for settlement in self:
            if settlement.period_type != "month":
                if not settlement.date_from:
                    settlement.date_from = fields.Date.context_today(settlement)
                if not settlement.date_to:
                    settlement.date_to = settlement.date_from
                continue
            year = settlement.jalali_year or settlement._default_jalali_period()[0]
            month = int(settlement.jalali_month or settlement._default_jalali_period()[1])
            settlement.date_from, settlement.date_to = atools.jalali_month_bounds(year, month)

    @api.depends("move_ids.amount_total_signed")
    def _compute_totals(self):
        for settlement in self:
            moves = settlement.move_ids
            settlement.move_count = len(moves)
            settlement.report_count = len(moves.line_ids.aftersales_work_report_id)
            # A vendor bill is money owed to the agent, a credit note money it owes.
            settlement.amount_total = -sum(moves.mapped("amount_total_signed"))

    @api.model_create_multi
    def create(self, vals_list):
        self.env["ir.sequence"]._aftersales_number(vals_list, "aftersales.agent.settlement")
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if self.filtered(lambda s: s.state != "draft"):
            raise UserError(self.env._("A settlement that made bills cannot be deleted."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_settle(self):
        """Make and post the agents' bills of the period (or of the selected reports)."""
        self._check_settler()
        for settlement in self:
            settlement._settle()
        return True

    def action_view_moves(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_in_invoice_type"
        )
        action["domain"] = [("id", "in", self.move_ids.ids)]
        action["context"] = {"default_move_type": "in_invoice", "create": False}
        return action

    def action_view_reports(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_agent.aftersales_work_report_action"
        )
        action["domain"] = [("id", "in", self.move_ids.line_ids.aftersales_work_report_id.ids)]
        action["context"] = {"create": False}
        return action

    @api.model
    def _settle_selection(self, reports):
        """Settle exactly ``reports`` (the "Settle" action of the work report list):
        refused, naming them, when one is not approved or already settled."""
        self._check_settler()
        if not reports:
            raise UserError(self.env._("Select the work reports to settle."))
        self._check_selection(reports)
        dates = [fields.Date.to_date(d) for d in reports.mapped("approved_date")]
        settlements = self.create(
            [
                {
                    "company_id": company.id,
                    "period_type": "range",
                    "date_from": min(dates),
                    "date_to": max(dates),
                    "agent_ids": [Command.set(company_reports.agent_id.ids)],
                    "report_ids": [Command.set(company_reports.ids)],
                }
                for company, company_reports in reports.grouped("company_id").items()
            ]
        )
        settlements.action_settle()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_agent.aftersales_agent_settlement_action"
        )
        if len(settlements) == 1:
            action.update({"res_id": settlements.id, "views": [(False, "form")]})
        else:
            action["domain"] = [("id", "in", settlements.ids)]
        return action

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    def _check_settler(self):
        user = self.env.user
        if self.env.su:
            return
        if not user.has_group(MANAGER) or not user.has_group(BILLING):
            raise AccessError(
                self.env._(
                    "Only an after-sales manager with invoicing rights may settle agents' fees."
                )
            )

    def _check_selection(self, reports):
        not_approved = reports.filtered(lambda r: r.state != "approved")
        if not_approved:
            raise UserError(
                self.env._(
                    "Only approved work reports are settled; not approved: %(names)s.",
                    names=", ".join(not_approved.mapped("name")),
                )
            )
        settled = reports.filtered("is_settled")
        if settled:
            raise UserError(
                self.env._(
                    "Work reports %(names)s are already settled.",
                    names=", ".join(settled.mapped("name")),
                )
            )

    def _utc_bounds(self):
        """The period as UTC datetimes ``[start, end)``, from the user's time zone."""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        start = tz.localize(datetime.combine(self.date_from, time.min))
        end = tz.localize(datetime.combine(self.date_to + timedelta(days=1), time.min))
        return (
            start.astimezone(pytz.utc).replace(tzinfo=None),
            end.astimezone(pytz.utc).replace(tzinfo=None),
        )

    def _report_domain(self):
        domain = [("company_id", "=", self.company_id.id), ("state", "=", "approved")]
        if self.agent_ids:
            domain.append(("agent_id", "in", self.agent_ids.ids))
        return domain

    def _find_reports(self):
        """``(to_settle, charged_back)``: reports whose fee (or the part of it not yet
        posted) is due, and approved reports whose chargeback is not yet deducted."""
        Report = self.env["aftersales.work.report"]
        base = self._report_domain()
        if self.report_ids:
            due = self.report_ids.filtered_domain([*base, ("is_settled", "=", False)])
        else:
            start, end = self._utc_bounds()
            due = Report.search(
                [
                    *base,
                    ("is_settled", "=", False),
                    "|",
                    "&",
                    ("approved_date", ">=", start),
                    ("approved_date", "<", end),
                    # Corrections of reports settled before go on the next bill.
                    (
                        "settlement_line_ids",
                        "any",
                        [
                            ("parent_state", "=", "posted"),
                            ("aftersales_agent_entry_type", "not in", NOT_FEE),
                        ],
                    ),
                ]
            )
        agents = self.report_ids.agent_id if self.report_ids else self.agent_ids
        charged = Report.search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "approved"),
                ("chargeback_amount", "!=", 0),
                ("chargeback_settled", "=", False),
                *([("agent_id", "in", agents.ids)] if agents or self.report_ids else []),
            ]
        )
        return due, charged

    def _lock(self, reports):
        """Lock the reports' rows for the rest of the transaction; refuse at once when
        another settlement holds them (it is settling the same reports)."""
        if not reports:
            return
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "SELECT id FROM aftersales_work_report WHERE id IN %s ORDER BY id "
                    "FOR UPDATE NOWAIT",
                    [tuple(reports.ids)],
                    log_exceptions=False,
                )
        except psycopg2.errors.LockNotAvailable:
            raise UserError(
                self.env._(
                    "Another settlement is settling these work reports right now: try again "
                    "when it is over."
                )
            ) from None
        # What was read before the lock may be stale: read it again under the lock.
        reports.invalidate_recordset()

    def _journal_of(self, agent):
        journal = agent.aftersales_agent_journal_id or self.company_id.aftersales_agent_journal_id
        if not journal:
            raise UserError(
                self.env._(
                    "No settlement journal for agent %(agent)s: set one on the agent, or the "
                    "agent settlement journal of %(company)s in the after-sales settings.",
                    agent=agent.display_name,
                    company=self.company_id.name,
                )
            )
        return journal

    def _settle(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("Settlement %(name)s is already done.", name=self.name))
        if self.report_ids:
            self._check_selection(self.report_ids)
        account = self.company_id.aftersales_agent_fee_account_id
        if not account:
            raise UserError(
                self.env._(
                    "Set the agent fee expense account of %(company)s in the after-sales "
                    "settings before settling.",
                    company=self.company_id.name,
                )
            )
        self.env.flush_all()
        due, charged = self._find_reports()
        parts = self._find_sold_parts()
        self._lock(due | charged | parts.report_id)
        parts.invalidate_recordset()
        due = due.filtered(lambda r: r.state == "approved" and not r.is_settled)
        charged = charged.filtered(lambda r: r.state == "approved" and not r.chargeback_settled)
        parts = parts.filtered(lambda p: p._is_to_sell())
        if self.report_ids and due != self.report_ids:
            self._check_selection(self.report_ids)
        # Nothing to pay for a report whose parts are sold now: no bill line for it (the
        # invoice line of its parts settles it).
        currency = self.company_id.currency_id
        parts_reports = parts.report_id
        due -= due.filtered(
            lambda r: r in parts_reports and currency.is_zero(r.fee_total - r.settled_amount)
        )
        if not due and not charged and not parts:
            raise UserError(
                self.env._(
                    "Nothing to settle in %(name)s: no approved work report left unsettled, "
                    "no correction and no chargeback.",
                    name=self.name,
                )
            )
        bill_values = self._move_values(due, charged, account)
        invoice_values, sold = self._parts_invoice_values(parts)
        # One create for the bills and the parts invoices of every agent.
        created = self.env["account.move"].create(bill_values + invoice_values)
        moves, invoices = created[: len(bill_values)], created[len(bill_values) :]
        invoices.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        ).aftersales_agent_entry_type = PARTS
        created.action_post()
        self._link_sold_parts(invoices, sold)
        self.write(
            {
                "state": "done",
                "move_ids": [Command.set(moves.ids)],
                "parts_invoice_ids": [Command.set(invoices.ids)],
                "settled_date": fields.Datetime.now(),
                "settled_user_id": self.env.uid,
            }
        )
        self.message_post(
            body=self.env._(
                "%(reports)s work reports and %(chargebacks)s chargebacks settled in "
                "%(moves)s entries.",
                reports=len(due),
                chargebacks=len(charged),
                moves=len(moves),
            )
        )
        if invoices:
            self.message_post(
                body=self.env._(
                    "%(parts)s part lines sold to agents in %(invoices)s customer invoices.",
                    parts=len(parts),
                    invoices=len(invoices),
                )
            )
        return moves

    def _move_values(self, due, charged, account):
        """Values of one bill (or credit note) per agent, lines already signed."""
        entries = defaultdict(list)  # agent -> [(amount owed to the agent, line values)]
        report_types = dict(due._fields["report_type"]._description_selection(self.env))
        for report in due:
            amount = report.fee_total - report.settled_amount
            correction = any(
                line.parent_state == "posted" and line.aftersales_agent_entry_type not in NOT_FEE
                for line in report.settlement_line_ids
            )
            if correction:
                label = self.env._(
                    "Fee correction of %(report)s (%(job)s)",
                    report=report.name,
                    job=report.request_id.name,
                )
            else:
                label = self.env._(
                    "%(work)s %(report)s (%(job)s)",
                    work=report_types.get(report.report_type, ""),
                    report=report.name,
                    job=report.request_id.name,
                )
            analytic = report.categ_id.aftersales_analytic_account_id
            entries[report.agent_id].append(
                (
                    amount,
                    {
                        "name": label,
                        "account_id": account.id,
                        "quantity": 1.0,
                        "aftersales_work_report_id": report.id,
                        "aftersales_fee_amount": amount,
                        "aftersales_agent_entry_type": ENTRY_TYPE_OF_REPORT.get(
                            report.report_type, OTHER_FEE
                        ),
                        "analytic_distribution": {str(analytic.id): 100} if analytic else False,
                    },
                )
            )
        for report in charged:
            analytic = report.categ_id.aftersales_analytic_account_id
            entries[report.agent_id].append(
                (
                    -report.chargeback_amount,
                    {
                        "name": self.env._(
                            "Chargeback of %(report)s (repeat repair): %(reason)s",
                            report=report.name,
                            reason=report.chargeback_reason or "",
                        ),
                        "account_id": account.id,
                        "quantity": 1.0,
                        "aftersales_work_report_id": report.id,
                        "aftersales_fee_amount": 0.0,
                        "aftersales_agent_entry_type": CHARGEBACK,
                        "analytic_distribution": {str(analytic.id): 100} if analytic else False,
                    },
                )
            )
        today = fields.Date.context_today(self)
        bill_date = min(self.date_to, today)
        currency = self.company_id.currency_id
        vals_list = []
        for agent, agent_entries in entries.items():
            net = sum(amount for amount, _vals in agent_entries)
            sign = -1 if currency.compare_amounts(net, 0) < 0 else 1
            vals_list.append(
                {
                    "move_type": "in_invoice" if sign > 0 else "in_refund",
                    "company_id": self.company_id.id,
                    "partner_id": agent.id,
                    "journal_id": self._journal_of(agent).id,
                    "currency_id": currency.id,
                    "invoice_date": bill_date,
                    "date": bill_date,
                    "ref": f"{self.name} {agent.aftersales_agent_code or agent.display_name}",
                    "invoice_origin": self.name,
                    "invoice_line_ids": [
                        Command.create({**vals, "price_unit": sign * amount})
                        for amount, vals in agent_entries
                    ],
                }
            )
        return vals_list

    # ------------------------------------------------------------------
    # Parts sold to the agent (piece: parts sold): the parts an agent used from the
    # company on paid work go on one customer invoice per agent, in the same run.
    # ------------------------------------------------------------------

    parts_invoice_ids = fields.Many2many(
        "account.move",
        "aftersales_agent_settlement_parts_move_rel",
        "settlement_id",
        "move_id",
        string="Parts Invoices",
        readonly=True,
        copy=False,
        help="Customer invoices of the parts the agents used on paid work.",
    )
    parts_invoice_count = fields.Integer(compute="_compute_parts_invoiced")
    parts_amount = fields.Monetary("Parts Invoiced", compute="_compute_parts_invoiced")

    @api.depends("parts_invoice_ids.amount_total_signed")
    def _compute_parts_invoiced(self):
        for settlement in self:
            invoices = settlement.parts_invoice_ids
            settlement.parts_invoice_count = len(invoices)
            settlement.parts_amount = sum(invoices.mapped("amount_total_signed"))

    def action_view_parts_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", self.parts_invoice_ids.ids)]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        return action

    def _find_sold_parts(self):
        """Part lines to sell: not voided, not invoiced yet (or on a cancelled invoice),
        of approved paid work of the agents, whatever the state of the report's fee (a
        report settled before its parts were sold still has them sold). The period
        bounds the approval from above only: parts left over from earlier periods go on
        the next invoice; selected reports: their parts only."""
        domain = [
            ("company_id", "=", self.company_id.id),
            ("voided", "=", False),
            "|",
            ("invoice_line_id", "=", False),
            ("invoice_line_id.parent_state", "=", "cancel"),
            ("report_id.state", "=", "approved"),
            ("report_id.report_type", "in", PARTS_SOLD_REPORT_TYPES),
        ]
        if self.report_ids:
            domain.append(("report_id", "in", self.report_ids.ids))
        else:
            domain.append(("report_id.approved_date", "<", self._utc_bounds()[1]))
            if self.agent_ids:
                domain.append(("report_id.agent_id", "in", self.agent_ids.ids))
        return self.env["aftersales.work.report.part"].search(domain)

    def _parts_journal(self):
        Journal = self.env["account.journal"]
        journal = Journal.search(
            [*Journal._check_company_domain(self.company_id), ("type", "=", "sale")], limit=1
        )
        if not journal:
            raise UserError(
                self.env._(
                    "No sales journal in %(company)s: create one to invoice the parts sold to "
                    "agents.",
                    company=self.company_id.name,
                )
            )
        return journal

    def _parts_invoice_values(self, parts):
        """``(values, sold)``: the values of one customer invoice per agent, a line per
        part line at the part's sales price (customer taxes from the product, as Odoo
        does), and for each invoice the part lines in the order of its lines."""
        if not parts:
            return [], []
        journal = self._parts_journal()
        currency = self.company_id.currency_id
        invoice_date = min(self.date_to, fields.Date.context_today(self))
        values, sold = [], []
        for agent, agent_parts in parts.grouped(lambda p: p.report_id.agent_id).items():
            sold.append(agent_parts)
            values.append(
                {
                    "move_type": "out_invoice",
                    "company_id": self.company_id.id,
                    "partner_id": agent.id,
                    "journal_id": journal.id,
                    "currency_id": currency.id,
                    "invoice_date": invoice_date,
                    "date": invoice_date,
                    "ref": f"{self.name} {agent.aftersales_agent_code or agent.display_name}",
                    "invoice_origin": self.name,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": part.product_id.id,
                                "name": self.env._(
                                    "%(part)s used on %(report)s (%(job)s)",
                                    part=part.product_id.display_name,
                                    report=part.report_id.name,
                                    job=part.report_id.request_id.name,
                                ),
                                "quantity": part.quantity,
                                "product_uom_id": part.product_id.uom_id.id,
                                "price_unit": part.product_id.lst_price,
                                "aftersales_work_report_id": part.report_id.id,
                                "aftersales_agent_entry_type": PARTS,
                            }
                        )
                        for part in agent_parts
                    ],
                }
            )
        return values, sold

    def _link_sold_parts(self, invoices, sold):
        """Each part line knows the invoice line that sold it (never sold twice)."""
        for invoice, agent_parts in zip(invoices, sold, strict=True):
            lines = invoice.invoice_line_ids.filtered(
                lambda line: line.display_type == "product"
            ).sorted("id")
            for part, line in zip(agent_parts, lines, strict=True):
                part.invoice_line_id = line
