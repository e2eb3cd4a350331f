from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_warranty_strict = fields.Boolean(
        "Warranty Repairs Need a Card",
        help="Refuse a warranty repair for a device without serial number or whose serial "
        "has no warranty card. Without it, such devices are accepted and flagged for "
        "checking (devices sold before the warranty cards were issued); a card that does "
        "not cover the device is refused either way.",
    )
    aftersales_warranty_sms_keyword = fields.Char(
        "Warranty SMS Keyword",
        help="Customers text this word and the serial of their device (e.g. 'W SN12345') "
        "to learn its warranty status by SMS. Empty: a message that is only a serial is "
        "answered.",
    )
    aftersales_extension_offer_days = fields.Integer(
        "Offer Extension Before Expiry (days)",
        default=30,
        help="Cards in warranty ending within this many days are listed as expiring soon, "
        "to offer their owners an extended warranty.",
    )
