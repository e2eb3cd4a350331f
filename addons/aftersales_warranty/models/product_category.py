from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductCategory(models.Model):
    _inherit = "product.category"

    aftersales_warranty_policy_id = fields.Many2one(
        "aftersales.warranty.policy",
        string="Warranty Policy",
        index="btree_not_null",
        help="Warranty of the products of this category and of its sub-categories that "
        "have no policy of their own.",
    )

    aftersales_provision_rate_override = fields.Boolean(
        "Own Warranty Provision Rate",
        help="Use this category's warranty provision rate for its products and for the "
        "sub-categories without a rate of their own, instead of their warranty policy's.",
    )
    aftersales_provision_rate = fields.Float(
        "Warranty Provision (%)",
        digits=(5, 2),
        help="Share of the untaxed invoiced amount set aside for warranty cost; 0 sets "
        "nothing aside for these products.",
    )

    @api.constrains("aftersales_provision_rate")
    def _check_aftersales_provision_rate(self):
        for categ in self:
            if not 0 <= categ.aftersales_provision_rate <= 100:
                raise ValidationError(
                    self.env._(
                        "Product category %(category)s: the warranty provision must be "
                        "between 0 and 100 percent.",
                        category=categ.display_name,
                    )
                )
