"""The request as an agent's job: its state in the agent's cartable, the history of its
assignments, why the routing skipped an agent, and its work reports."""

from odoo import api, fields, models
from odoo.exceptions import UserError

#: Fields whose change can give a request another agent.
ROUTING_KEYS = frozenset({"agent_id", "state_id", "city", "service_type_id", "company_id"})

AGENT_STATES = [
    ("new", "New"),
    ("accepted", "Accepted"),
    ("scheduled", "Scheduled"),
    ("in_progress", "In Progress"),
    ("reported", "Reported"),
]


class AftersalesRequest(models.Model):
    _inherit = "aftersales.request"

    agent_state = fields.Selection(
        AGENT_STATES,
        "Job Status",
        index=True,
        tracking=True,
        copy=False,
        help="Where the job stands in the agent's cartable.",
    )
    agent_routing_note = fields.Char(
        "Routing Note",
        compute="_compute_routing_rule_id",
        store=True,
        readonly=True,
        precompute=True,
    )
    agent_assignment_ids = fields.One2many(
        "aftersales.agent.assignment", "request_id", string="Assignments"
    )
    work_report_ids = fields.One2many("aftersales.work.report", "request_id", string="Work Reports")
    work_report_count = fields.Integer(compute="_compute_work_report_count")

    @api.depends("state_id", "city", "service_type_id", "company_id")
    def _compute_routing_rule_id(self):
        """Base's routing, with the agents' service types and capacity (see the rule)."""
        requests = self.filtered("state_id")
        (self - requests).routing_rule_id = False
        (self - requests).agent_routing_note = False
        for company in requests.company_id:
            batch = requests.filtered(lambda r, c=company: r.company_id == c)
            routed = self.env["aftersales.routing.rule"]._route_many_explained(
                [(r.state_id, r.city, r.service_type_id) for r in batch], company=company
            )
            for request, (rule, note) in zip(batch, routed, strict=True):
                request.routing_rule_id = rule
                request.agent_routing_note = note or False

    def _compute_work_report_count(self):
        counts = dict(
            self.env["aftersales.work.report"]._read_group(
                [("request_id", "in", self.ids)], ["request_id"], ["__count"]
            )
        )
        for request in self:
            request.work_report_count = counts.get(request, 0)

    # ------------------------------------------------------------------
    # Assignment history
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        requests = super().create(vals_list)
        assigned = requests.filtered("agent_id")
        assigned.agent_state = "new"
        assigned._log_assignment("assigned")
        return requests

    def write(self, vals):
        # The agent changes by hand or by routing again (a new province, city or type).
        if not ROUTING_KEYS & vals.keys():
            return super().write(vals)
        before = {request: request.agent_id for request in self}
        result = super().write(vals)
        changed = self.filtered(lambda r: r.agent_id != before[r])
        if changed:
            previous = changed.filtered(lambda r: before[r])
            if self.env.context.get("aftersales_agent_declined"):
                previous = previous.browse()  # the decline is the history row
            for request in previous:
                request._log_assignment("reassigned", agent=before[request])
            assigned = changed.filtered("agent_id")
            assigned.with_context(tracking_disable=True).agent_state = "new"
            (changed - assigned).agent_state = False
            assigned._log_assignment("assigned")
        return result

    def _log_assignment(self, outcome, reason=None, agent=None):
        self.env["aftersales.agent.assignment"].sudo().create(
            [
                {
                    "request_id": request.id,
                    "agent_id": (agent or request.agent_id).id,
                    "outcome": outcome,
                    "reason": reason or False,
                }
                for request in self
            ]
        )

    # ------------------------------------------------------------------
    # The agent's actions (portal and backend)
    # ------------------------------------------------------------------

    def _check_agent_job(self, agent):
        """Refuse unless every request is an open job of ``agent``."""
        for request in self:
            if not agent or request.agent_id != agent:
                raise UserError(
                    self.env._("Request %(name)s is not a job of yours.", name=request.name)
                )
            if request.is_closed:
                raise UserError(self.env._("Request %(name)s is closed.", name=request.name))

    def _agent_accept(self, agent):
        self._check_agent_job(agent)
        for request in self:
            if request.agent_state not in (False, "new"):
                raise UserError(self.env._("Job %(name)s was already accepted.", name=request.name))
        self.agent_state = "accepted"
        self._log_assignment("accepted")

    def _agent_decline(self, agent, reason):
        self._check_agent_job(agent)
        if not (reason or "").strip():
            raise UserError(self.env._("Say why you decline the job."))
        for request in self:
            if request.agent_state not in (False, "new", "accepted"):
                raise UserError(
                    self.env._(
                        "Job %(name)s is under way: ask the company to reassign it.",
                        name=request.name,
                    )
                )
        self._log_assignment("declined", reason=reason.strip())
        self.with_context(aftersales_agent_declined=True).write({"agent_id": False})
        for request in self:
            request.message_post(
                body=self.env._(
                    "Job declined by %(agent)s: %(reason)s",
                    agent=agent.display_name,
                    reason=reason.strip(),
                )
            )

    def _agent_schedule(self, agent, when):
        self._check_agent_job(agent)
        if not when:
            raise UserError(self.env._("Give the date and time of the visit."))
        self.write({"scheduled_date": when, "agent_state": "scheduled"})

    def _agent_start(self, agent):
        self._check_agent_job(agent)
        self.agent_state = "in_progress"

    def action_view_work_reports(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_agent.aftersales_work_report_action"
        )
        action["domain"] = [("request_id", "=", self.id)]
        action["context"] = {"default_request_id": self.id}
        return action

    # ------------------------------------------------------------------
    # In-house technicians (R-AGT-7): the job's fee, the parts the technician used,
    # the commission entry that paid the job and the cash collected on it.
    # ------------------------------------------------------------------

    technician_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Technician Currency"
    )
    technician_job_fee = fields.Monetary(
        "Job Fee",
        currency_field="technician_currency_id",
        copy=False,
        tracking=True,
        help="What the customer is charged for an in-house technician's work (without "
        "parts); the technician's percentage commission is computed on it.",
    )
    technician_part_ids = fields.One2many(
        "aftersales.technician.job.part", "request_id", string="Technician Parts"
    )
    technician_commission_move_id = fields.Many2one(
        "account.move",
        string="Commission Entry",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Journal entry that paid the technician's commission on this job; a job is "
        "commissioned once.",
    )
    technician_cash_ids = fields.One2many(
        "aftersales.technician.cash", "request_id", string="Cash Collected"
    )

    _sql_constraints = [
        (
            "technician_job_fee_positive",
            "CHECK(technician_job_fee IS NULL OR technician_job_fee >= 0)",
            "The job fee cannot be negative.",
        ),
    ]

    @api.constrains("technician_job_fee")
    def _check_technician_job_fee_open(self):
        for request in self:
            if request.technician_job_fee < 0:
                raise UserError(self.env._("The job fee cannot be negative."))
            if request.technician_commission_move_id:
                raise UserError(
                    self.env._(
                        "The fee of job %(name)s was commissioned in %(entry)s: it can no "
                        "longer change.",
                        name=request.name,
                        entry=request.sudo().technician_commission_move_id.name,
                    )
                )

    def _check_technician_parts_open(self):
        """Parts of a commissioned job are part of a posted entry: they stay as they are."""
        commissioned = self.filtered("technician_commission_move_id")
        if commissioned:
            raise UserError(
                self.env._(
                    "Job %(name)s was commissioned: its parts can no longer change.",
                    name=commissioned[0].name,
                )
            )
