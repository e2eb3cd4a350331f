"""Parts an in-house technician used on a job (R-AGT-7): sale price and cost, for the
commission on the part margin. Agents' parts go on their work reports instead."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class AftersalesTechnicianJobPart(models.Model):
    _name = "aftersales.technician.job.part"
    _description = "Part Used by a Technician"
    _order = "request_id, id"

    request_id = fields.Many2one(
        "aftersales.request", string="Job", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    technician_id = fields.Many2one(related="request_id.technician_id", string="Technician")
    product_id = fields.Many2one(
        "product.product",
        string="Part",
        required=True,
        domain="[('type', '=', 'consu')]",
    )
    quantity = fields.Float(default=1.0, required=True, digits="Product Unit of Measure")
    price_unit = fields.Monetary(
        "Sale Price",
        compute="_compute_prices",
        store=True,
        readonly=False,
        precompute=True,
        help="Unit price charged to the customer.",
    )
    cost_unit = fields.Monetary(
        "Unit Cost",
        compute="_compute_prices",
        store=True,
        precompute=True,
        help="The part's cost when it was recorded.",
    )
    margin = fields.Monetary(compute="_compute_margin", store=True)

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The quantity of a part must be positive."),
        (
            "price_positive",
            "CHECK(price_unit >= 0)",
            "The sale price of a part cannot be negative.",
        ),
    ]

    @api.depends("product_id")
    def _compute_prices(self):
        for part in self:
            product = part.product_id.with_company(part.company_id or self.env.company)
            part.price_unit = product.lst_price
            part.cost_unit = product.standard_price

    @api.depends("price_unit", "cost_unit", "quantity")
    def _compute_margin(self):
        for part in self:
            part.margin = (part.price_unit - part.cost_unit) * part.quantity

    @api.constrains("request_id", "product_id")
    def _check_in_house_job(self):
        for part in self:
            if part.request_id.agent_id:
                raise UserError(
                    self.env._(
                        "Job %(name)s belongs to a service agent: its parts go on the "
                        "agent's work report.",
                        name=part.request_id.name,
                    )
                )
            if part.product_id.type != "consu":
                raise UserError(
                    self.env._(
                        "%(product)s is not a part (goods product).",
                        product=part.product_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        requests = self.env["aftersales.request"].browse(
            [vals["request_id"] for vals in vals_list if vals.get("request_id")]
        )
        requests._check_technician_parts_open()
        for vals in vals_list:
            self._check_amounts(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_amounts(vals)
        self.request_id._check_technician_parts_open()
        if vals.get("request_id"):
            self.env["aftersales.request"].browse(vals["request_id"])._check_technician_parts_open()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_commissioned(self):
        self.request_id._check_technician_parts_open()

    def _check_amounts(self, vals):
        """Checked on the values, before the database's own check refuses them without
        a message a user can read."""
        if "quantity" in vals and (vals["quantity"] or 0) <= 0:
            raise ValidationError(self.env._("The quantity of a part must be positive."))
        if (vals.get("price_unit") or 0) < 0:
            raise ValidationError(self.env._("The sale price of a part cannot be negative."))
