from odoo import api, models


class AftersalesWarrantyCard(models.Model):
    _inherit = "aftersales.warranty.card"

    @api.model
    def _warranty_history_sources(self):
        """The cores of the parts replaced on the device join its service history."""
        return [
            *super()._warranty_history_sources(),
            ("aftersales.core", "device_lot_id", self.env._("Defective cores")),
        ]
