"""Warranty check and registration by SMS (R-WAR-2, R-SMS-2).

A customer texts the serial of a device (or the company's keyword and the serial) to
the company's SMS line; the reply says where its warranty stands. The first message
from the buyer's phone about a card that starts at customer registration starts it.

Who may start a card: the card's customer (a phone of the customer), or anyone when
the card has no customer yet (the serial is read off the device, so the sender holds
it; they become its customer) except the dealer's own phones (a dealer checking its
stock does not sell the device). Someone else's card only gets its status.
"""

import re
from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.aftersales_base.tools import normalize_phone, normalize_serial, to_ascii_digits
from odoo.addons.aftersales_base.tools.sms_gateway import parse_status_reply
from odoo.exceptions import UserError, ValidationError

from .. import tools as wtools
from .aftersales_warranty_card import WARRANTY_STATUSES

REPLIES_PER_HOUR_PARAM = "aftersales_warranty.sms_replies_per_hour"
DEFAULT_REPLIES_PER_HOUR = 5
# Reply template per warranty status; "registered" answers the message that started it.
REPLY_TEMPLATES = {
    wtools.IN_WARRANTY: "aftersales_warranty.sms_template_warranty_in_warranty",
    wtools.DEALER_PERIOD: "aftersales_warranty.sms_template_warranty_dealer",
    wtools.EXPIRED: "aftersales_warranty.sms_template_warranty_expired",
    wtools.VOIDED: "aftersales_warranty.sms_template_warranty_voided",
    wtools.NOT_ACTIVE: "aftersales_warranty.sms_template_warranty_not_active",
    wtools.UNKNOWN_SERIAL: "aftersales_warranty.sms_template_warranty_unknown",
    "registered": "aftersales_warranty.sms_template_warranty_registered",
}
# Between the keyword and the serial: spaces and the punctuation of both keyboards.
_SEPARATORS = " \t\r\n:;,.-_#،؛"
# A message that is only a serial: one word of letters, digits and dashes, with a digit.
_SERIAL_WORD = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9\-/._]{2,39}$")
# Arabic letters that Persian keyboards of some phones send for Persian ones.
_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "\u200c": ""})


def _fold(text):
    return to_ascii_digits(text or "").translate(_LETTERS).casefold()


def serial_from_message(body, keyword):
    """The serial a customer asks about, or ``None`` when the message is not a question.

    With ``keyword`` (any case, Arabic or Persian letters), the message is the keyword
    then the serial (``"W SN-12"``, ``"گارانتی ۱۲۳۴۵"``); a separator is needed only
    where the keyword and the serial would run together (``"W12"`` is not ``"W"`` +
    ``"12"``). Without keyword, the whole message is the serial. The serial comes back
    as stored (``normalize_serial``), or "" for a keyword without serial.
    """
    text = (body or "").strip()
    if not keyword:
        return normalize_serial(text) or None
    folded, key = _fold(text), _fold(keyword.strip())
    if not key or not folded.startswith(key):
        return None
    rest = folded[len(key) :]
    if rest and rest[0] not in _SEPARATORS and key[-1].isascii() and key[-1].isalnum():
        return None
    return normalize_serial(rest.strip(_SEPARATORS)) or ""


def looks_like_serial(body):
    """Whether a bare message could only be a serial (one word with a digit)."""
    return bool(_SERIAL_WORD.match(to_ascii_digits((body or "").strip())))


