"""Warranties that start at the invoice date (R-WAR-2: at sale)."""

from collections import defaultdict

from odoo import Command, api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._aftersales_activate_warranty_cards()
        posted._aftersales_extend_warranty_cards()
        posted._aftersales_post_warranty_provision()
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

    def _aftersales_post_warranty_provision(self):
        """Set aside the warranty provision of these posted customer invoices (R-FIN).

        One entry per invoice on its company's provision journal, at the invoice's
        accounting date: per product under a warranty policy, the provision rate times
        the untaxed amount in company currency (the line balance, so converted at the
        invoice's rate), debited to the provision expense and credited to the provision,
        with the product and the customer on both lines. Credit notes post the opposite
        entry. One search for the entries already made, one create and one post for the
        whole batch.
        """
        documents = self.filtered(
            lambda m: (
                m.move_type in ("out_invoice", "out_refund")
                and m.state == "posted"
                and m.company_id.aftersales_provision_enabled
            )
        )
        if not documents:
            return
        Move = self.env["account.move"]
        # A document reset to draft without button_draft keeps its entry: not twice.
        documents -= Move.search(
            [
                ("aftersales_provision_invoice_id", "in", documents.ids),
                ("state", "=", "posted"),
                ("reversed_entry_id", "=", False),
                ("reversal_move_ids", "=", False),
            ]
        ).aftersales_provision_invoice_id
        product_lines = documents.invoice_line_ids.filtered(
            lambda line: line.display_type == "product" and line.product_id
        )
        # The policy of a product shared between companies may belong to another one.
        rates = product_lines.product_id.product_tmpl_id.sudo()._aftersales_provision_rates()
        amounts = defaultdict(lambda: defaultdict(float))
        for line in product_lines:
            rate = rates[line.product_id.product_tmpl_id]
            if rate:
                amounts[line.move_id][line.product_id] -= line.balance * rate / 100.0
        vals_list = []
        for document in documents:
            company = document.company_id
            line_commands = []
            for product, amount in amounts[document].items():
                amount = company.currency_id.round(amount)
                if company.currency_id.is_zero(amount):
                    continue
                common = {
                    "name": self.env._(
                        "Warranty provision: %(product)s", product=product.display_name
                    ),
                    "product_id": product.id,
                    "partner_id": document.commercial_partner_id.id,
                }
                line_commands += [
                    Command.create(
                        {
                            **common,
                            "account_id": company.aftersales_provision_expense_account_id.id,
                            "balance": amount,
                        }
                    ),
                    Command.create(
                        {
                            **common,
                            "account_id": company.aftersales_provision_account_id.id,
                            "balance": -amount,
                        }
                    ),
                ]
            if line_commands:
                vals_list.append(
                    {
                        "move_type": "entry",
                        "company_id": company.id,
                        "journal_id": company.aftersales_provision_journal_id.id,
                        "date": document.date,
                        "ref": self.env._(
                            "Warranty provision of %(invoice)s", invoice=document.name
                        ),
                        "aftersales_provision_invoice_id": document.id,
                        "line_ids": line_commands,
                    }
                )
        if vals_list:
            Move.create(vals_list)._post(soft=False)

    aftersales_provision_invoice_id = fields.Many2one(
        "account.move",
        string="Warranty Provision of",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The customer invoice or credit note whose warranty provision this entry "
        "sets aside (or reverses).",
    )
    aftersales_provision_move_ids = fields.One2many(
        "account.move",
        "aftersales_provision_invoice_id",
        string="Warranty Provision Entries",
        readonly=True,
    )
    aftersales_provision_move_id = fields.Many2one(
        "account.move",
        string="Warranty Provision",
        compute="_compute_aftersales_provision_move_id",
        help="The posted entry that holds this invoice's warranty provision.",
    )
    aftersales_provision_count = fields.Integer(compute="_compute_aftersales_provision_move_id")

    @api.depends(
        "aftersales_provision_move_ids.state",
        "aftersales_provision_move_ids.reversal_move_ids",
    )
    def _compute_aftersales_provision_move_id(self):
        for move in self:
            entries = move.aftersales_provision_move_ids
            move.aftersales_provision_count = len(entries)
            move.aftersales_provision_move_id = entries._aftersales_provision_current()[-1:]

    def button_draft(self):
        result = super().button_draft()
        self._aftersales_reverse_warranty_provision()
        return result

    def button_cancel(self):
        result = super().button_cancel()
        # Posted invoices went through button_draft already; this catches the rest.
        self._aftersales_reverse_warranty_provision()
        return result

    def action_view_aftersales_provision(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_journal_line")
        action["domain"] = [("aftersales_provision_invoice_id", "=", self.id)]
        action["context"] = {"default_move_type": "entry"}
        if len(self.aftersales_provision_move_ids) == 1:
            action["views"] = [(self.env.ref("account.view_move_form").id, "form")]
            action["res_id"] = self.aftersales_provision_move_ids.id
        return action

    def _aftersales_provision_current(self):
        """The entries among these that hold a provision now: posted, neither a reversal
        nor reversed."""
        return self.filtered(
            lambda m: m.state == "posted" and not m.reversed_entry_id and not m.reversal_move_ids
        ).sorted("id")

    def _aftersales_reverse_warranty_provision(self):
        """Reverse the provision entries of these invoices with Odoo's own reversal,
        dated like the entry (the posting moves it past a lock date), so that the entry
        stays as posted and a re-posted invoice sets aside a fresh one."""
        documents = self.filtered(lambda m: m.move_type in ("out_invoice", "out_refund"))
        if not documents:
            return
        entries = self.env["account.move"].search(
            [
                ("aftersales_provision_invoice_id", "in", documents.ids),
                ("state", "=", "posted"),
                ("reversed_entry_id", "=", False),
                ("reversal_move_ids", "=", False),
            ]
        )
        if not entries:
            return
        entries._reverse_moves(
            [
                {
                    "date": entry.date,
                    "ref": self.env._(
                        "Reversal of %(entry)s: %(invoice)s reset to draft or cancelled",
                        entry=entry.name,
                        invoice=entry.aftersales_provision_invoice_id.name,
                    ),
                    "aftersales_provision_invoice_id": entry.aftersales_provision_invoice_id.id,
                }
                for entry in entries
            ],
            cancel=True,
        )
