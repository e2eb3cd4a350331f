"""The customer confirms an agent's visit by texting back the code it received."""

from odoo import fields, models
from odoo.addons.aftersales_base.tools import normalize_phone

from .. import tools as atools

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def code_from_message(body):
    """The code of a message that is only a code (spaces allowed), else ``None``."""
    text = "".join((body or "").translate(_DIGITS).split())
    return text if len(text) == atools.CODE_LENGTH and text.isdigit() else None


class AftersalesSmsInbound(models.Model):
    _inherit = "aftersales.sms.inbound"

    state = fields.Selection(
        selection_add=[("visit_confirmed", "Visit Confirmed")],
        ondelete={"visit_confirmed": "set default"},
    )
    work_report_id = fields.Many2one("aftersales.work.report", readonly=True)

    def _process_message(self, provider, sender, body):
        code = code_from_message(body)
        if code:
            report = self._agent_report_awaiting(provider.company_id, normalize_phone(sender))
            if report:
                ok, message = report._confirm_with_code(code, method="sms")
                record = self.sudo().create(
                    {
                        "provider_id": provider.id,
                        "sender": sender,
                        "sender_e164": normalize_phone(sender),
                        "body": body,
                        "partner_id": report.request_id.partner_id.id,
                        "request_id": report.request_id.id,
                        "work_report_id": report.id,
                        "state": "visit_confirmed" if ok else "unmatched",
                        "note": False if ok else message,
                    }
                )
                return record.state
        return super()._process_message(provider, sender, body)

    def _agent_report_awaiting(self, company, sender_key):
        """The draft report whose code went to this number and still waits, if any."""
        if not sender_key:
            return self.env["aftersales.work.report"]
        reports = (
            self.env["aftersales.work.report"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "draft"),
                    ("customer_confirmed", "=", False),
                    ("code_expiry", ">=", fields.Datetime.now()),
                ],
                order="code_expiry desc",
            )
        )
        for report in reports:
            request = report.request_id
            numbers = [request.mobile, request.partner_id.mobile, request.partner_id.phone]
            if sender_key in {normalize_phone(number) for number in numbers if number}:
                return report
        return reports.browse()
