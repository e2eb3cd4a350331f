"""Warranty provision rate of a product (R-FIN)."""

from odoo import models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def _aftersales_provision_rates(self):
        """``{template: rate in percent}`` for the templates, in one pass.

        Only products under a warranty policy have a provision (none for products
        without after-sales service). The nearest category, from the product's own up
        its parents, that overrides the rate wins; else the policy's rate.
        """
        policies = self._aftersales_warranty_policies()
        parent_ids = {
            int(part)
            for path in self.categ_id.mapped("parent_path")
            for part in (path or "").split("/")
            if part
        }
        categories = self.env["product.category"].browse(sorted(parent_ids))
        overrides = {
            categ.id: categ.aftersales_provision_rate
            for categ in categories
            if categ.aftersales_provision_rate_override
        }
        rates = {}
        for template in self:
            policy = policies[template]
            rate = 0.0
            if policy:
                rate = policy.provision_rate
                chain = [int(p) for p in (template.categ_id.parent_path or "").split("/") if p]
                for categ_id in reversed(chain):
                    if categ_id in overrides:
                        rate = overrides[categ_id]
                        break
            rates[template] = rate
        return rates
