from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_warranty_strict = fields.Boolean(
        related="company_id.aftersales_warranty_strict", readonly=False
    )
    aftersales_warranty_sms_keyword = fields.Char(
        related="company_id.aftersales_warranty_sms_keyword", readonly=False
    )
    aftersales_warranty_sms_replies_per_hour = fields.Integer(
        "Warranty SMS Replies per Hour",
        config_parameter="aftersales_warranty.sms_replies_per_hour",
        default=5,
        help="At most this many warranty replies to one phone number per hour; later "
        "messages are recorded without reply. 0: no limit.",
    )
    aftersales_extension_offer_days = fields.Integer(
        related="company_id.aftersales_extension_offer_days", readonly=False
    )
