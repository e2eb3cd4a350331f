"""Work reports of agents (R-AGT-2/3/4): what was done on a job, the parts used, the
labour and travel, the fee from the rate card, the customer's confirmation, approval by
the company, and the link to the settlement that paid it."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_amount

from .. import tools as atools

REPORT_TYPES = [
    ("installation", "Installation"),
    ("warranty_repair", "Warranty Repair"),
    ("paid_repair", "Paid Repair"),
    ("periodic_service", "Periodic Service"),
]
REPAIR_TYPES = ("warranty_repair", "paid_repair")
STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]
TRAVEL = [
    ("none", "No Travel"),
    ("in_city", "In City"),
    ("out_of_city", "Out of City"),
]
CONFIRMATIONS = [
    ("code", "Code Entered by the Agent"),
    ("sms", "Customer's SMS Reply"),
    ("manager", "Approved Unconfirmed by a Manager"),
]
MANAGER = "aftersales_base.group_aftersales_manager"
OPERATOR = "aftersales_base.group_aftersales_operator"
#: What the agent may set on a report (portal and backend); the rest is the company's.
AGENT_FIELDS = frozenset(
    {"report_type", "request_line_id", "work_note", "labour_hours", "travel", "part_ids"}
)


class AftersalesWorkReport(models.Model):
    _name = "aftersales.work.report"
    _description = "Agent Work Report"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        "Number", required=True, readonly=True, copy=False, default=lambda s: s.env._("New")
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    request_id = fields.Many2one(
        "aftersales.request",
        string="Job",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
    )
    agent_id = fields.Many2one(
        "res.partner",
        string="Service Agent",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_aftersales_agent', '=', True)]",
    )
    partner_id = fields.Many2one(related="request_id.partner_id", string="Customer")
    report_type = fields.Selection(REPORT_TYPES, "Work", required=True, tracking=True)
    request_line_id = fields.Many2one(
        "aftersales.request.line",
        string="Device",
        domain="[('request_id', '=', request_id)]",
        index="btree_not_null",
    )
    lot_id = fields.Many2one(
        related="request_line_id.lot_id", string="Serial", store=True, index="btree_not_null"
    )
    product_id = fields.Many2one(
        related="request_line_id.product_id", store=True, string="Device Product"
    )
    categ_id = fields.Many2one(
        "product.category", related="product_id.categ_id", store=True, string="Product Category"
    )
    warranty_card_id = fields.Many2one(
        "aftersales.warranty.card", compute="_compute_warranty_card_id"
    )
    state = fields.Selection(
        STATES, required=True, default="draft", index=True, tracking=True, copy=False
    )
    work_note = fields.Text("Work Done")
    labour_hours = fields.Float("Labour (hours)")
    travel = fields.Selection(TRAVEL, required=True, default="none")
    travel_zone = fields.Selection(
        TRAVEL[1:],
        compute="_compute_travel_zone",
        store=True,
        help="In the agent's city or out of it, from the job's city.",
    )
    part_ids = fields.One2many(
        "aftersales.work.report.part", "report_id", string="Parts", copy=True
    )
    # Server timestamps: never set by the agent.
    submitted_date = fields.Datetime("Submitted On", readonly=True, copy=False, index=True)
    approved_date = fields.Datetime("Approved On", readonly=True, copy=False, index=True)
    approved_user_id = fields.Many2one("res.users", "Approved By", readonly=True, copy=False)
    rejection_reason = fields.Text(readonly=True, copy=False, tracking=True)
    # Fee (R-AGT-4)
    rate_id = fields.Many2one("aftersales.agent.rate", compute="_compute_fee", store=True)
    fee_amount = fields.Monetary("Rate Card Fee", compute="_compute_fee", store=True)
    travel_amount = fields.Monetary("Travel Allowance", compute="_compute_fee", store=True)
    fee_adjustment = fields.Monetary("Adjustment", tracking=True, copy=False)
    fee_adjustment_reason = fields.Text("Adjustment Reason", tracking=True, copy=False)
    fee_total = fields.Monetary("Fee", compute="_compute_fee_total", store=True, tracking=True)
    # Warranty
    warranty_status = fields.Char("Warranty Check", readonly=True, copy=False)
    warranty_override_reason = fields.Text(readonly=True, copy=False, tracking=True)
    warranty_override_user_id = fields.Many2one(
        "res.users", "Warranty Override By", readonly=True, copy=False
    )
    # Customer's confirmation of the visit
    customer_confirmed = fields.Boolean("Confirmed by Customer", readonly=True, copy=False)
    confirmation_method = fields.Selection(CONFIRMATIONS, readonly=True, copy=False, tracking=True)
    confirmation_date = fields.Datetime(readonly=True, copy=False)
    confirmation_note = fields.Text(
        "Unconfirmed Approval Reason", readonly=True, copy=False, tracking=True
    )
    code_hash = fields.Char(readonly=True, copy=False, groups="base.group_system")
    code_expiry = fields.Datetime("Code Valid Until", readonly=True, copy=False)
    code_tries = fields.Integer("Wrong Codes", readonly=True, copy=False)
    code_sent_count = fields.Integer("Codes Sent", readonly=True, copy=False)
    # Repeat failure
    is_repeat = fields.Boolean("Repeat Repair", readonly=True, copy=False, index=True)
    repeat_of_id = fields.Many2one(
        "aftersales.work.report", readonly=True, copy=False, index="btree_not_null"
    )
    chargeback_amount = fields.Monetary(
        "Charged Back",
        readonly=True,
        copy=False,
        tracking=True,
        help="Fee of this report charged back to the agent because the device failed "
        "again; deducted in the next settlement.",
    )
    chargeback_reason = fields.Text(readonly=True, copy=False)
    # Settlement
    settlement_line_ids = fields.One2many(
        "account.move.line", "aftersales_work_report_id", string="Settlement Lines", readonly=True
    )
    settled_amount = fields.Monetary(
        compute="_compute_settled", store=True, help="Fee already posted to the agent."
    )
    is_settled = fields.Boolean(
        "Settled",
        compute="_compute_settled",
        store=True,
        index=True,
        help="The posted fee equals the report's fee: nothing left to settle.",
    )

    _sql_constraints = [
        ("name_unique", "UNIQUE(name, company_id)", "A work report number must be unique."),
        ("labour_positive", "CHECK(labour_hours >= 0)", "Labour hours cannot be negative."),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("request_line_id.lot_id")
    def _compute_warranty_card_id(self):
        cards = self.env["aftersales.warranty.card"].search([("lot_id", "in", self.lot_id.ids)])
        by_lot = {card.lot_id: card for card in cards}
        for report in self:
            report.warranty_card_id = by_lot.get(report.lot_id, cards.browse())

    @api.depends("request_id.city", "agent_id.city", "agent_id.aftersales_coverage_ids.city")
    def _compute_travel_zone(self):
        for report in self:
            report.travel_zone = (
                atools.travel_zone(report.request_id.city, report.agent_id._aftersales_cities())
                if report.agent_id
                else False
            )

    @api.depends(
        "report_type",
        "categ_id",
        "travel",
        "travel_zone",
        "agent_id.aftersales_rate_card_id.rate_ids.amount",
        "agent_id.aftersales_travel_in_city",
        "agent_id.aftersales_travel_out_city",
        "state",
    )
    def _compute_fee(self):
        for report in self:
            if report.state == "approved" and report.rate_id and report._origin.id:
                # The fee of an approved report is the one approved: a later change of
                # the rate card does not move it.
                continue
            card = report.agent_id.aftersales_rate_card_id
            zone = report.travel_zone or atools.IN_CITY
            rate = card._fee_for(report.report_type, report.categ_id, zone) if card else False
            report.rate_id = rate or False
            report.fee_amount = rate.amount if rate else 0.0
            agent = report.agent_id
            report.travel_amount = {
                "in_city": agent.aftersales_travel_in_city,
                "out_of_city": agent.aftersales_travel_out_city,
            }.get(report.travel, 0.0)

    @api.depends("fee_amount", "travel_amount", "fee_adjustment")
    def _compute_fee_total(self):
        for report in self:
            report.fee_total = report.fee_amount + report.travel_amount + report.fee_adjustment

    @api.depends("settlement_line_ids.parent_state", "settlement_line_ids.balance", "fee_total")
    def _compute_settled(self):
        for report in self:
            lines = report.settlement_line_ids.filtered(lambda line: line.parent_state == "posted")
            report.settled_amount = sum(lines.mapped("aftersales_fee_amount"))
            report.is_settled = bool(lines) and report.currency_id.is_zero(
                report.settled_amount - report.fee_total
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        Request = self.env["aftersales.request"]
        for vals in vals_list:
            request = Request.browse(vals.get("request_id"))
            if request and not vals.get("agent_id"):
                vals["agent_id"] = request.agent_id.id
            if request and not vals.get("company_id"):
                vals["company_id"] = request.company_id.id
        self.env["ir.sequence"]._aftersales_number(vals_list, "aftersales.work.report")
        reports = super().create(vals_list)
        reports._check_job()
        return reports

    def write(self, vals):
        locked = self.filtered(lambda r: r.state in ("approved", "rejected"))
        if locked and set(vals) & (AGENT_FIELDS | {"request_id", "agent_id"}):
            raise UserError(
                self.env._(
                    "Work reports %(names)s are decided: they cannot be changed.",
                    names=", ".join(locked.mapped("name")),
                )
            )
        if "fee_adjustment" in vals:
            self._check_adjustment(vals)
        result = super().write(vals)
        if {"request_id", "agent_id"} & vals.keys():
            self._check_job()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if self.filtered(lambda r: r.state != "draft"):
            raise UserError(self.env._("Only draft work reports can be deleted."))

    def _check_job(self):
        for report in self:
            if report.request_id.agent_id != report.agent_id:
                raise ValidationError(
                    self.env._(
                        "Job %(job)s is not assigned to %(agent)s: no work report for it.",
                        job=report.request_id.name,
                        agent=report.agent_id.display_name,
                    )
                )
            if report.request_line_id and report.request_line_id.request_id != report.request_id:
                raise ValidationError(
                    self.env._("The device of a work report must be one of its job's devices.")
                )

    def _check_adjustment(self, vals):
        if not self.env.su and not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only an after-sales manager may adjust a fee."))
        reason = vals.get("fee_adjustment_reason", None)
        for report in self:
            text = reason if reason is not None else report.fee_adjustment_reason
            if vals["fee_adjustment"] and not (text or "").strip():
                raise UserError(
                    self.env._(
                        "Give the reason of the fee adjustment of %(name)s.", name=report.name
                    )
                )

    # ------------------------------------------------------------------
    # Submission (agent) and decision (company)
    # ------------------------------------------------------------------

    def _check_submittable(self):
        for report in self:
            if report.state != "draft":
                raise UserError(
                    self.env._("Work report %(name)s was already submitted.", name=report.name)
                )
            report._check_job()
            if report.request_id.is_closed:
                raise UserError(self.env._("Job %(job)s is closed.", job=report.request_id.name))
            if report.report_type in ("installation", "warranty_repair") and not report.lot_id:
                raise UserError(
                    self.env._(
                        "Work report %(name)s: name the device and its serial number.",
                        name=report.name,
                    )
                )
            report.part_ids._check_part()

    def action_submit(self):
        """Submit: the server stamps the time; warranty repairs are checked (R-WAR-5)."""
        self._check_submittable()
        now = fields.Datetime.now()
        for report in self:
            vals = {"state": "submitted", "submitted_date": now}
            if report.report_type == "warranty_repair":
                check = self.env["aftersales.warranty.card"]._check_warranty(
                    report.lot_id.aftersales_serial or report.lot_id.name,
                    date=now,
                    product=report.product_id,
                )
                vals["warranty_status"] = check.reason
                if check.status not in ("in_warranty",) and not report.warranty_override_reason:
                    raise UserError(
                        self.env._(
                            "Work report %(name)s: the device is not covered (%(reason)s). "
                            "File a paid repair, or ask an after-sales manager to override.",
                            name=report.name,
                            reason=check.reason,
                        )
                    )
            report.write(vals)
        self._flag_repeats()
        self.request_id.filtered(lambda r: r.agent_state != "reported").agent_state = "reported"
        return True

    def action_override_warranty(self, reason):
        """An after-sales manager lets a warranty repair through out of warranty."""
        if not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._("Only an after-sales manager may override the warranty check.")
            )
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the warranty override."))
        self.write(
            {"warranty_override_reason": reason.strip(), "warranty_override_user_id": self.env.uid}
        )
        return True

    def _check_decider(self):
        if not self.env.su and not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._("Only an after-sales manager may approve or reject work reports.")
            )

    def action_approve(self):
        self._check_decider()
        for report in self:
            if report.state != "submitted":
                raise UserError(
                    self.env._("Work report %(name)s is not awaiting approval.", name=report.name)
                )
            if not report.customer_confirmed:
                raise UserError(
                    self.env._(
                        "The customer has not confirmed the visit of %(name)s: approve it "
                        "as unconfirmed, with a reason.",
                        name=report.name,
                    )
                )
        self._approve()
        return True

    def action_approve_unconfirmed(self, reason):
        """A manager approves reports the customer did not confirm, saying why."""
        self._check_decider()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason to approve without the customer's code."))
        unconfirmed = self.filtered(lambda r: not r.customer_confirmed)
        unconfirmed.write({"confirmation_method": "manager", "confirmation_note": reason.strip()})
        for report in self:
            if report.state != "submitted":
                raise UserError(
                    self.env._("Work report %(name)s is not awaiting approval.", name=report.name)
                )
        self._approve()
        return True

    def _approve(self):
        self.write(
            {
                "state": "approved",
                "approved_date": fields.Datetime.now(),
                "approved_user_id": self.env.uid,
            }
        )
        Card = self.env["aftersales.warranty.card"].sudo()
        for report in self.filtered(lambda r: r.report_type == "installation" and r.lot_id):
            Card._activate_from_installation(
                report.lot_id.aftersales_serial or report.lot_id.name,
                report.submitted_date,
                product=report.product_id,
                partner=report.request_id.partner_id,
            )

    def action_reject(self, reason):
        self._check_decider()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the rejection."))
        for report in self:
            if report.state != "submitted":
                raise UserError(
                    self.env._("Work report %(name)s is not awaiting a decision.", name=report.name)
                )
        self.write({"state": "rejected", "rejection_reason": reason.strip()})
        return True

    # ------------------------------------------------------------------
    # Repeat failures
    # ------------------------------------------------------------------

    def _flag_repeats(self):
        """A repair of a serial within the company's window after a job of the same agent
        on that serial is a repeat (one search for the batch)."""
        repairs = self.filtered(lambda r: r.report_type in REPAIR_TYPES and r.lot_id)
        if not repairs:
            return
        earliest = min(repairs.mapped("submitted_date")) - timedelta(
            days=max(repairs.company_id.mapped("aftersales_agent_repeat_days") or [0])
        )
        earlier = self.search(
            [
                ("lot_id", "in", repairs.lot_id.ids),
                ("agent_id", "in", repairs.agent_id.ids),
                ("state", "in", ("submitted", "approved")),
                ("submitted_date", ">=", earliest),
                ("id", "not in", repairs.ids),
            ],
            order="submitted_date desc, id desc",
        )
        for report in repairs:
            window = timedelta(days=report.company_id.aftersales_agent_repeat_days)
            previous = earlier.filtered(
                lambda e, r=report, w=window: (
                    e.lot_id == r.lot_id
                    and e.agent_id == r.agent_id
                    and r.submitted_date - w <= e.submitted_date <= r.submitted_date
                )
            )[:1]
            if previous:
                report.write({"is_repeat": True, "repeat_of_id": previous.id})

    def action_charge_back(self, reason):
        """Charge the earlier job's fee back to the agent: deducted at the next settlement."""
        self._check_decider()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the chargeback."))
        for report in self:
            earlier = report.repeat_of_id
            if not report.is_repeat or not earlier:
                raise UserError(
                    self.env._("Work report %(name)s is not a repeat repair.", name=report.name)
                )
            if earlier.chargeback_amount:
                raise UserError(
                    self.env._("The fee of %(name)s was already charged back.", name=earlier.name)
                )
            earlier.write(
                {"chargeback_amount": earlier.fee_total, "chargeback_reason": reason.strip()}
            )
        return True

    # ------------------------------------------------------------------
    # The customer's confirmation code
    # ------------------------------------------------------------------

    def _code_secret(self):
        return self.env["ir.config_parameter"].sudo().get_param("database.secret")

    def _send_confirmation_code(self):
        """Text a new one-time code to the customer's mobile (the agent never sees it)."""
        self.ensure_one()
        if self.state != "draft":
            raise UserError(
                self.env._("The visit of a submitted report cannot be confirmed again.")
            )
        mobile = self.request_id.mobile or self.request_id.partner_id.mobile
        if not mobile:
            raise UserError(
                self.env._(
                    "The customer of %(job)s has no mobile number.", job=self.request_id.name
                )
            )
        company = self.company_id
        # The company's own SMS panel, never Odoo's paid SMS service (as in base).
        if not self.env["aftersales.sms.provider"]._for_company(company):
            raise UserError(
                self.env._(
                    "%(company)s sends no SMS: the customer's code cannot be sent. The "
                    "company can approve the report without it.",
                    company=company.name,
                )
            )
        if self.code_sent_count >= company.aftersales_agent_code_tries:
            raise UserError(
                self.env._(
                    "Too many codes were sent for %(name)s: ask the company.", name=self.name
                )
            )
        code = atools.new_code()
        self.sudo().write(
            {
                "code_hash": atools.code_hash(self._code_secret(), self.id, code),
                "code_expiry": fields.Datetime.now()
                + timedelta(minutes=company.aftersales_agent_code_minutes),
                "code_tries": 0,
                "code_sent_count": self.code_sent_count + 1,
            }
        )
        body = self.env._(
            "%(company)s: your confirmation code for the visit of job %(job)s is %(code)s. "
            "Give it to the technician only when the work is done.",
            company=company.name,
            job=self.request_id.name,
            code=code,
        )
        # A plain SMS, not a chatter message: the code must stay out of every thread.
        self.env["sms.sms"].sudo().create({"number": mobile, "body": body})._send()
        return True

    def _confirm_with_code(self, code, method="code"):
        """Check the customer's code: ``(True, "")`` when it matches, else ``(False, why)``.

        Never raises for a wrong code, so that the caller's transaction keeps the count of
        tries (a refusal would roll it back and allow guessing without limit)."""
        self.ensure_one()
        report = self.sudo()
        company = report.company_id
        if report.customer_confirmed:
            return True, ""
        if not report.code_hash:
            return False, self.env._("No code was sent for %(name)s.", name=report.name)
        if report.code_tries >= company.aftersales_agent_code_tries:
            return False, self.env._(
                "Too many wrong codes for %(name)s: send a new code.", name=report.name
            )
        if report.code_expiry and report.code_expiry < fields.Datetime.now():
            return False, self.env._("The code has expired: send a new code.")
        if not atools.same_code(self._code_secret(), report.id, code, report.code_hash):
            report.code_tries += 1
            return False, self.env._("Wrong confirmation code.")
        report.write(
            {
                "customer_confirmed": True,
                "confirmation_method": method,
                "confirmation_date": fields.Datetime.now(),
                "code_hash": False,
            }
        )
        report.message_post(
            body=self.env._(
                "The customer confirmed the visit (%(method)s).",
                method=dict(self._fields["confirmation_method"]._description_selection(self.env))[
                    method
                ],
            )
        )
        return True, ""

    # ------------------------------------------------------------------
    # Settlement (piece: settlement): chargebacks deducted once, fee corrections
    # ------------------------------------------------------------------

    chargeback_settled = fields.Boolean(
        "Chargeback Deducted",
        compute="_compute_chargeback_settled",
        store=True,
        help="The chargeback of this report was deducted in a posted settlement.",
    )

    @api.depends(
        "settlement_line_ids.parent_state", "settlement_line_ids.aftersales_agent_entry_type"
    )
    def _compute_chargeback_settled(self):
        for report in self:
            report.chargeback_settled = any(
                line.parent_state == "posted" and line.aftersales_agent_entry_type == "chargeback"
                for line in report.settlement_line_ids
            )

    def action_correct_fee(self, adjustment, reason):
        """A manager corrects the fee of an approved report: the posted bills stay as
        they are; the difference goes on the agent's next settlement."""
        self._check_adjustment({"fee_adjustment": adjustment, "fee_adjustment_reason": reason})
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the fee correction."))
        for report in self:
            if report.state != "approved":
                raise UserError(
                    self.env._(
                        "Only the fee of an approved work report is corrected; %(name)s is "
                        "not approved.",
                        name=report.name,
                    )
                )
        before = {report: report.fee_total for report in self}
        self.write({"fee_adjustment": adjustment, "fee_adjustment_reason": reason.strip()})
        for report in self:
            report.message_post(
                body=self.env._(
                    "Fee corrected from %(before)s to %(after)s: %(reason)s. Any difference "
                    "with what was settled goes on the agent's next settlement.",
                    before=format_amount(self.env, before[report], report.currency_id),
                    after=format_amount(self.env, report.fee_total, report.currency_id),
                    reason=reason.strip(),
                )
            )
        return True
