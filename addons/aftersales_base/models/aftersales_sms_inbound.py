"""Incoming SMS and delivery reports from the provider (R-SMS-2)."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import normalize_phone
from ..tools.sms_gateway import parse_status_reply

# Kavenegar-style delivery status codes
DELIVERED = {"10"}
UNDELIVERED = {"6", "11", "13", "14", "100"}


class AftersalesSmsInbound(models.Model):
    _name = "aftersales.sms.inbound"
    _description = "Incoming SMS"
    _order = "received_date desc, id desc"

    provider_id = fields.Many2one("aftersales.sms.provider", required=True, index=True)
    company_id = fields.Many2one(related="provider_id.company_id", store=True, index=True)
    sender = fields.Char(required=True, index=True)
    sender_e164 = fields.Char(index=True)
    body = fields.Text(required=True)
    received_date = fields.Datetime(default=fields.Datetime.now, required=True, index=True)
    request_id = fields.Many2one("aftersales.request", index="btree_not_null")
    partner_id = fields.Many2one("res.partner", index="btree_not_null")
    state = fields.Selection(
        [
            ("applied", "Status Applied"),
            ("attached", "Attached to Request"),
            ("unmatched", "Unmatched"),
            ("done", "Handled"),
        ],
        required=True,
        default="unmatched",
        index=True,
    )
    note = fields.Char()

    def action_mark_done(self):
        self.state = "done"
        return True

    @api.model
    def _process_payload(self, provider, payload):
        """Handle one provider call: a delivery report or an incoming message.

        Raises ValidationError on a payload that is neither (nothing is written).
        """
        if payload.get("messageid") and payload.get("status") and not payload.get("message"):
            return self._process_delivery(str(payload["messageid"]), str(payload["status"]))
        sender, body = payload.get("from"), payload.get("message")
        if not sender or not body:
            raise ValidationError(
                self.env._("Malformed SMS payload: 'from' and 'message' are required.")
            )
        return self._process_message(provider, str(sender), str(body))

    def _process_delivery(self, provider_ref, status):
        sms = self.env["sms.sms"].sudo().search([("aftersales_provider_ref", "=", provider_ref)])
        if not sms:
            return "unknown"
        if status in DELIVERED:
            sms.write({"state": "sent", "failure_type": False})
            sms.sms_tracker_id._action_update_from_sms_state("sent")
            return "delivered"
        if status in UNDELIVERED:
            sms.write({"state": "error", "failure_type": "sms_server", "aftersales_error": status})
            sms.sms_tracker_id._action_update_from_sms_state("error", failure_type="sms_server")
            return "undelivered"
        return "pending"

    def _process_message(self, provider, sender, body):
        key = normalize_phone(sender)
        vals = {"provider_id": provider.id, "sender": sender, "sender_e164": key, "body": body}
        partner = self.env["aftersales.request"].sudo()._find_partners_by_phone([key]).get(key)
        vals["partner_id"] = partner.id if partner else False
        reply = parse_status_reply(body)
        if reply:
            state, note, request = self._apply_status_reply(key, *reply)
            vals.update(state=state, note=note, request_id=request.id)
        elif partner:
            request = (
                self.env["aftersales.request"]
                .sudo()
                .search(
                    [
                        ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                        ("company_id", "=", provider.company_id.id),
                        ("is_closed", "=", False),
                    ],
                    order="request_date desc",
                    limit=1,
                )
            )
            if request:
                request.message_post(
                    body=self.env._("SMS from %(sender)s: %(body)s", sender=sender, body=body),
                    author_id=partner.id,
                    message_type="sms",
                )
                vals.update(state="attached", request_id=request.id)
        record = self.sudo().create(vals)
        return record.state

    def _apply_status_reply(self, sender_key, tracking, code):
        """Move the request to the stage of ``code`` if the sender is its technician/agent."""
        Request = self.env["aftersales.request"].sudo()
        request = Request.search([("name", "=", tracking)], limit=1)
        if not request:
            return (
                "unmatched",
                self.env._("Unknown tracking number %(number)s.", number=tracking),
                Request,
            )
        assignees = request.technician_id.partner_id | request.agent_id
        keys = {
            normalize_phone(number)
            for number in assignees.mapped("phone") + assignees.mapped("mobile")
            if number
        }
        if sender_key not in keys:
            return (
                "unmatched",
                self.env._(
                    "The sender is not the technician or agent of %(number)s.", number=tracking
                ),
                request,
            )
        stage = self.env["aftersales.stage"].sudo().search([("sms_code", "=", code)], limit=1)
        if not stage:
            return "unmatched", self.env._("Unknown status code %(code)s.", code=code), request
        try:
            request.with_context(mail_notrack=False).stage_id = stage
        except (UserError, ValidationError) as exc:  # a refused move (QC not passed) is kept
            return "unmatched", str(getattr(exc, "args", [exc])[0])[:200], request
        request.message_post(
            body=self.env._(
                "Status %(stage)s reported by SMS from %(sender)s.",
                stage=stage.name,
                sender=sender_key,
            )
        )
        return "applied", False, request
