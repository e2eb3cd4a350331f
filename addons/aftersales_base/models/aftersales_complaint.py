"""Complaints console (R-CMP, ISO 10002): register, acknowledge, resolve, inform, close."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import build_xlsx
from .aftersales_team import technician_domain

SATISFACTION = [
    ("1", "Very Dissatisfied"),
    ("2", "Dissatisfied"),
    ("3", "Neutral"),
    ("4", "Satisfied"),
    ("5", "Very Satisfied"),
]


class AftersalesComplaintFactor(models.Model):
    _name = "aftersales.complaint.factor"
    _inherit = ["aftersales.code.mixin"]
    _description = "Complaint Factor"
    _aftersales_code_in_name = False

    _sql_constraints = [("code_uniq", "unique(code)", "The complaint factor code must be unique.")]


class AftersalesComplaintStage(models.Model):
    _name = "aftersales.complaint.stage"
    _inherit = ["aftersales.code.mixin"]
    _description = "Complaint Stage"
    _aftersales_code_in_name = False

    fold = fields.Boolean("Folded in Kanban")
    is_closed = fields.Boolean(
        "Closing Stage", help="Complaints in this stage are closed: result and customer informed."
    )

    _sql_constraints = [("code_uniq", "unique(code)", "The complaint stage code must be unique.")]


class AftersalesComplaint(models.Model):
    _name = "aftersales.complaint"
    _description = "Complaint"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "received_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        "Complaint Number", required=True, readonly=True, copy=False, index=True, default="/"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    request_id = fields.Many2one(
        "aftersales.request",
        string="Service Request",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
    )
    commercial_partner_id = fields.Many2one(related="partner_id.commercial_partner_id", store=True)
    channel_id = fields.Many2one("aftersales.channel", tracking=True)
    received_date = fields.Datetime(
        required=True, default=fields.Datetime.now, index=True, tracking=True
    )
    description = fields.Text(required=True)
    factor_ids = fields.Many2many("aftersales.complaint.factor", string="Complaint Factors")
    product_id = fields.Many2one(
        "product.product",
        string="Device",
        compute="_compute_from_request",
        store=True,
        readonly=False,
        index="btree_not_null",
    )
    agent_id = fields.Many2one(
        "res.partner",
        string="Service Agent",
        compute="_compute_from_request",
        store=True,
        readonly=False,
        index="btree_not_null",
        domain="[('is_aftersales_agent', '=', True)]",
    )
    technician_id = fields.Many2one(
        "res.users",
        domain=technician_domain,
        compute="_compute_from_request",
        store=True,
        readonly=False,
        index="btree_not_null",
    )
    stage_id = fields.Many2one(
        "aftersales.complaint.stage",
        index=True,
        tracking=True,
        copy=False,
        group_expand="_read_group_stage_ids",
        default=lambda self: self.env["aftersales.complaint.stage"].search(
            [("is_closed", "=", False)], limit=1
        ),
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        domain="[('share', '=', False)]",
        default=lambda self: self.env.user,
    )
    ack_deadline = fields.Datetime(
        "Acknowledge By", compute="_compute_deadlines", store=True, index=True
    )
    resolution_deadline = fields.Datetime(
        "Resolve By", compute="_compute_deadlines", store=True, index=True
    )
    acknowledged_date = fields.Datetime(readonly=True, copy=False, tracking=True)
    result = fields.Text(tracking=True)
    customer_informed_date = fields.Datetime("Customer Informed On", copy=False, tracking=True)
    closed_date = fields.Datetime(readonly=True, copy=False, index=True)
    satisfaction = fields.Selection(SATISFACTION, "Satisfaction with the Handling", tracking=True)
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    penalty_ids = fields.One2many("aftersales.complaint.penalty", "complaint_id", "Negative Points")
    penalty_points = fields.Integer(
        "Total Negative Points", compute="_compute_penalty_points", store=True
    )

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "The complaint number must be unique."),
    ]

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([], order=stages._order)  # pylint: disable=no-search-all

    @api.depends("request_id")
    def _compute_from_request(self):
        for complaint in self:
            request = complaint.request_id
            complaint.product_id = request.line_ids[:1].product_id or complaint.product_id
            complaint.agent_id = request.agent_id or complaint.agent_id
            complaint.technician_id = request.technician_id or complaint.technician_id

    @api.depends("received_date", "company_id")
    def _compute_deadlines(self):
        for complaint in self:
            if not complaint.received_date:
                complaint.ack_deadline = complaint.resolution_deadline = False
                continue
            company = complaint.company_id or self.env.company
            complaint.ack_deadline = complaint.received_date + timedelta(
                hours=company.aftersales_complaint_ack_hours
            )
            complaint.resolution_deadline = complaint.received_date + timedelta(
                days=company.aftersales_complaint_resolution_days
            )

    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for complaint in self:
            complaint.is_overdue = not complaint.is_closed and (
                (not complaint.acknowledged_date and complaint.ack_deadline < now)
                or complaint.resolution_deadline < now
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue complaints."))
        now = fields.Datetime.now()
        domain = [
            "&",
            ("is_closed", "=", False),
            "|",
            "&",
            ("acknowledged_date", "=", False),
            ("ack_deadline", "<", now),
            ("resolution_deadline", "<", now),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", *domain]

    @api.depends("penalty_ids.points")
    def _compute_penalty_points(self):
        for complaint in self:
            complaint.penalty_points = sum(complaint.penalty_ids.mapped("points"))

    @api.constrains("received_date", "customer_informed_date")
    def _check_dates(self):
        for complaint in self:
            if (
                complaint.customer_informed_date
                and complaint.customer_informed_date < complaint.received_date
            ):
                raise ValidationError(
                    self.env._(
                        "Complaint %(name)s: the customer cannot be informed before the "
                        "complaint was received.",
                        name=complaint.name,
                    )
                )

    @api.constrains("stage_id", "result", "customer_informed_date")
    def _check_closing(self):
        # ``stage_id`` has a default: this runs on every create, whatever keys were sent;
        # it also refuses removing the result or the informed date of a closed complaint.
        self.filtered("is_closed")._check_can_close({})

    @api.model_create_multi
    def create(self, vals_list):
        self.env["ir.sequence"]._aftersales_number(vals_list, "aftersales.complaint")
        complaints = super().create(vals_list)
        closed = complaints.filtered(lambda c: c.is_closed and not c.closed_date)
        if closed:
            closed.closed_date = fields.Datetime.now()
        complaints._schedule_acknowledgement()
        return complaints

    def write(self, vals):
        if "stage_id" in vals:
            stage = self.env["aftersales.complaint.stage"].browse(vals["stage_id"])
            if stage.is_closed:
                # Refused before anything is written (the constraint checks it again).
                self._check_can_close(vals)
                vals.setdefault("closed_date", fields.Datetime.now())
            else:
                vals["closed_date"] = False
        res = super().write(vals)
        if "user_id" in vals:
            self._schedule_acknowledgement()
        return res

    def action_acknowledge(self):
        for complaint in self.filtered(lambda c: not c.acknowledged_date):
            complaint.acknowledged_date = fields.Datetime.now()
            complaint.activity_feedback(
                ["mail.mail_activity_data_todo"],
                feedback=self.env._("Complaint acknowledged."),
            )
        return True

    def action_customer_informed(self):
        self.filtered(
            lambda c: not c.customer_informed_date
        ).customer_informed_date = fields.Datetime.now()
        return True

    def action_export_xlsx(self):
        return {
            "type": "ir.actions.act_url",
            "url": "/aftersales/complaints/xlsx?ids=" + ",".join(map(str, self.ids)),
            "target": "self",
        }

    def _check_can_close(self, vals):
        for complaint in self:
            result = vals.get("result", complaint.result)
            informed = vals.get("customer_informed_date", complaint.customer_informed_date)
            if not (result or "").strip() or not informed:
                raise ValidationError(
                    self.env._(
                        "Complaint %(name)s cannot be closed before its result is written "
                        "and the customer has been informed.",
                        name=complaint.name,
                    )
                )

    def _schedule_acknowledgement(self):
        """A to-do on the responsible, due at the acknowledgement deadline."""
        pending = self.filtered(lambda c: c.user_id and not c.acknowledged_date and not c.is_closed)
        pending.activity_unlink(["mail.mail_activity_data_todo"])
        for complaint in pending:
            complaint.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.to_date(complaint.ack_deadline),
                summary=self.env._("Acknowledge complaint %(name)s", name=complaint.name),
                user_id=complaint.user_id.id,
            )

    def _xlsx_export(self):
        """Bytes of the XLSX listing of these complaints, in the reader's language."""
        lang = self.env.lang or "en_US"
        persian = lang.startswith("fa")
        columns = [
            (self.env._("Complaint Number"), "text"),
            (self.env._("Received"), "datetime"),
            (self.env._("Customer"), "text"),
            (self.env._("Service Request"), "text"),
            (self.env._("Device"), "text"),
            (self.env._("Service Agent"), "text"),
            (self.env._("Technician"), "text"),
            (self.env._("Complaint Factors"), "text"),
            (self.env._("Stage"), "text"),
            (self.env._("Responsible"), "text"),
            (self.env._("Acknowledge By"), "datetime"),
            (self.env._("Resolve By"), "datetime"),
            (self.env._("Closed On"), "datetime"),
            (self.env._("Negative Points"), "integer"),
        ]

        def local(value):
            return value and fields.Datetime.context_timestamp(self, value).replace(tzinfo=None)

        rows = [
            [
                c.name,
                local(c.received_date),
                c.partner_id.display_name,
                c.request_id.name,
                c.product_id.display_name,
                c.agent_id.display_name,
                c.technician_id.name,
                ", ".join(c.factor_ids.mapped("name")),
                c.stage_id.name,
                c.user_id.name,
                local(c.ack_deadline),
                local(c.resolution_deadline),
                local(c.closed_date),
                c.penalty_points,
            ]
            for c in self
        ]
        return build_xlsx(self.env._("Complaints"), columns, rows, rtl=persian, jalali=persian)


