"""The agent's own statement (R-AGT-5) and performance statistics (R-AGT-8).

Both are read in a few grouped or ordered queries, never one per journal item or report,
and returned as plain dicts: the portal, the PDF and the XLSX show the same figures.

The statement is the company's view of the agent's account: the posted journal items of
the agent (its commercial partner) on receivable and payable accounts, each signed
``credit - debit``: a positive balance is what the company owes the agent, a negative one
what the agent owes the company.
"""

from datetime import datetime, time, timedelta

import pytz
from babel.dates import format_date as babel_format_date

from odoo import api, fields, models
from odoo.addons.aftersales_base.tools import (
    amount_to_words_fa,
    format_jalali,
    jalali_month_name,
    to_jalali,
    to_persian_digits,
)
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .. import tools as atools
from .account_move_line import AGENT_ENTRY_TYPES

#: Lines with no agent entry type and no payment behind them.
OTHER = "other"
PAYMENT = "payment"
AGENT_ACCOUNT_TYPES = ("asset_receivable", "liability_payable")
#: Reports counted in the statistics: the ones the agent has filed and the company kept.
COUNTED_STATES = ("submitted", "approved")
TOP_PARTS = 10
#: Longest period of the portal's statistics: a year and a little.
MAX_DAYS = 400


class AftersalesAgentStatement(models.AbstractModel):
    _name = "aftersales.agent.statement"
    _description = "Agent Statement and Statistics"

    # ------------------------------------------------------------------
    # Periods
    # ------------------------------------------------------------------

    @api.model
    def _default_period(self, today=None):
        """The current Jalali month up to today: the settlement's period."""
        today = today or fields.Date.context_today(self)
        jtoday = to_jalali(today)
        first, _last = atools.jalali_month_bounds(jtoday.year, jtoday.month)
        return first, today

    @api.model
    def _parse_period(self, date_from=None, date_to=None):
        """``(date_from, date_to)`` from ISO strings or dates (those of an
        ``<input type="date">``); empty bounds take the default period. Raises UserError
        for a date that cannot be read or a start after the end."""
        default_from, default_to = self._default_period()
        bounds = []
        for value, default in ((date_from, default_from), (date_to, default_to)):
            if not value:
                bounds.append(default)
                continue
            try:
                bounds.append(fields.Date.to_date(value))
            except (TypeError, ValueError):
                raise UserError(
                    self.env._("%(value)s is not a date (year-month-day).", value=value)
                ) from None
        if bounds[0] > bounds[1]:
            raise UserError(self.env._("The start date is after the end date."))
        return tuple(bounds)

    def _utc_bounds(self, date_from, date_to):
        """Naive UTC datetimes of the start of ``date_from`` and of the day after
        ``date_to``, in the reader's time zone."""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        start = tz.localize(datetime.combine(date_from, time.min))
        end = tz.localize(datetime.combine(date_to + timedelta(days=1), time.min))
        return (
            start.astimezone(pytz.utc).replace(tzinfo=None),
            end.astimezone(pytz.utc).replace(tzinfo=None),
        )

    # ------------------------------------------------------------------
    # Statement (R-AGT-5)
    # ------------------------------------------------------------------

    @api.model
    def _entry_type_labels(self):
        """``{type: label}`` in the reader's language, "other" last."""
        field = self.env["account.move.line"]._fields["aftersales_agent_entry_type"]
        labels = dict(field._description_selection(self.env))
        labels[OTHER] = self.env._("Other")
        return labels

    def _check_statement_reader(self):
        """Accountants read every agent's statement; the portal reads its own agent's
        through ``sudo()`` once the controller has checked it."""
        if not self.env.su and not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only accounting users may read agent statements."))

    def _agent_domain(self, agent):
        return [
            ("partner_id", "=", agent.commercial_partner_id.id),
            ("parent_state", "=", "posted"),
            ("account_id.account_type", "in", AGENT_ACCOUNT_TYPES),
            ("company_id", "in", self.env.companies.ids),
        ]

    @api.model
    def _statement(self, agent, date_from=None, date_to=None):
        """The statement of ``agent`` over a period, as plain values::

            {"agent": {...}, "date_from", "date_to", "currency_id",
             "opening_balance", "closing_balance", "total_in", "total_out",
             "lines": [{"id", "date", "move_name", "label", "entry_type",
                        "entry_type_label", "debit", "credit", "amount", "balance"}],
             "totals": [{"entry_type", "label", "amount", "count"}]}

        Three queries whatever the number of lines: the opening balance, the lines of the
        period in order, and the names of their moves. The caller checks that the reader
        may see this agent's statement (the portal: its own agent only).
        """
        agent.ensure_one()
        self._check_statement_reader()
        date_from, date_to = self._parse_period(date_from, date_to)
        Line = self.env["account.move.line"]
        currency = self.env.company.currency_id
        domain = self._agent_domain(agent)
        [(opening_sum,)] = Line._read_group(
            [*domain, ("date", "<", date_from)], [], ["balance:sum"]
        )
        opening = currency.round(-(opening_sum or 0.0))
        lines = Line.search_fetch(
            [*domain, ("date", ">=", date_from), ("date", "<=", date_to)],
            [
                "date",
                "move_id",
                "move_name",
                "name",
                "ref",
                "aftersales_agent_entry_type",
                "payment_id",
                "debit",
                "credit",
                "balance",
            ],
            order="date, move_name, id",
        )
        labels = self._entry_type_labels()
        parts = self._typed_parts(lines)
        rows, totals = [], {}
        balance = opening
        for line in lines:
            amount = currency.round(-line.balance)
            if line.aftersales_agent_entry_type or line.payment_id:
                pieces = [(line.aftersales_agent_entry_type or PAYMENT, amount)]
            else:
                # A settlement bill: one payable line, its fees typed on the bill's lines.
                pieces = [
                    (entry_type, currency.round(part))
                    for entry_type, part in parts.get(line.move_id.id, {}).items()
                ]
                rest = currency.round(amount - sum(part for _type, part in pieces))
                if not currency.is_zero(rest) or not pieces:
                    pieces.append((OTHER, rest))
            for entry_type, piece in pieces:
                balance = currency.round(balance + piece)
                rows.append(
                    {
                        "id": line.id,
                        "date": line.date,
                        "move_name": line.move_name or "",
                        "label": line.name or line.ref or "",
                        "entry_type": entry_type,
                        "entry_type_label": labels[entry_type],
                        "debit": -piece if piece < 0 else 0.0,
                        "credit": piece if piece > 0 else 0.0,
                        "amount": piece,
                        "balance": balance,
                    }
                )
                total = totals.setdefault(entry_type, {"amount": 0.0, "count": 0})
                total["amount"] = currency.round(total["amount"] + piece)
                total["count"] += 1
        order = [key for key, _label in AGENT_ENTRY_TYPES] + [OTHER]
        return {
            "agent": {
                "id": agent.id,
                "name": agent.commercial_partner_id.name,
                "code": agent.commercial_partner_id.aftersales_agent_code or "",
            },
            "company": self.env.company.name,
            "currency_id": currency.id,
            "date_from": date_from,
            "date_to": date_to,
            "opening_balance": opening,
            "closing_balance": balance,
            "total_in": currency.round(sum(row["amount"] for row in rows if row["amount"] > 0)),
            "total_out": currency.round(-sum(row["amount"] for row in rows if row["amount"] < 0)),
            "lines": rows,
            "totals": [
                {"entry_type": key, "label": labels[key], **totals[key]}
                for key in order
                if key in totals
            ],
        }

    @api.model
    def _typed_parts(self, lines):
        """``{move id: {entry type: amount for the agent}}`` from the typed lines of the
        agent's bills (settlement bills type their fee lines, not their payable line),
        one grouped query."""
        moves = lines.filtered(
            lambda line: not line.aftersales_agent_entry_type and not line.payment_id
        ).move_id
        if not moves:
            return {}
        parts = {}
        for move, entry_type, balance in self.env["account.move.line"]._read_group(
            [("move_id", "in", moves.ids), ("aftersales_agent_entry_type", "!=", False)],
            ["move_id", "aftersales_agent_entry_type"],
            ["balance:sum"],
        ):
            # An expense line of a bill (debit) is owed to the agent (credit of payable).
            parts.setdefault(move.id, {})[entry_type] = balance
        return parts

    @api.model
    def _amount_in_words(self, amount, lang):
        """Words of the absolute ``amount`` for a reader of ``lang``: Persian from the
        suite's own tables (num2words 0.5.10, which Odoo 18 pins, has no Persian), others
        through the currency (num2words)."""
        currency = self.env.company.currency_id
        if (lang or "").startswith("fa"):
            unit = "ریال" if currency.name == "IRR" else currency.currency_unit_label or ""
            return amount_to_words_fa(abs(amount), unit)
        return currency.with_context(lang=lang).amount_to_text(abs(amount))

    @api.model
    def _format_date(self, value, lang):
        """A date the reader's way: Jalali with Persian digits for Persian readers."""
        return self.env["ir.actions.report"]._aftersales_format_date(value, lang)

    @api.model
    def _statement_xlsx(self, statement, lang):
        """The statement as an XLSX workbook (bytes), right to left for Persian."""
        Self = self.with_context(lang=lang)
        env = Self.env
        persian = (lang or "").startswith("fa")
        labels = {
            "title": env._("Agent Statement"),
            "agent": env._("Agent"),
            "period": env._("Period"),
            "convention": env._(
                "Positive amounts and balances: owed by the company to the agent; "
                "negative: owed by the agent to the company."
            ),
            "opening": env._("Opening Balance"),
            "closing": env._("Closing Balance"),
            "date": env._("Date"),
            "entry": env._("Entry"),
            "label": env._("Description"),
            "type": env._("Type"),
            "debit": env._("Debit"),
            "credit": env._("Credit"),
            "amount": env._("Amount"),
            "balance": env._("Balance"),
            "totals": env._("Totals by Type"),
            "count": env._("Items"),
            "words": env._("In words"),
        }
        closing = statement["closing_balance"]
        return atools.build_statement_xlsx(
            statement,
            labels,
            format_date=lambda value: (
                format_jalali(value, persian_digits=False) if persian else value
            ),
            words=Self._amount_in_words(closing, lang),
            rtl=persian,
        )

    # ------------------------------------------------------------------
    # Performance statistics (R-AGT-8)
    # ------------------------------------------------------------------

    @api.model
    def _month_key(self, value, jalali):
        if jalali:
            jvalue = to_jalali(value)
            return (jvalue.year, jvalue.month)
        return (value.year, value.month)

    @api.model
    def _month_label(self, key, jalali, lang):
        year, month = key
        if jalali:
            return f"{jalali_month_name(month, lang)} {to_persian_digits(str(year))}"
        return babel_format_date(datetime(year, month, 1), "MMMM y", locale=lang or "en_US")

    @api.model
    def _performance(self, agent, date_from=None, date_to=None, lang=None):
        """Statistics of ``agent``'s work reports filed (submitted) in the period::

            {"date_from", "date_to", "types": [(key, label)],
             "months": [{"label", "counts": {type: n}, "total"}], "type_totals": {type: n},
             "report_count", "parts": [{"product", "uom", "quantity", "reports"}],
             "avg_to_submit_hours", "avg_to_approve_hours", "approved_count"}

        Service mix: work reports by type and month (Jalali months for Persian readers);
        parts: the most used parts on approved reports, voided lines left out; durations:
        the mean time from the job's request to the report's submission, and from
        submission to approval. Four grouped queries in all.
        """
        agent.ensure_one()
        Report = self.env["aftersales.work.report"]
        Report.check_access("read")
        date_from, date_to = self._parse_period(date_from, date_to)
        if (date_to - date_from).days > MAX_DAYS:
            raise UserError(self.env._("Choose a period of at most %(days)s days.", days=MAX_DAYS))
        lang = lang or self.env.lang or "en_US"
        jalali = lang.startswith("fa")
        start, end = self._utc_bounds(date_from, date_to)
        domain = [
            ("agent_id", "=", agent.commercial_partner_id.id),
            ("state", "in", COUNTED_STATES),
            ("submitted_date", ">=", start),
            ("submitted_date", "<", end),
            ("company_id", "in", self.env.companies.ids),
        ]
        tz = self.env.context.get("tz") or self.env.user.tz or "UTC"
        by_day = Report.with_context(tz=tz)._read_group(
            domain, ["submitted_date:day", "report_type"], ["__count"]
        )
        type_labels = dict(Report._fields["report_type"]._description_selection(self.env))
        months, type_totals = {}, {}
        for day, report_type, count in by_day:
            key = self._month_key(day, jalali)
            month = months.setdefault(key, {"counts": {}, "total": 0})
            month["counts"][report_type] = month["counts"].get(report_type, 0) + count
            month["total"] += count
            type_totals[report_type] = type_totals.get(report_type, 0) + count

        parts = self.env["aftersales.work.report.part"]._read_group(
            [
                ("report_id.agent_id", "=", agent.commercial_partner_id.id),
                ("report_id.state", "=", "approved"),
                ("report_id.submitted_date", ">=", start),
                ("report_id.submitted_date", "<", end),
                ("report_id.company_id", "in", self.env.companies.ids),
                ("voided", "=", False),
            ],
            ["product_id"],
            ["quantity:sum", "report_id:count_distinct"],
            order="quantity:sum desc, product_id",
            limit=TOP_PARTS,
        )
        products = self.env["product.product"].browse([product.id for product, *_ in parts])
        products.fetch(["display_name", "uom_id"])

        Report.flush_model(["agent_id", "state", "submitted_date", "approved_date", "request_id"])
        self.env["aftersales.request"].flush_model(["request_date"])
        [(to_submit, approved_count, to_approve)] = self.env.execute_query(
            SQL(
                """
                SELECT AVG(EXTRACT(EPOCH FROM report.submitted_date - job.request_date)),
                       COUNT(*) FILTER (WHERE report.state = 'approved'),
                       AVG(EXTRACT(EPOCH FROM report.approved_date - report.submitted_date))
                           FILTER (WHERE report.state = 'approved')
                  FROM aftersales_work_report report
                  JOIN aftersales_request job ON job.id = report.request_id
                 WHERE report.agent_id = %(agent)s
                   AND report.state IN %(states)s
                   AND report.submitted_date >= %(start)s
                   AND report.submitted_date < %(end)s
                   AND report.company_id IN %(companies)s
                """,
                agent=agent.commercial_partner_id.id,
                states=COUNTED_STATES,
                start=start,
                end=end,
                companies=tuple(self.env.companies.ids),
            )
        )

        return {
            "date_from": date_from,
            "date_to": date_to,
            "types": list(type_labels.items()),
            "months": [
                {"label": self._month_label(key, jalali, lang), **months[key]}
                for key in sorted(months)
            ],
            "type_totals": type_totals,
            "report_count": sum(type_totals.values()),
            "parts": [
                {
                    "product": product.display_name,
                    "uom": product.uom_id.name or "",
                    "quantity": quantity,
                    "reports": reports,
                }
                for product, quantity, reports in parts
            ],
            "avg_to_submit_hours": to_submit / 3600.0 if to_submit is not None else None,
            "avg_to_approve_hours": to_approve / 3600.0 if to_approve is not None else None,
            "approved_count": approved_count or 0,
        }
