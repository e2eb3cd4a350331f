"""After-sales services promised with a product (R-WAR-10, form F-31-07-01).

One row per promised service rather than fourteen fixed fields: the form F-31-07-01 is a
table (service, free or paid, remarks), a product promises only some of the services,
rows print and export as they are, and the periodic-service plans add their interval
and service type to the row without touching the product form again.
"""

from odoo import fields, models

PROMISED_SERVICES = [
    ("installation", "Installation"),
    ("commissioning", "Commissioning"),
    ("training", "Operator Training"),
    ("inspection", "Periodic Technical Inspection"),
    ("periodic_service", "Periodic Service"),
    ("changes", "Periodic/Occasional Changes"),
    ("calibration", "Calibration"),
]


class AftersalesProductServicePromise(models.Model):
    _name = "aftersales.product.service.promise"
    _description = "Promised After-Sales Service"
    _order = "product_tmpl_id, sequence, id"

    product_tmpl_id = fields.Many2one(
        "product.template", string="Product", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    service = fields.Selection(PROMISED_SERVICES, required=True)
    charge = fields.Selection(
        [("free", "Free"), ("paid", "Paid by the Customer")],
        required=True,
        default="free",
    )
    note = fields.Char("Remarks", translate=True)

    _sql_constraints = [
        (
            "service_uniq",
            "unique(product_tmpl_id, service)",
            "A service is promised once per product.",
        ),
    ]
