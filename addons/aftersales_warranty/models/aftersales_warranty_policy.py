"""Warranty policy (R-WAR-1, R-WAR-2, R-WAR-6, R-WAR-8): length, start rule, dealer period,
cover and the conditions that void it."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

START_RULES = [
    ("delivery", "Delivery to the Customer"),
    ("invoice", "Invoice Date"),
    ("installation", "Installation Report"),
    ("registration", "Customer Registration"),
]


class AftersalesWarrantyPolicy(models.Model):
    _name = "aftersales.warranty.policy"
    _description = "Warranty Policy"
    _inherit = ["mail.thread"]
    _order = "sequence, name, id"
    _rec_names_search = ["name", "code"]

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(required=True, index=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="Leave empty to share the policy between companies.",
    )
    duration_months = fields.Integer(
        "Duration (months)",
        required=True,
        tracking=True,
        help="Length of the warranty from its start.",
    )
    start_rule = fields.Selection(
        START_RULES,
        required=True,
        default="delivery",
        tracking=True,
        help="What starts the warranty of a device sold to a customer. Devices delivered "
        "to a dealer start at installation or customer registration, or after the "
        "dealer period.",
    )
    dealer_months = fields.Integer(
        "Dealer Period (months)",
        tracking=True,
        help="Pre-sale warranty while the device sits at a dealer, from the delivery to "
        "the dealer until its retail sale (installation or registration). A device never "
        "sold on starts its warranty on the day after this period. 0: no dealer period.",
    )
    cover_parts = fields.Boolean("Parts Covered", default=True, tracking=True)
    cover_labour = fields.Boolean("Labour Covered", default=True, tracking=True)
    cover_travel = fields.Boolean("Travel Covered", tracking=True)
    exclusions = fields.Text(
        translate=True, help="What the warranty does not cover, as printed on the card."
    )
    void_reason_ids = fields.Many2many(
        "aftersales.warranty.void.reason",
        string="Void Conditions",
        help="Conditions that void a card of this policy; when set, a card can only be "
        "voided for one of them.",
    )
    product_tmpl_ids = fields.One2many(
        "product.template", "aftersales_warranty_policy_id", string="Products"
    )
    categ_ids = fields.One2many(
        "product.category", "aftersales_warranty_policy_id", string="Product Categories"
    )
    card_count = fields.Integer(compute="_compute_card_count")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "The warranty policy code must be unique per company.",
        ),
        (
            "duration_positive",
            "CHECK(duration_months > 0)",
            "A warranty policy needs a duration of at least one month.",
        ),
        (
            "dealer_months_positive",
            "CHECK(dealer_months >= 0)",
            "The dealer period cannot be negative.",
        ),
    ]

    def _compute_card_count(self):
        counts = dict(
            self.env["aftersales.warranty.card"]._read_group(
                [("policy_id", "in", self.ids)], ["policy_id"], ["__count"]
            )
        )
        for policy in self:
            policy.card_count = counts.get(policy, 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_months_vals(vals, vals.get("name"))
        return super().create(vals_list)

    def write(self, vals):
        if "duration_months" in vals or "dealer_months" in vals:
            for policy in self:
                policy._check_months_vals(vals, vals.get("name") or policy.name)
        return super().write(vals)

    @api.model
    def _check_months_vals(self, vals, name):
        """Refuse a policy without duration in words, before PostgreSQL's CHECK does.

        Checked in create/write rather than with ``@api.constrains`` so that the message
        comes first and also when the key is missing from what a client sends.
        """
        if "duration_months" in vals or not self:
            duration = vals.get("duration_months") or 0
            if duration <= 0:
                raise ValidationError(
                    self.env._(
                        "Warranty policy %(policy)s has no duration: give the warranty length "
                        "in months (at least 1).",
                        policy=name or "",
                    )
                )
        if (vals.get("dealer_months") or 0) < 0:
            raise ValidationError(
                self.env._(
                    "Warranty policy %(policy)s: the dealer period cannot be negative.",
                    policy=name or "",
                )
            )

    def action_view_cards(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_warranty.aftersales_warranty_card_action"
        )
        action["domain"] = [("policy_id", "=", self.id)]
        action["context"] = {}
        return action

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
