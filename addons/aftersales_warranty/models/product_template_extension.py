"""Extended warranty sold like any product: a service product that adds months to the
warranty card of the device named on the sale line."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    aftersales_extension_months = fields.Integer(
        "Warranty Extension (months)",
        tracking=True,
        help="Months this service adds to the warranty card of the device named on the "
        "sale line, once its invoice is posted. 0: not a warranty extension.",
    )
    aftersales_extension_policy_ids = fields.Many2many(
        "aftersales.warranty.policy",
        "product_template_aftersales_extension_policy_rel",
        "product_tmpl_id",
        "policy_id",
        string="Extends Policies",
        help="Warranty policies this extension can be sold for; empty for every policy.",
    )

    @api.constrains("aftersales_extension_months", "type")
    def _check_aftersales_extension_months(self):
        for template in self:
            if template.aftersales_extension_months < 0:
                raise ValidationError(
                    self.env._(
                        "%(product)s: a warranty extension cannot have a negative number of "
                        "months.",
                        product=template.display_name,
                    )
                )
            if template.aftersales_extension_months and template.type != "service":
                raise ValidationError(
                    self.env._(
                        "%(product)s: only a service product can be a warranty extension.",
                        product=template.display_name,
                    )
                )

    def _aftersales_extension_covers(self, policy):
        """Whether this extension product may be sold for a card of ``policy``."""
        self.ensure_one()
        allowed = self.aftersales_extension_policy_ids
        return not allowed or policy in allowed