class AftersalesComplaintPenalty(models.Model):
    """Negative points against an agent or a technician (R-CMP-3), summed per period."""

    _name = "aftersales.complaint.penalty"
    _description = "Complaint Negative Points"
    _order = "date desc, id desc"

    complaint_id = fields.Many2one(
        "aftersales.complaint", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True)
    date = fields.Date(
        compute="_compute_date",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        required=True,
    )
    agent_id = fields.Many2one(
        "res.partner",
        string="Service Agent",
        index="btree_not_null",
        domain="[('is_aftersales_agent', '=', True)]",
    )
    technician_id = fields.Many2one("res.users", index="btree_not_null", domain=technician_domain)
    points = fields.Integer(required=True, default=1)
    reason = fields.Char(required=True)

    _sql_constraints = [
        (
            "points_positive",
            "CHECK(points > 0)",
            "Negative points are counted as a positive number.",
        ),
        (
            "one_target",
            "CHECK((agent_id IS NULL) != (technician_id IS NULL))",
            "Negative points go to either a service agent or a technician.",
        ),
    ]

    @api.depends("complaint_id.received_date")
    def _compute_date(self):
        for penalty in self:
            penalty.date = fields.Date.to_date(penalty.complaint_id.received_date) or penalty.date

    @api.model
    def _points_by_target(self, date_from, date_to, target="agent_id"):
        """``{agent or technician: points}`` for a period, in one grouped query."""
        groups = self._read_group(
            [("date", ">=", date_from), ("date", "<=", date_to), (target, "!=", False)],
            [target],
            ["points:sum"],
        )
        return dict(groups)
