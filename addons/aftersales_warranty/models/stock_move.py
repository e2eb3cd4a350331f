"""Serials leaving for customers get their warranty card (R-WAR-7)."""

from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        # The batch point of every validation: the pickings of one "Validate" click
        # (sale_stock deliveries included) call this once for all their moves.
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        moves._aftersales_issue_warranty_cards()
        return moves

    def _aftersales_issue_warranty_cards(self):
        """One ``_issue_cards`` call for the serials these done moves delivered.

        To a customer the card follows the policy's start rule; to a dealer it starts
        the dealer period. Serials that already have a card (a device coming back and
        leaving again), products without policy or not tracked by serial are skipped:
        a delivery is never blocked by the warranty. Runs as superuser so that the
        warehouse user validating needs no after-sales rights.
        """
        deliveries = self.filtered(
            lambda m: (
                m.state == "done"
                and m.location_dest_id.usage == "customer"
                and m.location_id.usage != "customer"
                and m.product_id.tracking == "serial"
            )
        )
        if not deliveries:
            return self.env["aftersales.warranty.card"]
        Card = self.env["aftersales.warranty.card"].sudo()
        policies = deliveries.product_id.product_tmpl_id._aftersales_warranty_policies()
        vals_list = []
        for move in deliveries:
            policy = policies[move.product_id.product_tmpl_id]
            if not policy:
                continue
            partner = (move.picking_id.partner_id or move.partner_id).commercial_partner_id
            day = fields.Date.context_today(move, timestamp=move.date)
            is_dealer = partner.is_aftersales_dealer
            invoice_date = (
                move._aftersales_invoice_date()
                if policy.start_rule == "invoice" and not is_dealer
                else False
            )
            for line in move.move_line_ids.filtered("lot_id"):
                vals = {
                    "lot_id": line.lot_id.id,
                    "partner_id": False if is_dealer else partner.id,
                    "dealer_id": partner.id if is_dealer else False,
                    "company_id": move.company_id.id,
                    "issue_date": day,
                    "origin": move.picking_id.name or move.reference,
                    "move_id": move.id,
                }
                if invoice_date:
                    vals.update(start_date=invoice_date, activation_source="invoice")
                vals_list.append(vals)
        return Card._issue_cards(vals_list, skip_unwarranted=True)

    def _aftersales_invoice_date(self):
        """Date of the first posted customer invoice of the sale line, if any (an order
        invoiced before its delivery)."""
        self.ensure_one()
        invoices = self.sale_line_id.invoice_lines.move_id.filtered(
            lambda m: m.state == "posted" and m.move_type == "out_invoice" and m.invoice_date
        )
        return min(invoices.mapped("invoice_date")) if invoices else False
