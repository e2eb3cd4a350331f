"""Happy calls (R-SRV-2/3/6): a call queued when a job is done (always for in-house
jobs, a reproducible sample of each agent's jobs, never the same customer twice within
the company's gap), worked by operators attempt by attempt, answered on the job's
questionnaire (by the operator for the customer, or by the customer from an SMS link),
locked once submitted; an unhappy score opens a linked complaint, interest or an old
device out of warranty an opportunity."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .. import tools as vtools

STATES = [
    ("queued", "To Call"),
    ("callback", "Call Back"),
    ("in_progress", "Answering"),
    ("done", "Answered"),
    ("refused", "Refused"),
    ("cancel", "Cancelled"),
]
OPEN = ("queued", "callback", "in_progress")
OPERATOR = "aftersales_base.group_aftersales_operator"


class AftersalesHappyCall(models.Model):
    _name = "aftersales.happy.call"
    _description = "Happy Call"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "priority_date, id"
    _check_company_auto = True

    name = fields.Char(related="request_id.name", store=True, string="Job Number")
    company_id = fields.Many2one("res.company", required=True, index=True)
    request_id = fields.Many2one(
        "aftersales.request", string="Job", required=True, index=True, ondelete="cascade"
    )
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True)
    mobile = fields.Char(related="request_id.mobile")
    agent_id = fields.Many2one("res.partner", string="Service Agent", index="btree_not_null")
    technician_id = fields.Many2one("res.users", index="btree_not_null")
    service_type_id = fields.Many2one("aftersales.service.type", index=True)
    product_id = fields.Many2one("product.product", string="Device", index="btree_not_null")
    done_date = fields.Datetime("Job Done On", index=True)
    survey_id = fields.Many2one("survey.survey", string="Questionnaire", required=True)
    user_input_id = fields.Many2one("survey.user_input", string="Answers", readonly=True)
    state = fields.Selection(STATES, required=True, default="queued", index=True, tracking=True)
    priority_date = fields.Datetime(
        "Queued Since",
        required=True,
        default=fields.Datetime.now,
        index=True,
        help="The oldest calls come first; a call back is due at its time.",
    )
    callback_at = fields.Datetime("Call Back At", tracking=True)
    attempt_ids = fields.One2many("aftersales.happy.call.attempt", "call_id", readonly=True)
    attempt_count = fields.Integer(compute="_compute_attempt_count", store=True)
    answered_date = fields.Datetime(readonly=True, index=True)
    answered_user_id = fields.Many2one("res.users", "Answered With", readonly=True)
    score = fields.Float("Satisfaction (%)", readonly=True, aggregator="avg")
    is_unhappy = fields.Boolean("Unhappy", readonly=True, index=True)
    interested = fields.Boolean("Interested in Buying", readonly=True)
    complaint_id = fields.Many2one("aftersales.complaint", readonly=True, index="btree_not_null")
    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True)
    age_days = fields.Integer("Waiting (days)", compute="_compute_age_days")

    _sql_constraints = [
        ("request_unique", "UNIQUE(request_id)", "A job has one happy call."),
    ]

    @api.depends("attempt_ids")
    def _compute_attempt_count(self):
        for call in self:
            call.attempt_count = len(call.attempt_ids)

    def _compute_age_days(self):
        now = fields.Datetime.now()
        for call in self:
            call.age_days = (now - call.priority_date).days if call.priority_date else 0

    # ------------------------------------------------------------------
    # Queue
    # ------------------------------------------------------------------

    @api.model
    def _queue_for(self, requests):
        """Queue the calls of done jobs: in-house jobs always, agent jobs by sample; a
        customer called within the gap is skipped (one search for the batch)."""
        requests = requests.filtered(lambda r: r.done_date and not r.stage_id.is_cancel)
        if not requests:
            return self.browse()
        existing = self.sudo().search([("request_id", "in", requests.ids)]).request_id
        requests -= existing
        seed = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        chosen = self.env["aftersales.request"]
        for request in requests:
            if not request.agent_id:
                chosen |= request
                continue
            share = request.agent_id.aftersales_happy_call_share
            if share is None or share < 0:
                share = request.company_id.aftersales_happy_call_share
            if vtools.sampled(seed, request.id, share):
                chosen |= request
        if not chosen:
            return self.browse()
        gap = max(chosen.company_id.mapped("aftersales_happy_call_gap_days") or [0])
        since = min(chosen.mapped("done_date")) - timedelta(days=gap)
        recent = self.sudo().search(
            [
                ("partner_id", "in", chosen.partner_id.ids),
                ("done_date", ">=", since),
                ("state", "!=", "cancel"),
            ]
        )
        last_call = {}
        for call in recent:
            last_call.setdefault(call.partner_id, []).append(call.done_date)
        vals_list = []
        for request in chosen.sorted("done_date"):
            window = timedelta(days=request.company_id.aftersales_happy_call_gap_days)
            dates = last_call.get(request.partner_id, []) if window else []
            if any(request.done_date - window <= d <= request.done_date + window for d in dates):
                continue
            survey = request._aftersales_happy_call_survey()
            if not survey:
                continue
            last_call.setdefault(request.partner_id, []).append(request.done_date)
            vals_list.append(self._values_for(request, survey))
        return self.sudo().create(vals_list)

    @api.model
    def _values_for(self, request, survey):
        return {
            "company_id": request.company_id.id,
            "request_id": request.id,
            "partner_id": request.partner_id.id,
            "agent_id": request.agent_id.id,
            "technician_id": request.technician_id.id,
            "service_type_id": request.service_type_id.id,
            "product_id": request.line_ids[:1].product_id.id,
            "done_date": request.done_date,
            "survey_id": survey.id,
            "priority_date": request.done_date,
        }

    # ------------------------------------------------------------------
    # Operator's work
    # ------------------------------------------------------------------

    def _check_caller(self):
        """Operators call; nobody rates their own job."""
        user = self.env.user
        if not self.env.su and not user.has_group(OPERATOR):
            raise AccessError(self.env._("Only after-sales operators make happy calls."))
        for call in self:
            own = call.technician_id == user or (
                call.agent_id and user.partner_id.commercial_partner_id == call.agent_id
            )
            if own:
                raise AccessError(
                    self.env._(
                        "You worked on job %(job)s: someone else makes its happy call.",
                        job=call.request_id.name,
                    )
                )

    def _check_open(self):
        closed = self.filtered(lambda c: c.state not in OPEN)
        if closed:
            raise UserError(
                self.env._(
                    "The happy calls of %(jobs)s are closed.",
                    jobs=", ".join(closed.mapped("request_id.name")),
                )
            )

    def action_log_attempt(self, outcome, callback_at=None, note=None):
        """Record an attempt: no answer, call back at a time, refused."""
        self._check_caller()
        self._check_open()
        if outcome == "callback" and not callback_at:
            raise UserError(self.env._("Give the time to call back."))
        self.env["aftersales.happy.call.attempt"].create(
            [
                {"call_id": call.id, "outcome": outcome, "callback_at": callback_at, "note": note}
                for call in self
            ]
        )
        if outcome == "refused":
            self.write({"state": "refused"})
        elif outcome == "callback":
            self.write(
                {"state": "callback", "callback_at": callback_at, "priority_date": callback_at}
            )
        return True

    def _answer_input(self):
        """The survey answer of the call (made when missing), for the customer."""
        self.ensure_one()
        if not self.user_input_id:
            answer = self.survey_id.sudo()._create_answer(
                partner=self.partner_id, check_attempts=False
            )
            answer.aftersales_happy_call_id = self
            self.sudo().user_input_id = answer
        return self.user_input_id.sudo()

    def action_answer(self):
        """The operator answers the questionnaire for the customer, on the phone."""
        self.ensure_one()
        self._check_caller()
        self._check_open()
        answer = self._answer_input()
        self.env["aftersales.happy.call.attempt"].create(
            {"call_id": self.id, "outcome": "answered"}
        )
        self.write({"state": "in_progress", "answered_user_id": self.env.uid})
        return {
            "type": "ir.actions.act_url",
            "target": "new",
            "url": answer.get_start_url(),
        }

    def action_send_link(self):
        """Text the customer a personal link to answer it alone."""
        self._check_caller()
        self._check_open()
        Provider = self.env["aftersales.sms.provider"]
        for call in self:
            if not call.mobile:
                raise UserError(
                    self.env._("The customer of %(job)s has no mobile.", job=call.request_id.name)
                )
            if not Provider._for_company(call.company_id):
                raise UserError(
                    self.env._(
                        "%(company)s sends no SMS: call the customer instead.",
                        company=call.company_id.name,
                    )
                )
            answer = call._answer_input()
            url = f"{call.get_base_url()}{answer.get_start_url()}"
            body = self.env._(
                "%(company)s: how was our service on %(job)s? Tell us here: %(url)s",
                company=call.company_id.name,
                job=call.request_id.name,
                url=url,
            )
            self.env["sms.sms"].sudo().create({"number": call.mobile, "body": body})._send()
            call.message_post(body=self.env._("Link to the questionnaire sent by SMS."))
        return True

    # ------------------------------------------------------------------
    # Answered
    # ------------------------------------------------------------------

    def _on_answered(self):
        """Score the call; unhappy opens a complaint, interest or an old device out of
        warranty an opportunity."""
        for call in self.sudo():
            answer = call.user_input_id
            interested = any(
                line.suggested_answer_id.aftersales_interest for line in answer.user_input_line_ids
            )
            score = answer.scoring_percentage
            call.write(
                {
                    "state": "done",
                    "answered_date": fields.Datetime.now(),
                    "score": score,
                    "is_unhappy": score < call.company_id.aftersales_happy_call_threshold,
                    "interested": interested,
                }
            )
        unhappy = self.sudo().filtered(lambda c: c.is_unhappy and not c.complaint_id)
        unhappy._open_complaints()
        self.sudo()._offer_opportunities()

    def _open_complaints(self):
        Complaint = self.env["aftersales.complaint"].sudo()
        for call in self:
            call.complaint_id = Complaint.create(
                {
                    "company_id": call.company_id.id,
                    "partner_id": call.partner_id.id,
                    "request_id": call.request_id.id,
                    "description": self.env._(
                        "Happy call of %(job)s scored %(score)s%%, under the company's "
                        "threshold of %(threshold)s%%.",
                        job=call.request_id.name,
                        score=round(call.score, 1),
                        threshold=call.company_id.aftersales_happy_call_threshold,
                    ),
                }
            )
            call.message_post(
                body=self.env._(
                    "Unhappy customer: complaint %(complaint)s opened.",
                    complaint=call.complaint_id.name,
                )
            )

    def _offer_opportunities(self):
        source = self.env.ref("aftersales_warranty.utm_source_aftersales", raise_if_not_found=False)
        Lead = self.env["crm.lead"].sudo()
        for call in self.filtered(lambda c: not c.lead_id):
            why = None
            if call.interested:
                why = self.env._("The customer showed interest in buying during the happy call.")
            else:
                why = call._old_device_reason()
            if not why:
                continue
            call.lead_id = Lead.create(
                {
                    "name": self.env._(
                        "After-sales: %(customer)s (%(job)s)",
                        customer=call.partner_id.display_name,
                        job=call.request_id.name,
                    ),
                    "type": "opportunity",
                    "partner_id": call.partner_id.id,
                    "company_id": call.company_id.id,
                    "source_id": source.id if source else False,
                    "description": why,
                    "aftersales_request_id": call.request_id.id,
                }
            )

    def _old_device_reason(self):
        """A device out of warranty and old enough: time to offer a new one."""
        self.ensure_one()
        line = self.request_id.line_ids[:1]
        if not line.lot_id:
            return None
        Card = self.env["aftersales.warranty.card"].sudo()
        check = Card._check_warranty(
            line.lot_id.aftersales_serial or line.lot_id.name, product=line.product_id
        )
        if check.status == "in_warranty":
            return None
        card = Card.search([("lot_id", "=", line.lot_id.id)], limit=1)
        born = card.start_date or fields.Date.to_date(line.lot_id.create_date)
        years = self.company_id.aftersales_crm_device_age_years
        if not born or (fields.Date.context_today(self) - born).days < years * 365:
            return None
        return self.env._(
            "The device %(device)s is out of warranty and %(years)s years old or more.",
            device=line.product_id.display_name,
            years=years,
        )

    def action_open_answers(self):
        self.ensure_one()
        if not self.user_input_id:
            raise UserError(self.env._("The call has no answers yet."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "survey.user_input",
            "res_id": self.user_input_id.id,
            "view_mode": "form",
        }
