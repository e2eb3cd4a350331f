from odoo import fields, models

JALALI_MONTHS = [
    ("1", "Farvardin"),
    ("2", "Ordibehesht"),
    ("3", "Khordad"),
    ("4", "Tir"),
    ("5", "Mordad"),
    ("6", "Shahrivar"),
    ("7", "Mehr"),
    ("8", "Aban"),
    ("9", "Azar"),
    ("10", "Dey"),
    ("11", "Bahman"),
    ("12", "Esfand"),
]


class ProductCategory(models.Model):
    _inherit = "product.category"

    aftersales_code = fields.Char("After-Sales Code", index=True)
    is_aftersales_device_type = fields.Boolean(
        "Device Type", help="Products of this category are devices that get service."
    )
    aftersales_fault_code_ids = fields.Many2many("aftersales.fault.code", string="Fault Codes")


class ProductTemplate(models.Model):
    _inherit = "product.template"

    aftersales_brand_id = fields.Many2one("aftersales.brand", string="Brand", index=True)
    aftersales_season_start = fields.Selection(
        JALALI_MONTHS,
        "Season Starts",
        help="Seasonal product: requests in its season get a higher priority.",
    )
    aftersales_season_end = fields.Selection(JALALI_MONTHS, "Season Ends")
    aftersales_season_sla_hours = fields.Float(
        "SLA in Season (hours)",
        help="Shorter SLA for requests about this product in its season; 0 keeps the "
        "service type's SLA.",
    )
