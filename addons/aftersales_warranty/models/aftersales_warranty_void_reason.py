"""Coded conditions that void a warranty (R-WAR-6)."""

from odoo import fields, models


class AftersalesWarrantyVoidReason(models.Model):
    _name = "aftersales.warranty.void.reason"
    _inherit = ["aftersales.code.mixin"]
    _description = "Warranty Void Reason"

    description = fields.Text(
        translate=True, help="The condition as printed in the warranty terms for the customer."
    )

    _sql_constraints = [("code_uniq", "unique(code)", "The void reason code must be unique.")]
