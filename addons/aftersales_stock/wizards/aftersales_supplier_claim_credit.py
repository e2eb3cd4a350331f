"""The accountant links the vendor's credit note to a supplier claim."""

from odoo import fields, models


class AftersalesSupplierClaimCredit(models.TransientModel):
    _name = "aftersales.supplier.claim.credit"
    _description = "Record a Supplier Credit Note"

    claim_id = fields.Many2one("aftersales.supplier.claim", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="claim_id.partner_id")
    company_id = fields.Many2one(related="claim_id.company_id")
    move_ids = fields.Many2many(
        "account.move",
        string="Credit Notes",
        required=True,
        domain="[('move_type', '=', 'in_refund'), ('state', '=', 'posted'), "
        "('company_id', '=', company_id), "
        "('commercial_partner_id', '=', partner_id)]",
    )

    def action_record(self):
        self.ensure_one()
        self.claim_id.action_record_credit(self.move_ids)
        return {"type": "ir.actions.act_window_close"}
