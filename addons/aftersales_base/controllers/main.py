from odoo import http
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request
from odoo.tools import consteq


class AftersalesSmsInbound(http.Controller):
    @http.route(
        "/aftersales/sms/inbound/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,
    )
    def sms_inbound(self, token, **payload):
        """Incoming messages and delivery reports, posted by the SMS provider."""
        providers = (
            request.env["aftersales.sms.provider"].sudo().search([("inbound_token", "!=", False)])
        )
        provider = next((p for p in providers if consteq(p.inbound_token, token)), None)
        if not provider:
            return request.make_response("forbidden", status=403)
        try:
            outcome = (
                request.env["aftersales.sms.inbound"].sudo()._process_payload(provider, payload)
            )
        except ValidationError as exc:
            return request.make_response(str(exc.args[0]), status=400)
        return request.make_response(outcome or "ok", headers=[("Content-Type", "text/plain")])


class AftersalesExport(http.Controller):
    @http.route("/aftersales/complaints/xlsx", type="http", auth="user", methods=["GET"])
    def complaints_xlsx(self, ids="", **kwargs):
        try:
            complaint_ids = [int(x) for x in ids.split(",") if x]
        except ValueError:
            return request.not_found()
        complaints = request.env["aftersales.complaint"].browse(complaint_ids)
        try:
            # Read access on every record, with the user's own rights and record rules.
            complaints.check_access("read")
            complaints.exists().mapped("name")
        except (AccessError, MissingError):
            return request.not_found()
        data = complaints.exists()._xlsx_export()
        return request.make_response(
            data,
            headers=[
                (
                    "Content-Type",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                ("Content-Disposition", http.content_disposition("complaints.xlsx")),
            ],
        )
