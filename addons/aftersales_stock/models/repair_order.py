"""Repair orders of refurbished cores: done, the part goes back to spare parts stock."""

from odoo import models


class RepairOrder(models.Model):
    _inherit = "repair.order"

    def action_repair_done(self):
        result = super().action_repair_done()
        self.env["aftersales.core"]._refurbished(self.filtered(lambda r: r.state == "done"))
        return result
