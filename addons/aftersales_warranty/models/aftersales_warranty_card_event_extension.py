from odoo import fields, models


class AftersalesWarrantyCardEvent(models.Model):
    _inherit = "aftersales.warranty.card.event"

    event_type = fields.Selection(
        selection_add=[("extend_cancel", "Extension Cancelled")],
        ondelete={"extend_cancel": "cascade"},
    )
