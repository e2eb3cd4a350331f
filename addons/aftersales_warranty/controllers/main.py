"""Public warranty pages: the card's QR code and the "check my warranty" form.

Anyone can open them, so they show three facts only: the product, the warranty
status and its end date. Nothing about the owner, the dealer or the card's history.
"""

import re
from datetime import timedelta

from odoo import fields, http
from odoo.http import request

from .. import tools as wtools

# What ``aftersales.warranty.card._new_token`` makes (``secrets.token_urlsafe(24)``):
# anything else is refused before the database is asked.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32}")
RATE_WINDOW = timedelta(hours=1)
# Statuses that say more than the card's state; for the others (a card awaiting its
# start, a replaced card) the state is the clearer answer.
STATUS_LABELS = (wtools.IN_WARRANTY, wtools.DEALER_PERIOD, wtools.EXPIRED, wtools.VOIDED)
MAX_SERIAL_LENGTH = 64


def warranty_facts(check):
    """What a visitor may learn from a ``WarrantyCheck``: a dict of the product name, the
    status (its code and translated label) and the end date (a date or ``None``)."""
    card = check.card
    if not card:
        return None
    if check.status in STATUS_LABELS:
        labels = dict(card._fields["warranty_status"]._description_selection(card.env))
        label = labels.get(check.status, "")
    else:
        label = card._state_label()
    return {
        "product": card.product_id.name,
        "status": check.status,
        "state": card.state,
        "status_label": label,
        "end_date": check.end_date,
        "covered": check.covered,
    }


class AftersalesWarrantyPublic(http.Controller):
    def _aftersales_date_formatter(self):
        # Jalali with Persian digits for Persian readers: the base portal's helper.
        return request.env["ir.actions.report"]._aftersales_format_date

    def _warranty_check_rate(self):
        """``True`` when this address may make one more check now (and logs it)."""
        params = request.env["ir.config_parameter"].sudo()
        try:
            per_ip = int(params.get_param("aftersales_warranty.public_checks_per_ip", 20))
        except ValueError:
            per_ip = 20
        ip = request.httprequest.remote_addr or ""
        Log = request.env["aftersales.warranty.check.log"]
        if Log._recent_count(ip, fields.Datetime.now() - RATE_WINDOW) >= per_ip:
            return False
        Log._log_check(ip)
        return True

    @http.route("/warranty/<string:token>", type="http", auth="public", website=True)
    def warranty_verify(self, token, **kwargs):
        """The page the QR code of a printed card opens."""
        if not TOKEN_PATTERN.fullmatch(token):
            raise request.not_found()
        Card = request.env["aftersales.warranty.card"].sudo()
        # One look-up on the unique, indexed token; nothing else decides the answer.
        card = Card.search([("verification_token", "=", token)], limit=1)
        if not card:
            raise request.not_found()
        check = card._warranty_result(fields.Date.context_today(card))
        return request.render(
            "aftersales_warranty.public_warranty_verify",
            {
                "facts": warranty_facts(check),
                "aftersales_date": self._aftersales_date_formatter(),
            },
        )

    @http.route(
        "/warranty/check",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
    )
    def warranty_check(self, serial=None, **kwargs):
        """The "check my warranty" form: a serial in, the three facts out."""
        values = {
            "serial": (serial or "")[:MAX_SERIAL_LENGTH],
            "checked": False,
            "facts": None,
            "error": None,
            "aftersales_date": self._aftersales_date_formatter(),
        }
        if request.httprequest.method == "POST":
            if not (serial or "").strip():
                values["error"] = request.env._("Enter the serial number of your device.")
            elif len(serial) > MAX_SERIAL_LENGTH:
                values["error"] = request.env._("This serial number is too long.")
            elif not self._warranty_check_rate():
                values["error"] = request.env._(
                    "Too many checks from this connection: please try again in an hour or call us."
                )
            else:
                Card = request.env["aftersales.warranty.card"].sudo()
                check = Card._check_warranty(serial)
                values.update(checked=True, facts=warranty_facts(check))
        return request.render("aftersales_warranty.public_warranty_check", values)
