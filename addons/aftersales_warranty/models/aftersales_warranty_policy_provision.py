"""Warranty provision rate of a policy (R-FIN)."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AftersalesWarrantyPolicy(models.Model):
    _inherit = "aftersales.warranty.policy"

    provision_rate = fields.Float(
        "Warranty Provision (%)",
        digits=(5, 2),
        tracking=True,
        help="Share of the untaxed invoiced amount of the products under this policy set "
        "aside for their warranty cost, when the company's warranty provision is enabled. "
        "A product category can override it.",
    )

    @api.constrains("provision_rate")
    def _check_provision_rate(self):
        for policy in self:
            if not 0 <= policy.provision_rate <= 100:
                raise ValidationError(
                    self.env._(
                        "Warranty policy %(policy)s: the warranty provision must be between "
                        "0 and 100 percent.",
                        policy=policy.name,
                    )
                )
