"""Part catalog (R-BASE, R-STK-2/3/4): structured part codes, the devices a part fits,
high-value parts that never go on consignment, the consignment uplift, core returns."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_is_zero, float_round

from .. import tools as stools


class ProductTemplate(models.Model):
    _inherit = "product.template"

    aftersales_is_part = fields.Boolean(
        "After-Sales Part", index=True, help="A spare part the after-sales service issues."
    )
    aftersales_part_code = fields.Char(
        "Part Code",
        index="btree_not_null",
        copy=False,
        help="Device type / assembly / part, e.g. HTR-BRN-012.",
    )
    aftersales_device_type_code = fields.Char(
        "Device Type Code", compute="_compute_part_code_segments", store=True
    )
    aftersales_assembly_code = fields.Char(
        "Assembly Code", compute="_compute_part_code_segments", store=True
    )
    aftersales_fits_ids = fields.Many2many(
        "product.template",
        "aftersales_part_fits_rel",
        "part_id",
        "device_id",
        string="Fits Devices",
        help="Devices this part can be used on.",
    )
    aftersales_high_value = fields.Boolean(
        "High-Value Part", help="Never sent on consignment (R-STK-2)."
    )
    aftersales_consignment_ok = fields.Boolean(
        "Consignment Allowed", help="May be lent to agents on consignment."
    )
    aftersales_consignment_uplift = fields.Float(
        "Consignment Uplift (%)",
        help="Consigned parts are sold to the agent at the sales price plus this share.",
    )
    aftersales_core_required = fields.Boolean(
        "Core Return Required",
        help="The defective part replaced under warranty must come back to the company.",
    )
    aftersales_core_days = fields.Integer(
        "Core Return Days", help="Days allowed to return the core; the company's when 0."
    )

    _sql_constraints = [
        (
            "aftersales_part_code_uniq",
            "UNIQUE(aftersales_part_code, company_id)",
            "A part code must be unique.",
        ),
        (
            "aftersales_uplift_positive",
            "CHECK(aftersales_consignment_uplift >= 0)",
            "The consignment uplift cannot be negative.",
        ),
        (
            "aftersales_core_days_positive",
            "CHECK(aftersales_core_days >= 0)",
            "The core return days cannot be negative.",
        ),
    ]

    @api.depends("aftersales_part_code")
    def _compute_part_code_segments(self):
        for template in self:
            parsed = stools.parse_part_code(template.aftersales_part_code)
            template.aftersales_device_type_code = parsed[0] if parsed else False
            template.aftersales_assembly_code = parsed[1] if parsed else False

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_part_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._normalize_part_vals(vals)
        return super().write(vals)

    def _normalize_part_vals(self, vals):
        code = vals.get("aftersales_part_code")
        if code:
            normal = stools.format_part_code(code)
            if not normal:
                raise ValidationError(
                    self.env._(
                        "Part code %(code)s is not of the form DEVICE TYPE-ASSEMBLY-PART "
                        "(letters and digits, e.g. HTR-BRN-012).",
                        code=code,
                    )
                )
            vals["aftersales_part_code"] = normal
            vals.setdefault("aftersales_is_part", True)
        if (vals.get("aftersales_consignment_uplift") or 0) < 0:
            raise ValidationError(self.env._("The consignment uplift cannot be negative."))

    @api.constrains("aftersales_high_value", "aftersales_consignment_ok")
    def _check_high_value_consignment(self):
        for template in self:
            if template.aftersales_high_value and template.aftersales_consignment_ok:
                raise ValidationError(
                    self.env._(
                        "%(part)s is a high-value part: it can never go on consignment.",
                        part=template.display_name,
                    )
                )

    # Piece: supplier claims and refurbishing. The vendor's warranty on a part, counted
    # from its receipt: cores of parts still under it go back to the vendor.
    aftersales_supplier_warranty_days = fields.Integer(
        "Supplier Warranty Days",
        help="Days of the vendor's warranty from the part's receipt; 0 for none. A core "
        "received within them can be claimed from the vendor.",
    )


class ProductProduct(models.Model):
    _inherit = "product.product"

    @api.model
    def _aftersales_part_by_code(self, code, company=None):
        """The part whose code (in any accepted spelling) is ``code``, or empty."""
        normal = stools.format_part_code(code)
        if not normal:
            return self.browse()
        company = company or self.env.company
        return self.search(
            [
                ("aftersales_part_code", "=", normal),
                ("company_id", "in", (False, company.id)),
            ],
            limit=1,
        )

    def _aftersales_consignment_price(self):
        self.ensure_one()
        return stools.consignment_price(self.lst_price, self.aftersales_consignment_uplift)

    def _aftersales_core_due(self, start, company):
        self.ensure_one()
        return start + timedelta(days=self.aftersales_core_days or company.aftersales_core_days)

    def _aftersales_check_part_quantity(self, quantity):
        """A part moves in positive quantities, whole ones for parts counted in units."""
        self.ensure_one()
        if not self.is_storable:
            raise ValidationError(
                self.env._("%(product)s is not a stocked part.", product=self.display_name)
            )
        if quantity <= 0:
            raise ValidationError(
                self.env._(
                    "The quantity of %(product)s must be positive.", product=self.display_name
                )
            )
        uom = self.uom_id
        in_units = uom.category_id == self.env.ref("uom.product_uom_categ_unit")
        if (in_units or self.tracking == "serial") and not float_is_zero(
            quantity - float_round(quantity, precision_rounding=1.0), precision_digits=6
        ):
            raise ValidationError(
                self.env._(
                    "%(product)s is counted in whole %(uom)s: %(quantity)s is not a whole number.",
                    product=self.display_name,
                    uom=uom.name,
                    quantity=quantity,
                )
            )
