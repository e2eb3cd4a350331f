from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AftersalesPartRequestLine(models.Model):
    _name = "aftersales.part.request.line"
    _description = "Part Request Line"
    _order = "part_request_id, sequence, id"

    sequence = fields.Integer(default=10)
    part_request_id = fields.Many2one(
        "aftersales.part.request", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="part_request_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="part_request_id.currency_id")
    request_type = fields.Selection(related="part_request_id.request_type")
    product_id = fields.Many2one(
        "product.product",
        string="Part",
        required=True,
        index=True,
        domain="[('is_storable', '=', True)]",
    )
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit of Measure")
    uom_id = fields.Many2one(related="product_id.uom_id")
    price_unit = fields.Monetary(
        "Unit Price",
        compute="_compute_price_unit",
        store=True,
        precompute=True,
        help="Sales price for purchases, plus the consignment uplift for consignment; "
        "nothing for warranty parts.",
    )
    price_subtotal = fields.Monetary(
        "Subtotal", compute="_compute_price_unit", store=True, precompute=True
    )
    move_ids = fields.One2many("stock.move", "aftersales_part_request_line_id", readonly=True)
    quantity_delivered = fields.Float(
        "Delivered", compute="_compute_quantity_delivered", digits="Product Unit of Measure"
    )

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "A part quantity must be positive."),
    ]

    @api.depends("product_id", "quantity", "part_request_id.request_type")
    def _compute_price_unit(self):
        for line in self:
            product = line.product_id.with_company(line.company_id or self.env.company)
            kind = line.part_request_id.request_type
            if kind == "purchase":
                price = product.lst_price
            elif kind == "consignment" and product:
                price = product._aftersales_consignment_price()
            else:
                price = 0.0
            line.price_unit = price
            line.price_subtotal = price * line.quantity

    def _compute_quantity_delivered(self):
        for line in self:
            line.quantity_delivered = sum(
                move.quantity for move in line.move_ids if move.state == "done"
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "quantity" in vals and (vals["quantity"] or 0) <= 0:
                raise ValidationError(self.env._("A part quantity must be positive."))
        return super().create(vals_list)

    def write(self, vals):
        if "quantity" in vals and (vals["quantity"] or 0) <= 0:
            raise ValidationError(self.env._("A part quantity must be positive."))
        return super().write(vals)

    @api.constrains("product_id", "quantity")
    def _check_line_constraint(self):
        self._check_line()

    def _check_line(self):
        for line in self:
            line.product_id._aftersales_check_part_quantity(line.quantity)
            if line.request_type == "consignment":
                template = line.product_id.product_tmpl_id
                if template.aftersales_high_value:
                    raise ValidationError(
                        self.env._(
                            "%(part)s is a high-value part: it is never sent on consignment.",
                            part=line.product_id.display_name,
                        )
                    )
                if not template.aftersales_consignment_ok:
                    raise ValidationError(
                        self.env._(
                            "%(part)s may not be lent on consignment.",
                            part=line.product_id.display_name,
                        )
                    )
