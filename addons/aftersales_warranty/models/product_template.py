from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    aftersales_warranty_policy_id = fields.Many2one(
        "aftersales.warranty.policy",
        string="Warranty Policy",
        index="btree_not_null",
        tracking=True,
        help="Warranty of this product; empty to use its category's policy.",
    )
    aftersales_effective_policy_id = fields.Many2one(
        "aftersales.warranty.policy",
        string="Warranty Policy Applied",
        compute="_compute_aftersales_effective_policy_id",
        help="The product's own policy, else the policy of its category or of the nearest "
        "parent category that has one.",
    )
    aftersales_no_service = fields.Boolean(
        "Without After-Sales Service",
        help="Sold without after-sales service (R-WAR-9): no warranty card is issued, and "
        "sale documents must say so.",
    )
    aftersales_service_promise_ids = fields.One2many(
        "aftersales.product.service.promise",
        "product_tmpl_id",
        string="Promised After-Sales Services",
    )

    @api.depends(
        "aftersales_warranty_policy_id",
        "aftersales_no_service",
        "categ_id.aftersales_warranty_policy_id",
        "categ_id.parent_id",
    )
    def _compute_aftersales_effective_policy_id(self):
        policies = self._aftersales_warranty_policies()
        for template in self:
            template.aftersales_effective_policy_id = policies[template]

    @api.constrains(
        "aftersales_no_service", "aftersales_warranty_policy_id", "aftersales_service_promise_ids"
    )
    def _check_aftersales_no_service(self):
        for template in self.filtered("aftersales_no_service"):
            if template.aftersales_warranty_policy_id or template.aftersales_service_promise_ids:
                raise ValidationError(
                    self.env._(
                        "%(product)s is sold without after-sales service: it can have neither "
                        "a warranty policy nor promised services.",
                        product=template.display_name,
                    )
                )

    def _aftersales_category_chains(self):
        """``({template: [category ids, its own first, up to the root]}, categories)``:
        the categories of the templates and all their parents, read in one browse."""
        chains = {
            template: [int(p) for p in (template.categ_id.parent_path or "").split("/") if p][::-1]
            for template in self
        }
        ids = sorted({categ_id for chain in chains.values() for categ_id in chain})
        return chains, self.env["product.category"].browse(ids)

    def _aftersales_warranty_policies(self):
        """``{template: policy}`` for the templates, in one pass over their categories.

        The product's own policy wins; then its category's, then the nearest parent
        category's. Products without after-sales service have none.
        """
        chains, categories = self._aftersales_category_chains()
        categ_policy = {categ.id: categ.aftersales_warranty_policy_id for categ in categories}
        empty = self.env["aftersales.warranty.policy"]
        result = {}
        for template in self:
            policy = empty
            if not template.aftersales_no_service:
                policy = template.aftersales_warranty_policy_id
                for categ_id in chains[template]:
                    if policy:
                        break
                    policy = categ_policy.get(categ_id, empty)
            result[template] = policy
        return result

    # Extended warranty sold like any product: a service product that adds months to
    # the warranty card of the device named on the sale line.

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

    def _aftersales_provision_rates(self):
        """``{template: rate in percent}`` for the templates, in one pass.

        Only products under a warranty policy have a provision (none for products
        without after-sales service). The nearest category, from the product's own up
        its parents, that overrides the rate wins; else the policy's rate.
        """
        policies = self._aftersales_warranty_policies()
        chains, categories = self._aftersales_category_chains()
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
                for categ_id in chains[template]:
                    if categ_id in overrides:
                        rate = overrides[categ_id]
                        break
            rates[template] = rate
        return rates
