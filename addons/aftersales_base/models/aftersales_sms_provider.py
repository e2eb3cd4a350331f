"""The company's own SMS panel, used by Odoo's ``sms.sms`` queue instead of IAP (R-SMS)."""

import secrets

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.sms_gateway import GenericHttpAdapter, KavenegarAdapter


class AftersalesSmsProvider(models.Model):
    _name = "aftersales.sms.provider"
    _description = "SMS Provider"
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
    retries = fields.Integer("Retries per Batch", default=2)
    max_attempts = fields.Integer(
        "Queue Attempts",
        default=5,
        help="A message that could not reach the provider stays in the queue and is tried "
        "again by the SMS cron, up to this many times.",
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
        ("attempts_positive", "CHECK(max_attempts > 0)", "At least one attempt is needed."),
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
