from odoo import models


class AftersalesWarrantyCard(models.Model):
    _inherit = "aftersales.warranty.card"

    def _warranty_history_sources(self):
        return [
            *super()._warranty_history_sources(),
            ("aftersales.work.report", "lot_id", self.env._("Work reports")),
            ("aftersales.work.report.part", "device_lot_id", self.env._("Parts used")),
        ]
