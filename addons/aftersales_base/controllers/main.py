from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request


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