class AftersalesSmsInbound(models.Model):
    _inherit = "aftersales.sms.inbound"

    state = fields.Selection(
        selection_add=[("warranty", "Warranty Reply")], ondelete={"warranty": "set default"}
    )
    warranty_card_id = fields.Many2one(
        "aftersales.warranty.card", index="btree_not_null", readonly=True
    )
    warranty_serial = fields.Char("Asked Serial", readonly=True)
    warranty_status = fields.Selection(WARRANTY_STATUSES, readonly=True)
    warranty_date = fields.Date(
        readonly=True,
        help="The date the reply gives: end of the warranty or of the dealer period, "
        "expiry or voiding.",
    )
    warranty_date_text = fields.Char(
        compute="_compute_warranty_date_text",
        help="The date as the reader writes it (Jalali with Persian digits in Persian).",
    )
    warranty_registered = fields.Boolean(
        "Started the Warranty", readonly=True, help="This message started the warranty."
    )
    warranty_replied = fields.Boolean("Reply Sent", readonly=True)

    @api.depends("warranty_date")
    @api.depends_context("lang")
    def _compute_warranty_date_text(self):
        Report = self.env["ir.actions.report"]
        lang = self.env.lang or "en_US"
        for record in self:
            record.warranty_date_text = Report._aftersales_format_date(
                record.warranty_date, lang=lang
            )

    def _process_message(self, provider, sender, body):
        # A technician's status reply keeps its meaning (base); a question about a serial
        # gets its answer; anything else is attached or left unmatched as before.
        if not parse_status_reply(body):
            question = self._warranty_question(provider.company_id, body)
            if question:
                return self._process_warranty_message(provider, sender, body, *question)
        return super()._process_message(provider, sender, body)

    @api.model
    def _warranty_question(self, company, body):
        """``(serial, card)`` when ``body`` asks about a warranty, else ``None``.

        A bare message (no keyword configured) is a question when it is a serial that
        has a card, or when it can only be a serial (a free text message stays a
        message to the customer's request).
        """
        serial = serial_from_message(body, company.aftersales_warranty_sms_keyword)
        if not serial:
            return None
        card = self._warranty_card(company, serial)
        if not card and not company.aftersales_warranty_sms_keyword and not looks_like_serial(body):
            return None
        return serial, card

    @api.model
    def _warranty_card(self, company, serial):
        cards = (
            self.env["aftersales.warranty.card"]
            .sudo()
            .search([("serial_number", "=", serial), ("company_id", "=", company.id)])
        )
        return cards._aftersales_current()

    def _process_warranty_message(self, provider, sender, body, serial, card):
        company = provider.company_id
        key = normalize_phone(sender, company.country_id.code or "IR")
        partner = self.env["aftersales.request"].sudo()._find_partners_by_phone([key]).get(key)
        now = fields.Datetime.now()
        day = fields.Date.context_today(
            self.with_context(tz=company.partner_id.tz or self.env.context.get("tz")),
            timestamp=now,
        )
        limit = self._warranty_replies_per_hour()
        within_limit = not limit or self._warranty_replies_since(key, sender, now) < limit
        notes = []
        registered = False
        if card and within_limit:
            registered, partner, refused = self._warranty_register(card, partner, key, day)
            if refused:
                notes.append(refused)
        # The staff read the note: in the company's language.
        staff = self.with_context(lang=company.partner_id.lang or self.env.lang)
        if card:
            result = card.with_env(staff.env)._warranty_result(day)
            status, reason, serial = result.status, result.reason, card.serial_number or serial
            reply_date = self._warranty_reply_date(card, result)
        else:
            status, reply_date = wtools.UNKNOWN_SERIAL, False
            reason = staff.env._("No warranty card for serial %(serial)s.", serial=serial)
        notes.insert(0, reason)
        if registered:
            notes.append(staff.env._("The warranty was started by this message."))
        if not within_limit:
            notes.append(
                staff.env._(
                    "No reply: %(count)s replies to this number in the last hour.", count=limit
                )
            )
        record = self.sudo().create(
            {
                "provider_id": provider.id,
                "sender": sender,
                "sender_e164": key,
                "body": body,
                "received_date": now,
                "partner_id": partner.id if partner else False,
                "state": "warranty",
                "warranty_card_id": card.id,
                "warranty_serial": serial,
                "warranty_status": status,
                "warranty_date": reply_date,
                "warranty_registered": registered,
                "note": " ".join(notes)[:500],
            }
        )
        if within_limit:
            record._warranty_send_reply("registered" if registered else status, partner, company)
        return record.state

    def _warranty_register(self, card, partner, key, day):
        """Start ``card`` when this message registers it: ``(started, partner, note)``.

        ``partner`` is the sender's contact (made here for a new customer, in the reply
        language). The note explains a refusal the staff should know about.
        """
        if card.start_rule != "registration" or card.state not in ("draft", "dealer"):
            return False, partner, False
        if card.partner_id:
            owners = card.partner_id | card.partner_id.commercial_partner_id
            phones = set(owners.mapped("aftersales_phone_e164")) | set(
                owners.mapped("aftersales_mobile_e164")
            )
            same = partner and partner.commercial_partner_id == owners.commercial_partner_id
            if not key or (key not in phones and not same):
                return False, partner, False
            buyer = card.partner_id
        else:
            dealers = card.dealer_id | card.dealer_id.child_ids
            dealer_phones = set(dealers.mapped("aftersales_phone_e164")) | set(
                dealers.mapped("aftersales_mobile_e164")
            )
            if not key or key in dealer_phones:
                return False, partner, False
            buyer = partner or self._warranty_new_customer(key, card.company_id)
        try:
            with self.env.cr.savepoint():
                self.env["aftersales.warranty.card"].sudo()._activate_from_registration(
                    card.serial_number, buyer, date=day, product=card.product_id
                )
        except (UserError, ValidationError) as exc:
            return False, partner, str(exc.args[0])[:200]
        return True, partner or buyer, False

    @api.model
    def _warranty_new_customer(self, key, company):
        return (
            self.env["res.partner"]
            .sudo()
            .create(
                {
                    "name": key,
                    "mobile": key,
                    "lang": self._warranty_reply_lang(self.env["res.partner"], company, key),
                }
            )
        )

    @api.model
    def _warranty_reply_date(self, card, result):
        status = result.status
        if status == wtools.DEALER_PERIOD:
            return card.dealer_deadline
        if status == wtools.VOIDED:
            return card.void_date
        if status in (wtools.IN_WARRANTY, wtools.EXPIRED):
            return result.end_date
        return result.start_date or False

    @api.model
    def _warranty_replies_per_hour(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(REPLIES_PER_HOUR_PARAM, DEFAULT_REPLIES_PER_HOUR)
        )
        try:
            return max(int(value), 0)
        except (TypeError, ValueError):
            return DEFAULT_REPLIES_PER_HOUR

    @api.model
    def _warranty_replies_since(self, key, sender, now):
        """Replies sent to this number in the hour before ``now``."""
        return self.sudo().search_count(
            [
                ("sender_e164", "=", key) if key else ("sender", "=", sender),
                ("warranty_replied", "=", True),
                ("received_date", ">", now - timedelta(hours=1)),
            ]
        )

    @api.model
    def _warranty_reply_lang(self, partner, company, key):
        """The sender's language, else the company's, else Persian for an Iranian number;
        always one Odoo can render in."""
        lang = partner.lang or company.partner_id.lang
        if not lang and key and key.startswith("+98"):
            lang = "fa_IR"
        return self.env["ir.actions.report"]._aftersales_lang(lang or "en_US")

    def _warranty_send_reply(self, template_key, partner, company):
        """Queue the reply on the company's SMS panel (the base provider queue)."""
        self.ensure_one()
        template = self.env.ref(REPLY_TEMPLATES[template_key], raise_if_not_found=False)
        if not template:
            return self.env["sms.sms"]
        lang = self._warranty_reply_lang(
            partner or self.env["res.partner"], company, self.sender_e164
        )
        body = template.sudo()._render_field("body", self.ids, set_lang=lang)[self.id]
        sms = (
            self.env["sms.sms"]
            .sudo()
            .create(
                {
                    "number": self.sender_e164 or self.sender,
                    "body": body,
                    "partner_id": partner.id if partner else False,
                    "state": "outgoing",
                }
            )
        )
        self.sudo().warranty_replied = True
        self.env["sms.sms"]._aftersales_trigger_queue(fields.Datetime.now())
        return sms
