"""The company's own SMS panel, used by Odoo's ``sms.sms`` queue instead of IAP (R-SMS)."""

import secrets

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.sms_gateway import GenericHttpAdapter, KavenegarAdapter


class AftersalesSmsProvider(models.Model):
    _name = "aftersales.sms.provider"
    _description = "SMS Provider"
    # The to-do about undelivered messages hangs on the provider (see _notify_undelivered).
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    provider_type = fields.Selection(
        [("kavenegar", "Kavenegar-style REST"), ("generic", "Generic HTTP")],
        "Type",
        required=True,
        default="kavenegar",
    )
    endpoint = fields.Char(
        required=True, help="Base URL, e.g. https://api.kavenegar.com/v1 for Kavenegar."
    )
    api_key = fields.Char("API Key", required=True, groups="base.group_system")
    sender = fields.Char("Sender Line", required=True, help="The panel's line number.")
    timeout = fields.Float("Timeout (seconds)", default=10.0)
    retries = fields.Integer(
        "Retries per Batch",
        default=2,
        help="Immediate retries, a fraction of a second apart, when a call to the panel fails.",
    )
    retry_deadline_hours = fields.Integer(
        "Delivery Deadline (hours)",
        default=24,
        help="While the panel is unreachable, failing (5xx errors, time-outs) or asks to slow "
        "down (HTTP 429), a message stays in the queue and is tried again with growing "
        "delays (1, 2, 4... minutes, then hourly), until this many hours after its first "
        "try. Then it is marked as not delivered and the responsible person gets a to-do "
        "listing it. Permanent errors (wrong key, no credit, invalid number) fail at once.",
    )
    responsible_id = fields.Many2one(
        "res.users",
        domain="[('share', '=', False)]",
        help="Gets a to-do listing the messages the panel did not take before the delivery "
        "deadline. Empty: an after-sales manager of the company, else the user who created "
        "the provider.",
    )
    # The open to-do of undelivered messages: later failures are added to it, not to a new one.
    undelivered_activity_id = fields.Many2one(
        "mail.activity", copy=False, readonly=True, ondelete="set null"
    )
    http_method = fields.Selection(
        [("POST", "POST (form)"), ("GET", "GET (query string)")], "HTTP Method", default="POST"
    )
    param_to = fields.Char("Number Parameter", default="to")
    param_text = fields.Char("Text Parameter", default="text")
    param_sender = fields.Char("Sender Parameter", default="from")
    param_key = fields.Char("Key Parameter", default="apikey")
    inbound_token = fields.Char(
        copy=False,
        groups="base.group_system",
        default=lambda self: secrets.token_urlsafe(24),
        help="Secret part of the URL where the provider posts incoming messages and "
        "delivery reports.",
    )
    inbound_url = fields.Char("Inbound URL", compute="_compute_inbound_url")

    _sql_constraints = [
        ("timeout_positive", "CHECK(timeout > 0)", "The timeout must be positive."),
        (
            "retry_deadline_positive",
            "CHECK(retry_deadline_hours > 0)",
            "The delivery deadline must be at least one hour.",
        ),
    ]

    @api.depends("inbound_token")
    def _compute_inbound_url(self):
        base = self.get_base_url()
        for provider in self:
            token = provider.sudo().inbound_token
            provider.inbound_url = f"{base}/aftersales/sms/inbound/{token}" if token else False

    @api.constrains("endpoint")
    def _check_endpoint(self):
        for provider in self:
            if not (provider.endpoint or "").startswith(("http://", "https://")):
                raise ValidationError(
                    self.env._(
                        "The endpoint of %(name)s must be an http(s) URL.", name=provider.name
                    )
                )

    @api.model
    def _for_company(self, company):
        return self.sudo().search([("company_id", "=", company.id)], limit=1)

    def _get_adapter(self):
        self.ensure_one()
        provider = self.sudo()
        common = {"timeout": provider.timeout, "retries": provider.retries}
        if provider.provider_type == "kavenegar":
            return KavenegarAdapter(provider.endpoint, provider.api_key, provider.sender, **common)
        return GenericHttpAdapter(
            provider.endpoint,
            provider.api_key,
            provider.sender,
            method=provider.http_method or "POST",
            params={
                "to": provider.param_to,
                "text": provider.param_text,
                "sender": provider.param_sender,
                "key": provider.param_key,
            },
            **common,
        )

    def action_regenerate_token(self):
        for provider in self.sudo():
            provider.inbound_token = secrets.token_urlsafe(24)
        return True

    def _get_responsible(self):
        """Who hears about undelivered messages: the provider's responsible user, else an
        after-sales manager of its company (the oldest account), else its creator."""
        self.ensure_one()
        provider = self.sudo()
        if provider.responsible_id.active:
            return provider.responsible_id
        managers = self.env.ref("aftersales_base.group_aftersales_manager")
        manager = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", managers.id),
                    ("company_ids", "in", provider.company_id.id),
                    ("share", "=", False),
                ],
                order="id",
                limit=1,
            )
        )
        return manager or provider.create_uid

    def _notify_undelivered(self, messages):
        """Tell the responsible user, with one to-do, which messages were given up.

        An open to-do from earlier failures gets the new messages added to it instead of a
        second to-do: one thing to act on per provider, however many queue runs gave up.
        """
        self.ensure_one()
        if not messages:
            return self.env["mail.activity"]
        provider = self.sudo()
        user = provider._get_responsible()
        env = provider.with_context(lang=user.lang or self.env.lang).env
        shown = messages[:50]
        items = Markup().join(
            Markup("<li>%s: %s <i>(%s)</i></li>")
            % (sms.number or "", (sms.body or "")[:60], sms.aftersales_error or "")
            for sms in shown
        )
        more = ""
        if len(messages) > len(shown):
            more = Markup("<p>%s</p>") % env._(
                "... and %(count)s more: see the outgoing SMS in error.",
                count=len(messages) - len(shown),
            )
        section = Markup("<p>%s</p><ul>%s</ul>%s") % (
            env._(
                "%(count)s SMS could not be handed to the panel %(provider)s within "
                "%(hours)s hours (it was unreachable, failing or rate-limiting). Check "
                "the panel, then resend them from the outgoing SMS:",
                count=len(messages),
                provider=provider.name,
                hours=provider.retry_deadline_hours,
            ),
            items,
            more,
        )
        activity = provider.undelivered_activity_id
        if activity.active and activity.user_id == user:
            activity.write(
                {
                    "note": (activity.note or Markup()) + section,
                    "date_deadline": fields.Date.context_today(activity),
                }
            )
            return activity
        activity = provider.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=user.id,
            summary=env._("SMS not delivered"),
            note=section,
        )
        provider.undelivered_activity_id = activity
        return activity
