"""Cash an in-house technician collected from a customer for paid work (R-AGT-7).

Posting debits the technician receivable (partner: the technician) and credits the
customer's receivable account (partner: the customer). This is what accountants expect:

- Cash in an employee's pocket is not the company's cash yet: it is a claim on the
  employee, a receivable from the technician, until it is handed in.
- The customer has paid: the customer's debt for the job is settled. The revenue (and
  its taxes) belongs to the customer invoice of the job, where it is recognized once;
  crediting an income account here would count it a second time, or without its taxes.
  The credit on the customer's receivable is reconciled with that invoice like any
  customer payment; without an invoice yet, it is the customer's advance.

When the technician hands the cash in, a standard ``account.payment`` (inbound, partner:
the technician, on the technician receivable account) is reconciled with this item, and
the technician's receivable balance goes back to zero.
"""

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

STATES = [("draft", "Draft"), ("posted", "Posted")]
#: What may still change once the cash is posted.
POSTED_WRITABLE = frozenset({"note"})


class AftersalesTechnicianCash(models.Model):
    _name = "aftersales.technician.cash"
    _description = "Cash Collected by a Technician"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    request_id = fields.Many2one(
        "aftersales.request",
        string="Job",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        domain="[('technician_id', '!=', False), ('agent_id', '=', False)]",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    technician_id = fields.Many2one(
        "res.users",
        compute="_compute_technician_id",
        store=True,
        precompute=True,
        index=True,
        help="The job's technician, who collected the cash.",
    )
    partner_id = fields.Many2one(
        related="request_id.partner_id", string="Customer", store=True, index=True
    )
    amount = fields.Monetary(required=True, tracking=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    note = fields.Char()
    state = fields.Selection(STATES, required=True, default="draft", tracking=True, copy=False)
    move_id = fields.Many2one(
        "account.move", string="Journal Entry", readonly=True, copy=False, index="btree_not_null"
    )
    is_handed_in = fields.Boolean(
        "Handed In",
        compute="_compute_is_handed_in",
        help="The technician's receivable item of this cash is fully reconciled.",
    )

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "The cash collected must be a positive amount."),
    ]

    @api.depends("request_id")
    def _compute_technician_id(self):
        for cash in self:
            cash.technician_id = cash.request_id.technician_id

    @api.depends("move_id")
    def _compute_is_handed_in(self):
        for cash in self:
            account = cash.company_id.aftersales_technician_receivable_account_id
            lines = cash.sudo().move_id.line_ids.filtered(
                lambda line, account=account: (
                    line.aftersales_technician_entry_type == "cash" and line.account_id == account
                )
            )
            cash.is_handed_in = bool(lines) and all(line.reconciled for line in lines)

    @api.depends("request_id", "amount")
    def _compute_display_name(self):
        for cash in self:
            cash.display_name = self.env._(
                "Cash of %(job)s", job=cash.request_id.name or self.env._("New")
            )

    @api.constrains("request_id", "technician_id")
    def _check_in_house_job(self):
        for cash in self:
            if cash.request_id.agent_id or not cash.request_id.technician_id:
                raise UserError(
                    self.env._(
                        "Job %(name)s is not an in-house technician's job: record cash only "
                        "on jobs of your technicians.",
                        name=cash.request_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_amount(vals.get("amount"))
        return super().create(vals_list)

    def write(self, vals):
        if "amount" in vals:
            self._check_amount(vals["amount"])
        if set(vals) - POSTED_WRITABLE and any(cash.state == "posted" for cash in self):
            raise UserError(self.env._("Posted cash cannot change: it is in the ledger."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if any(cash.state == "posted" for cash in self):
            raise UserError(self.env._("Posted cash cannot be deleted: it is in the ledger."))

    def _check_amount(self, amount):
        if amount is None or amount is False:
            return
        if amount <= 0:
            raise UserError(self.env._("The cash collected must be a positive amount."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_post(self):
        """Post the cash: the technician owes it, the customer has paid it."""
        if any(cash.state != "draft" for cash in self):
            raise UserError(self.env._("This cash is posted already."))
        # The technician (or the reception) posting it may read the job: checked here,
        # before the entry is made with the rights of the ledger.
        self.check_access("write")
        vals_list = []
        for cash in self:
            company = cash.company_id
            journal = company.aftersales_technician_journal_id
            receivable = company.aftersales_technician_receivable_account_id
            missing = []
            if not journal:
                missing.append(self.env._("Technician Journal"))
            if not receivable:
                missing.append(self.env._("Technician Receivable Account"))
            if missing:
                raise UserError(
                    self.env._(
                        "Set the %(settings)s in After-Sales settings (In-House "
                        "Technicians) before posting cash collected by technicians.",
                        settings=", ".join(missing),
                    )
                )
            customer = cash.partner_id.commercial_partner_id
            customer_account = customer.with_company(company).property_account_receivable_id
            if not customer_account:
                raise UserError(
                    self.env._("Customer %(name)s has no receivable account.", name=customer.name)
                )
            technician = cash.technician_id.partner_id
            label = self.env._(
                "%(job)s: cash collected by %(technician)s",
                job=cash.request_id.name,
                technician=cash.technician_id.name,
            )
            common = {
                "name": label,
                "aftersales_technician_request_id": cash.request_id.id,
                "aftersales_technician_entry_type": "cash",
            }
            vals_list.append(
                {
                    "move_type": "entry",
                    "company_id": company.id,
                    "journal_id": journal.id,
                    "date": cash.date,
                    "ref": label,
                    "line_ids": [
                        Command.create(
                            {
                                **common,
                                "account_id": receivable.id,
                                "partner_id": technician.id,
                                "debit": cash.amount,
                            }
                        ),
                        Command.create(
                            {
                                **common,
                                "account_id": customer_account.id,
                                "partner_id": customer.id,
                                "credit": cash.amount,
                            }
                        ),
                    ],
                }
            )
        moves = self.env["account.move"].sudo().create(vals_list)
        moves.action_post()
        for cash, move in zip(self, moves, strict=True):
            cash.sudo().write({"state": "posted", "move_id": move.id})
        return True
