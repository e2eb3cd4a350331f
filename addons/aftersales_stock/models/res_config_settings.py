from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_stock_warehouse_id = fields.Many2one(
        related="company_id.aftersales_stock_warehouse_id", readonly=False
    )
    aftersales_parts_location_id = fields.Many2one(
        related="company_id.aftersales_parts_location_id", readonly=False
    )
    aftersales_consignment_location_id = fields.Many2one(
        related="company_id.aftersales_consignment_location_id", readonly=False
    )
    aftersales_cores_location_id = fields.Many2one(
        related="company_id.aftersales_cores_location_id", readonly=False
    )
    aftersales_refurbish_location_id = fields.Many2one(
        related="company_id.aftersales_refurbish_location_id", readonly=False
    )
    aftersales_consignment_days = fields.Integer(
        related="company_id.aftersales_consignment_days", readonly=False
    )
    aftersales_core_days = fields.Integer(related="company_id.aftersales_core_days", readonly=False)
    aftersales_core_charge_account_id = fields.Many2one(
        related="company_id.aftersales_core_charge_account_id", readonly=False
    )

    def action_aftersales_stock_layout(self):
        self.company_id._aftersales_stock_layout()
        return True
