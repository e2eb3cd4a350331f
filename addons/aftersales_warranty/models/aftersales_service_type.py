from odoo import fields, models


class AftersalesServiceType(models.Model):
    _inherit = "aftersales.service.type"

    is_warranty = fields.Boolean(
        "Warranty Repair",
        help="Requests of this type are free warranty work: accepted only for devices "
        "under warranty (or in their dealer period), unless an after-sales manager "
        "overrides with a reason.",
    )
