from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    aftersales_warranty_policy_id = fields.Many2one(
        "aftersales.warranty.policy",
        string="Warranty Policy",
        index="btree_not_null",
        help="Warranty of the products of this category and of its sub-categories that "
        "have no policy of their own.",
    )
