"""Warranties that start at the invoice date (R-WAR-2: at sale)."""

from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._aftersales_activate_warranty_cards()
        posted._aftersales_extend_warranty_cards()
        return posted

    def _aftersales_activate_warranty_cards(self):
        """Start the cards awaiting their invoice for the serials these invoices bill.

        The serials come from the deliveries of the invoiced sale lines; an invoice for
        part of the delivered quantity starts as many cards, the earliest delivered
        first. One search of cards for all invoices, one write per invoice date.
        """
        invoices = self.filtered(lambda m: m.move_type == "out_invoice" and m.state == "posted")
        lines = invoices.invoice_line_ids.filtered(
            lambda line: (
                line.display_type == "product"
                and line.product_id.tracking == "serial"
                and line.sale_line_ids
                and line.quantity > 0
            )
        )
        if not lines:
            return
        delivered_lots = {}
        for line in lines:
            moves = line.sale_line_ids.move_ids.filtered(
                lambda m: m.state == "done" and m.location_dest_id.usage == "customer"
            )
            delivered_lots[line] = moves.move_line_ids.lot_id
        Card = self.env["aftersales.warranty.card"].sudo()
        all_lots = self.env["stock.lot"].union(*delivered_lots.values())
        cards = Card.search(
            [
                ("lot_id", "in", all_lots.ids),
                ("state", "=", "draft"),
                ("start_rule", "=", "invoice"),
            ],
            order="issue_date, id",
        )
        if not cards:
            return
        by_lot = {card.lot_id: card for card in cards}
        taken = Card.browse()
        by_date = {}
        for line in lines.sorted(lambda aml: (aml.move_id.invoice_date, aml.id)):
            quantity = int(
                line.product_uom_id._compute_quantity(line.quantity, line.product_id.uom_id)
            )
            waiting = (
                Card.browse([by_lot[lot].id for lot in delivered_lots[line] if lot in by_lot])
                - taken
            ).sorted(lambda card: (card.issue_date, card.id))
            chosen = waiting[:quantity]
            if not chosen:
                continue
            taken |= chosen
            day_cards, names = by_date.setdefault(line.move_id.invoice_date, [Card.browse(), set()])
            by_date[line.move_id.invoice_date][0] = day_cards | chosen
            names.add(line.move_id.name)
        for day, (day_cards, names) in by_date.items():
            day_cards._activate(day, "invoice", reason=", ".join(sorted(names)))

    def _aftersales_extend_warranty_cards(self):
        """Apply the warranty extensions these posted customer invoices sell, and undo
        those their posted credit notes reverse.

        Once per invoice line: the line remembers what it applied, so a reset to draft
        and a second posting change nothing. A credit note removes the months its
        reversed invoice added (else the product's months), never more than the card's
        extension. The cards change with ``sudo``: the posted invoice is the authority
        for an extension sold, and whoever posts it is not an after-sales manager.
        """
        moves = self.filtered(
            lambda m: m.state == "posted" and m.move_type in ("out_invoice", "out_refund")
        )
        lines = moves.invoice_line_ids.filtered(
            lambda line: (
                line.display_type == "product"
                and line.aftersales_card_id
                and not line.aftersales_extension_done
                and line.product_id.aftersales_extension_months > 0
                and line.quantity
            )
        )
        if not lines:
            return
        applied = {}
        for line in lines:
            refund = (line.move_id.move_type == "out_refund") != (line.quantity < 0)
            months = line.product_id.aftersales_extension_months
            if refund and line.move_id.reversed_entry_id:
                origin = line.move_id.reversed_entry_id.invoice_line_ids.filtered(
                    lambda aml, card=line.aftersales_card_id: (
                        aml.aftersales_card_id == card and aml.aftersales_extension_months > 0
                    )
                )[:1]
                months = origin.aftersales_extension_months or months
            applied.setdefault((line.move_id, -months if refund else months), []).append(line)
        Line = self.env["account.move.line"]
        for (move, months), group in applied.items():
            group = Line.union(*group)
            cards = group.aftersales_card_id.sudo()._aftersales_in_force()
            if months > 0:
                reason = self.env._(
                    "Extended warranty sold on invoice %(invoice)s.", invoice=move.name
                )
                cards._extend(months, reason)
            else:
                reason = self.env._(
                    "Credit note %(refund)s cancels the extended warranty of %(invoice)s.",
                    refund=move.name,
                    invoice=move.reversed_entry_id.name or move.ref or "",
                )
                cards._aftersales_shorten(-months, reason)
            group.sudo().write(
                {"aftersales_extension_done": True, "aftersales_extension_months": months}
            )
