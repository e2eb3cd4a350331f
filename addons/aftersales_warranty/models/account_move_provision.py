"""The warranty provision entries of customer invoices (R-FIN): link, reversal."""

from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

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
