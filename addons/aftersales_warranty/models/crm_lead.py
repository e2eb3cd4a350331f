from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    aftersales_warranty_card_id = fields.Many2one(
        "aftersales.warranty.card",
        string="Warranty Card",
        index="btree_not_null",
        copy=False,
        help="The device this opportunity offers an extended warranty for.",
    )
