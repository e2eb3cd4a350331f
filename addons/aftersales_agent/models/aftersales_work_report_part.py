"""Parts used on a work report: part product, quantity, the part's serial where the part
is tracked; a line can be voided by the company (R-AGT-3)."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class AftersalesWorkReportPart(models.Model):
    _name = "aftersales.work.report.part"
    _description = "Work Report Part"
    _order = "report_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    report_id = fields.Many2one(
        "aftersales.work.report", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="report_id.company_id", store=True, index=True)
    product_id = fields.Many2one(
        "product.product",
        string="Part",
        required=True,
        index=True,
        check_company=True,
        domain="[('type', '=', 'consu')]",
    )
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit of Measure")
    uom_id = fields.Many2one(related="product_id.uom_id")
    part_serial = fields.Char()
    device_lot_id = fields.Many2one(
        related="report_id.lot_id", store=True, string="Device Serial", index="btree_not_null"
    )
    voided = fields.Boolean(readonly=True, copy=False)
    void_reason = fields.Char(readonly=True, copy=False)

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "A part quantity must be positive."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        # Before the insert: the database's own check would only say "constraint".
        for vals in vals_list:
            if "quantity" in vals and (vals["quantity"] or 0) <= 0:
                raise ValidationError(self.env._("A part quantity must be positive."))
        return super().create(vals_list)

    def write(self, vals):
        if "quantity" in vals and (vals["quantity"] or 0) <= 0:
            raise ValidationError(self.env._("A part quantity must be positive."))
        return super().write(vals)

    @api.constrains("product_id", "quantity", "part_serial")
    def _check_part_constraint(self):
        self._check_part()

    def _check_part(self):
        for line in self:
            if line.product_id.type != "consu":
                raise ValidationError(
                    self.env._(
                        "%(product)s is not a part (a physical product): it cannot be used "
                        "on a work report.",
                        product=line.product_id.display_name,
                    )
                )
            if line.quantity <= 0:
                raise ValidationError(
                    self.env._(
                        "The quantity of %(product)s must be positive.",
                        product=line.product_id.display_name,
                    )
                )
            if line.product_id.tracking == "serial" and line.quantity != 1:
                raise ValidationError(
                    self.env._(
                        "%(product)s is tracked by serial: one line per part, quantity 1.",
                        product=line.product_id.display_name,
                    )
                )
            if line.product_id.tracking != "none" and not (line.part_serial or "").strip():
                raise ValidationError(
                    self.env._(
                        "Give the serial or lot number of the part %(product)s.",
                        product=line.product_id.display_name,
                    )
                )

    def action_void(self, reason):
        """The company voids a part line of a submitted report (kept, not counted)."""
        if not self.env.user.has_group("aftersales_base.group_aftersales_manager"):
            raise UserError(self.env._("Only an after-sales manager may void part lines."))
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason to void the part line."))
        if self.report_id.filtered(lambda r: r.state != "submitted"):
            raise UserError(self.env._("Part lines are voided while the report awaits approval."))
        self.write({"voided": True, "void_reason": reason.strip()})
        return True

    # ------------------------------------------------------------------
    # piece: parts sold: the part line sold to the agent on a customer invoice
    # ------------------------------------------------------------------

    invoice_line_id = fields.Many2one(
        "account.move.line",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Line of the customer invoice that sold this part to the agent (parts of paid work).",
    )

    def _is_to_sell(self):
        """Still to be sold to the agent (read again under the settlement's lock)."""
        self.ensure_one()
        return (
            not self.voided
            and self.report_id.state == "approved"
            and (not self.invoice_line_id or self.invoice_line_id.parent_state == "cancel")
        )
