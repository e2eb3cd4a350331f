"""Agent tickets: a question or a dispute an agent raises to the company from the portal
(about a fee, a rejected report, a core charge...), answered in the backend through the
chatter. The agent's portal users follow the tickets of their agent, and only those."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

TICKET_TYPES = [
    ("question", "Question"),
    ("fee_dispute", "Fee Dispute"),
    ("rejected_report", "Rejected Report"),
    ("core_charge", "Core Charge"),
    ("other", "Other"),
]
TICKET_STATES = [
    ("new", "New"),
    ("in_progress", "In Progress"),
    ("answered", "Answered"),
    ("closed", "Closed"),
]
MANAGER = "aftersales_base.group_aftersales_manager"
TODO = "mail.mail_activity_data_todo"


class AftersalesAgentTicket(models.Model):
    _name = "aftersales.agent.ticket"
    _description = "Agent Ticket"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "subject"]

    name = fields.Char(
        "Number", required=True, readonly=True, copy=False, default=lambda s: s.env._("New")
    )
    subject = fields.Char(required=True, tracking=True)
    ticket_type = fields.Selection(
        TICKET_TYPES, "Type", required=True, default="question", index=True, tracking=True
    )
    agent_id = fields.Many2one(
        "res.partner",
        string="Service Agent",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_aftersales_agent', '=', True)]",
    )
    portal_user_id = fields.Many2one(
        "res.users",
        string="Raised By",
        index="btree_not_null",
        help="The agent's portal user who raised the ticket.",
    )
    work_report_id = fields.Many2one(
        "aftersales.work.report",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        domain="[('agent_id', '=', agent_id)]",
    )
    state = fields.Selection(
        TICKET_STATES, required=True, default="new", index=True, tracking=True, copy=False
    )
    description = fields.Text(required=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        domain=lambda self: [("groups_id", "in", self.env.ref(MANAGER).ids)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    answered_date = fields.Datetime("Last Answer", readonly=True, copy=False)
    closed_date = fields.Datetime("Closed On", readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for ticket in self:
            ticket.access_url = f"/my/tickets/{ticket.id}"

    @api.constrains("agent_id", "work_report_id")
    def _check_work_report_agent(self):
        for ticket in self.sudo():
            if ticket.work_report_id and ticket.work_report_id.agent_id != ticket.agent_id:
                raise ValidationError(
                    self.env._(
                        "Work report %(report)s is not one of %(agent)s's reports.",
                        report=ticket.work_report_id.name,
                        agent=ticket.agent_id.display_name,
                    )
                )

    @api.constrains("agent_id")
    def _check_agent(self):
        for ticket in self.sudo():
            if not ticket.agent_id.is_aftersales_agent:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is not a service agent.", partner=ticket.agent_id.display_name
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        Partner = self.env["res.partner"]
        for vals in vals_list:
            if vals.get("agent_id"):
                # Tickets belong to the agent (company), not to one of its contacts.
                vals["agent_id"] = Partner.browse(vals["agent_id"]).commercial_partner_id.id
        self.env["ir.sequence"]._aftersales_number(vals_list, "aftersales.agent.ticket")
        tickets = super().create(vals_list)
        tickets._subscribe_agent_users()
        tickets._schedule_new_ticket_activities()
        return tickets

    def write(self, vals):
        if "agent_id" in vals and self.filtered(lambda t: t.agent_id.id != vals["agent_id"]):
            raise UserError(self.env._("The agent of a ticket cannot be changed."))
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_start(self):
        self.filtered(lambda t: t.state == "new").write({"state": "in_progress"})

    def action_close(self):
        self.write({"state": "closed", "closed_date": fields.Datetime.now()})
        self.activity_feedback([TODO])

    def action_reopen(self):
        self.filtered(lambda t: t.state == "closed").write(
            {"state": "in_progress", "closed_date": False}
        )

    # ------------------------------------------------------------------
    # Chatter
    # ------------------------------------------------------------------

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        if message.message_type == "comment" and message.subtype_id:
            self._track_answer(message)
        return message

    def _track_answer(self, message):
        """A public message from the company answers the ticket; one from the agent's side
        puts it back in the company's hands. Internal notes change nothing."""
        if self.state == "closed":
            return
        author_user = message.author_id.user_ids[:1]
        if author_user and not author_user.share:
            if message.subtype_id == self.env.ref("mail.mt_comment"):
                self.sudo().write({"state": "answered", "answered_date": fields.Datetime.now()})
                self.sudo().activity_feedback([TODO])
        elif message.author_id.commercial_partner_id == self.agent_id and self.state == "answered":
            self.sudo().write({"state": "in_progress"})

    def _subscribe_agent_users(self):
        """The agent's portal users follow their agent's tickets (and no one else's)."""
        for agent, tickets in self.grouped("agent_id").items():
            users = agent.sudo().aftersales_agent_user_ids
            partners = users.partner_id | tickets.portal_user_id.partner_id
            if partners:
                tickets.sudo().message_subscribe(partner_ids=partners.ids)

    def _schedule_new_ticket_activities(self):
        """A to-do for the responsible, or for the company's after-sales managers."""
        managers = self.env.ref(MANAGER).sudo().users.filtered(lambda u: not u.share)
        activity_type = self.env.ref(TODO)
        model_id = self.env["ir.model"]._get_id(self._name)
        values = []
        for ticket in self:
            users = ticket.user_id or managers.filtered(
                lambda u, t=ticket: t.company_id in u.company_ids
            )
            values += [
                {
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "activity_type_id": activity_type.id,
                    "user_id": user.id,
                    # Automated: done by itself when the ticket is answered or closed.
                    "automated": True,
                    "summary": self.env._("New agent ticket: %(subject)s", subject=ticket.subject),
                }
                for user in users
            ]
        if values:
            self.env["mail.activity"].sudo().create(values)

    def _mail_get_partners(self, introspect_fields=False):
        # The portal "customer" of a ticket is the user who raised it.
        return {ticket.id: ticket.portal_user_id.partner_id for ticket in self}

    # ------------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------------

    @api.model
    def _aftersales_create_from_portal(self, user, values):
        """Create a ticket for ``user``'s agent from whitelisted portal values
        (``subject``, ``ticket_type``, ``description``, ``work_report_id``)."""
        agent = self.env["res.partner"]._aftersales_agent_of(user)
        if not agent:
            raise UserError(self.env._("Only the users of a service agent can raise tickets."))
        subject = (values.get("subject") or "").strip()
        description = (values.get("description") or "").strip()
        ticket_type = values.get("ticket_type") or ""
        if not subject:
            raise ValidationError(self.env._("Give your ticket a subject."))
        if not description:
            raise ValidationError(self.env._("Describe your question or dispute."))
        if ticket_type not in dict(TICKET_TYPES):
            raise ValidationError(self.env._("Choose the type of your ticket."))
        report = self.env["aftersales.work.report"]
        report_id = values.get("work_report_id") or 0
        if report_id:
            report = (
                self.env["aftersales.work.report"]
                .sudo()
                .search([("id", "=", report_id), ("agent_id", "=", agent.id)], limit=1)
            )
            if not report:
                raise ValidationError(
                    self.env._("The work report you chose is not one of your agent's reports.")
                )
        return (
            self.sudo()
            .with_context(tracking_disable=False, mail_create_nosubscribe=True)
            .create(
                {
                    "subject": subject[:200],
                    "ticket_type": ticket_type,
                    "description": description,
                    "agent_id": agent.id,
                    "portal_user_id": user.id,
                    "work_report_id": report.id or False,
                    "company_id": (report.company_id or user.company_id).id,
                }
            )
        )
