from odoo import fields, http
from odoo.exceptions import AccessError
from odoo.http import request

REPORT_MODEL = "aftersales.warranty.provision.report"


class AftersalesWarrantyProvisionExport(http.Controller):
    @http.route("/aftersales/warranty/provision/xlsx", type="http", auth="user", methods=["GET"])
    def provision_xlsx(self, ids="", date_from="", date_to="", **kwargs):
        """XLSX of the provision report: the given rows, else every row of the period
        (both dates optional, ISO format) the user may read."""
        try:
            row_ids = [int(x) for x in ids.split(",") if x]
            start = fields.Date.to_date(date_from) if date_from else None
            end = fields.Date.to_date(date_to) if date_to else None
        except ValueError:
            raise request.not_found() from None
        Report = request.env[REPORT_MODEL]
        try:
            # The user's own rights; record rules keep other companies' rows out.
            Report.check_access("read")
        except AccessError:
            raise request.not_found() from None
        domain = []
        if row_ids:
            domain.append(("id", "in", row_ids))
        if start:
            domain.append(("date", ">=", start))
        if end:
            domain.append(("date", "<=", end))
        data = Report._xlsx_export(domain)
        return request.make_response(
            data,
            headers=[
                (
                    "Content-Type",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                ("Content-Disposition", http.content_disposition("warranty_provision.xlsx")),
            ],
        )
