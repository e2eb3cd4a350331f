from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_warranty_strict = fields.Boolean(
        related="company_id.aftersales_warranty_strict", readonly=False
    )
    aftersales_extension_offer_days = fields.Integer(
        related="company_id.aftersales_extension_offer_days", readonly=False
    )
