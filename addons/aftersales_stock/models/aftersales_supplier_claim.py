"""Supplier warranty claims (R-STK-4, for importers): accepted cores of parts still under
their supplier's warranty go back to the vendor on a return picking; the vendor's credit
note is matched against the parts' purchase cost, and a short payment shows as a
variance that keeps the claim open until a manager closes it with a reason.

Eligibility: a core may go on a claim to a vendor when its part was received from that
vendor (a done receipt of a purchase order) and the part's supplier warranty, counted in
days from the last such receipt, had not run out when the core was received:
``last receipt + aftersales_supplier_warranty_days >= core received date``. A part whose
supplier warranty days are 0 has no supplier warranty.

Cost of a core: the unit price of the purchase order line of that last done receipt (in
the company's currency and the part's unit), else the part's cost (standard price). The
credit is compared without taxes, as the purchase cost is."""

from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

CLAIM_STATES = [
    ("draft", "Draft"),
    ("sent", "Sent to Vendor"),
    ("variance", "Short Credit"),
    ("credited", "Credited"),
    ("closed", "Closed"),
]
WAREHOUSE = ("stock.group_stock_user", "aftersales_base.group_aftersales_manager")
ACCOUNTING = ("account.group_account_invoice", "aftersales_base.group_aftersales_manager")
MANAGER = "aftersales_base.group_aftersales_manager"


class AftersalesSupplierClaim(models.Model):
    _name = "aftersales.supplier.claim"
    _description = "Supplier Warranty Claim"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        "Claim Number",
        required=True,
        readonly=True,
        copy=False,
        default=lambda s: s.env._("New"),
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Vendor",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    state = fields.Selection(
        CLAIM_STATES, required=True, default="draft", index=True, tracking=True, copy=False
    )
    line_ids = fields.One2many(
        "aftersales.supplier.claim.line",
        "claim_id",
        string="Cores",
        copy=False,
    )
    core_count = fields.Integer(compute="_compute_core_count")
    picking_id = fields.Many2one(
        "stock.picking", "Return Picking", readonly=True, copy=False, check_company=True
    )
    sent_date = fields.Datetime(readonly=True, copy=False)
    credit_move_ids = fields.Many2many(
        "account.move",
        "aftersales_supplier_claim_credit_rel",
        "claim_id",
        "move_id",
        string="Credit Notes",
        readonly=True,
        copy=False,
    )
    claimed_amount = fields.Monetary(
        "Claimed", compute="_compute_claimed_amount", store=True, help="Purchase cost of the cores."
    )
    credited_amount = fields.Monetary(
        "Credited",
        readonly=True,
        copy=False,
        tracking=True,
        help="Untaxed total of the vendor's posted credit notes.",
    )
    variance_amount = fields.Monetary(
        "Variance",
        readonly=True,
        copy=False,
        tracking=True,
        help="Claimed minus credited: what the vendor still owes.",
    )
    close_reason = fields.Text(
        copy=False,
        help="Why the claim is closed although the vendor did not credit it in full.",
    )
    closed_user_id = fields.Many2one("res.users", "Closed By", readonly=True, copy=False)

    _sql_constraints = [
        ("name_unique", "UNIQUE(name, company_id)", "A supplier claim number must be unique."),
    ]

    @api.depends("line_ids")
    def _compute_core_count(self):
        for claim in self:
            claim.core_count = len(claim.line_ids)

    @api.depends("line_ids.subtotal")
    def _compute_claimed_amount(self):
        for claim in self:
            claim.claimed_amount = sum(claim.line_ids.mapped("subtotal"))

    @api.model_create_multi
    def create(self, vals_list):
        self.env["ir.sequence"]._aftersales_number(vals_list, "aftersales.supplier.claim")
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Opening from cores
    # ------------------------------------------------------------------

    @api.model
    def _create_for_cores(self, cores, vendor=None):
        """Claims for ``cores``: one per vendor (the vendor of each part's last receipt
        when ``vendor`` is not given)."""
        cores._aftersales_check_claimable()
        if vendor:
            groups = {vendor: cores}
        else:
            groups = {}
            # One company (checked above): one search for the last receipts of all parts.
            receipts = self._last_receipts(cores.product_id, cores.company_id)
            for core in cores:
                receipt = receipts.get(core.product_id)
                if not receipt:
                    raise UserError(
                        self.env._(
                            "%(part)s of core %(core)s was never received from a vendor: no "
                            "supplier to claim from.",
                            part=core.product_id.display_name,
                            core=core.name,
                        )
                    )
                partner = receipt.purchase_line_id.partner_id.commercial_partner_id
                groups[partner] = groups.get(partner, cores.browse()) | core
        return self.create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": group.company_id.id,
                    "line_ids": [Command.create({"core_id": core.id}) for core in group],
                }
                for partner, group in groups.items()
            ]
        )

    @api.model
    def _last_receipts(self, products, company, vendor=None):
        """The last done receipt move (from a purchase order, of ``vendor`` when given)
        of each product of ``products`` in ``company``: ``{product: stock.move}``."""
        domain = [
            ("product_id", "in", products.ids),
            ("company_id", "=", company.id),
            ("state", "=", "done"),
            ("purchase_line_id", "!=", False),
            ("location_id.usage", "=", "supplier"),
        ]
        if vendor:
            domain.append(
                ("purchase_line_id.partner_id", "child_of", vendor.commercial_partner_id.id)
            )
        moves = self.env["stock.move"].sudo().search(domain, order="date desc, id desc")
        last = {}
        for move in moves:
            last.setdefault(move.product_id, move)
        return last

    @api.model
    def _purchase_cost(self, receipt, product, company):
        """Unit cost of ``product`` bought on the receipt move ``receipt``: the purchase
        line's unit price in ``company``'s currency per the part's unit; the part's cost
        when there is no receipt."""
        if not receipt:
            return product.with_company(company).standard_price
        line = receipt.purchase_line_id
        price = line.currency_id._convert(
            line.price_unit, company.currency_id, company, line.order_id.date_order or receipt.date
        )
        return line.product_uom._compute_price(price, product.uom_id)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _check_groups(self, groups, message):
        if self.env.su or any(self.env.user.has_group(group) for group in groups):
            return
        raise AccessError(message)

    def _check_state(self, states, message):
        wrong = self.filtered(lambda c: c.state not in states)
        if wrong:
            raise UserError(message % {"names": ", ".join(wrong.mapped("name"))})

    def action_send(self):
        """Return the cores to the vendor: one return picking per claim, validated."""
        self._check_groups(
            WAREHOUSE,
            self.env._("Only the warehouse or an after-sales manager may send cores to vendors."),
        )
        self._check_state(
            ("draft",), self.env._("Claims %(names)s were already sent to the vendor.")
        )
        empty = self.filtered(lambda c: not c.line_ids)
        if empty:
            raise UserError(
                self.env._(
                    "Claims %(names)s have no core to send.", names=", ".join(empty.mapped("name"))
                )
            )
        for claim in self:
            claim.line_ids.core_id._aftersales_check_claimable(claim)
        self.line_ids._check_eligible()
        self.company_id._aftersales_stock_check()
        claims = self.sudo()
        pickings = (
            self.env["stock.picking"]
            .sudo()
            .create([claim._return_picking_values() for claim in claims])
        )
        # One move per core (not merged by product): each core keeps its own return move.
        pickings.move_ids._action_confirm(merge=False)
        for picking in pickings:
            for move in picking.move_ids:
                move.move_line_ids.unlink()
                move.write(
                    {
                        "picked": True,
                        "move_line_ids": [
                            Command.create(
                                {
                                    "product_id": move.product_id.id,
                                    "product_uom_id": move.product_uom.id,
                                    "quantity": move.product_uom_qty,
                                    "lot_id": move.aftersales_core_id.lot_id.id,
                                    "location_id": move.location_id.id,
                                    "location_dest_id": move.location_dest_id.id,
                                    "picking_id": picking.id,
                                    "company_id": picking.company_id.id,
                                }
                            )
                        ],
                    }
                )
        pickings._action_done()
        not_done = pickings.filtered(lambda p: p.state != "done")
        if not_done:
            raise UserError(
                self.env._(
                    "The return pickings %(names)s could not be validated.",
                    names=", ".join(not_done.mapped("name")),
                )
            )
        now = fields.Datetime.now()
        for claim, picking in zip(claims, pickings, strict=True):
            claim.write({"state": "sent", "sent_date": now, "picking_id": picking.id})
            claim.message_post(
                body=self.env._(
                    "Cores returned to the vendor on %(picking)s.", picking=picking.name
                )
            )
        return True

    def _return_picking_values(self):
        self.ensure_one()
        company = self.company_id
        picking_type = company.aftersales_stock_warehouse_id.out_type_id
        if not picking_type:
            raise UserError(
                self.env._(
                    "The after-sales warehouse of %(company)s has no delivery operation type.",
                    company=company.name,
                )
            )
        source = company.aftersales_cores_location_id
        vendor = self.partner_id.with_company(company)
        dest = vendor.property_stock_supplier or self.env.ref("stock.stock_location_suppliers")
        return {
            "picking_type_id": picking_type.id,
            "partner_id": self.partner_id.id,
            "location_id": source.id,
            "location_dest_id": dest.id,
            "company_id": company.id,
            "origin": self.name,
            "move_ids": [
                Command.create(
                    {
                        "name": self.env._("Core %(label)s", label=line.core_id.name),
                        "product_id": line.product_id.id,
                        "product_uom_qty": line.quantity,
                        "product_uom": line.product_id.uom_id.id,
                        "location_id": source.id,
                        "location_dest_id": dest.id,
                        "company_id": company.id,
                        "partner_id": self.partner_id.id,
                        "origin": self.name,
                        "aftersales_core_id": line.core_id.id,
                    }
                )
                for line in self.line_ids
            ],
        }

    def action_record_credit(self, credit_notes):
        """Link the vendor's posted credit notes and compare them with the claimed cost:
        a full credit makes the claim credited, a short one keeps it open as a variance."""
        self._check_groups(
            ACCOUNTING,
            self.env._("Only an accountant or an after-sales manager may record credit notes."),
        )
        self.ensure_one()
        self._check_state(
            ("sent", "variance"),
            self.env._("Claim %(names)s is not waiting for a credit note from the vendor."),
        )
        credit_notes = credit_notes.sudo()
        if not credit_notes:
            raise UserError(self.env._("Choose the vendor's credit note."))
        for move in credit_notes:
            if move.move_type != "in_refund":
                raise UserError(
                    self.env._("%(move)s is not a vendor credit note.", move=move.display_name)
                )
            if move.state != "posted":
                raise UserError(
                    self.env._(
                        "Credit note %(move)s is not posted: post it first.",
                        move=move.display_name,
                    )
                )
            if move.commercial_partner_id != self.partner_id.commercial_partner_id:
                raise UserError(
                    self.env._(
                        "Credit note %(move)s is from %(partner)s, not from the claim's vendor "
                        "%(vendor)s.",
                        move=move.display_name,
                        partner=move.partner_id.display_name,
                        vendor=self.partner_id.display_name,
                    )
                )
            if move.company_id != self.company_id:
                raise UserError(
                    self.env._(
                        "Credit note %(move)s belongs to another company.", move=move.display_name
                    )
                )
        used = (
            self.sudo()
            .search([("credit_move_ids", "in", credit_notes.ids), ("id", "!=", self.id)])
            .mapped("name")
        )
        if used or credit_notes & self.credit_move_ids:
            raise UserError(
                self.env._(
                    "These credit notes are already recorded on claim %(claims)s.",
                    claims=", ".join(used or [self.name]),
                )
            )
        claim = self.sudo()
        claim.credit_move_ids = [Command.link(move.id) for move in credit_notes]
        credited = sum(abs(move.amount_untaxed_signed) for move in claim.credit_move_ids)
        currency = claim.currency_id
        variance = currency.round(claim.claimed_amount - credited)
        claim.write(
            {
                "credited_amount": credited,
                "variance_amount": variance,
                "state": "variance" if currency.compare_amounts(variance, 0) > 0 else "credited",
            }
        )
        claim.message_post(
            body=self.env._(
                "Credit note %(moves)s recorded: claimed %(claimed)s, credited %(credited)s, "
                "variance %(variance)s.",
                moves=", ".join(credit_notes.mapped("name")),
                claimed=claim.claimed_amount,
                credited=credited,
                variance=variance,
            )
        )
        return True

    def action_close(self, reason=None):
        """A manager closes a short-credited claim, saying why."""
        self._check_groups(
            (MANAGER,), self.env._("Only an after-sales manager may close a short-credited claim.")
        )
        self._check_state(
            ("variance",), self.env._("Claims %(names)s are not short-credited: nothing to close.")
        )
        for claim in self:
            text = (reason or claim.close_reason or "").strip()
            if not text:
                raise UserError(
                    self.env._(
                        "Say why claim %(name)s is closed without the full credit.",
                        name=claim.name,
                    )
                )
            claim.sudo().write(
                {"state": "closed", "close_reason": text, "closed_user_id": self.env.uid}
            )
            claim.message_post(body=self.env._("Closed with a variance: %(reason)s", reason=text))
        return True

    def action_view_picking(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "views": [[False, "form"]],
            "res_id": self.picking_id.id,
        }

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if self.filtered(lambda c: c.state != "draft"):
            raise UserError(self.env._("Only a draft supplier claim can be deleted."))


class AftersalesSupplierClaimLine(models.Model):
    _name = "aftersales.supplier.claim.line"
    _description = "Supplier Warranty Claim Core"
    _order = "claim_id, id"
    _check_company_auto = True

    claim_id = fields.Many2one(
        "aftersales.supplier.claim", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="claim_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="claim_id.currency_id")
    core_id = fields.Many2one(
        "aftersales.core",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('state', '=', 'accepted'), ('supplier_claim_id', '=', False)]",
    )
    product_id = fields.Many2one(related="core_id.product_id", store=True)
    lot_id = fields.Many2one(related="core_id.lot_id")
    quantity = fields.Float(related="core_id.quantity")
    receipt_move_id = fields.Many2one(
        "stock.move",
        "Purchase Receipt",
        compute="_compute_cost",
        store=True,
        help="The part's last receipt from the vendor.",
    )
    supplier_warranty_end = fields.Date(
        compute="_compute_cost",
        store=True,
        help="Last receipt from the vendor plus the part's supplier warranty days.",
    )
    unit_cost = fields.Monetary(
        "Purchase Cost",
        compute="_compute_cost",
        store=True,
        help="Unit price of the part's last purchase from the vendor, else its cost.",
    )
    subtotal = fields.Monetary(compute="_compute_subtotal", store=True)

    _sql_constraints = [
        ("core_unique", "UNIQUE(core_id)", "A core can be on one supplier claim only."),
    ]

    @api.depends("core_id", "claim_id.partner_id")
    def _compute_cost(self):
        Claim = self.env["aftersales.supplier.claim"]
        for (company, vendor), lines in self.grouped(
            lambda line: (line.company_id, line.claim_id.partner_id)
        ).items():
            receipts = Claim._last_receipts(lines.product_id, company, vendor) if vendor else {}
            for line in lines:
                receipt = receipts.get(line.product_id, self.env["stock.move"])
                days = line.product_id.aftersales_supplier_warranty_days
                line.receipt_move_id = receipt
                line.supplier_warranty_end = (
                    receipt.date.date() + timedelta(days=days) if receipt else False
                )
                line.unit_cost = Claim._purchase_cost(receipt, line.product_id, company)

    @api.depends("unit_cost", "quantity")
    def _compute_subtotal(self):
        for line in self:
            line.subtotal = line.currency_id.round(line.unit_cost * line.quantity)

    @api.model_create_multi
    def create(self, vals_list):
        cores = self.env["aftersales.core"].browse(
            [vals["core_id"] for vals in vals_list if vals.get("core_id")]
        )
        cores._aftersales_check_claimable()
        lines = super().create(vals_list)
        lines._check_eligible()
        return lines

    def _check_eligible(self):
        """The core's part was bought from the claim's vendor and was still under its
        supplier warranty when the core came back."""
        for line in self:
            core = line.core_id
            if not line.receipt_move_id:
                raise UserError(
                    self.env._(
                        "%(part)s of core %(core)s was never received from %(vendor)s: it "
                        "cannot be claimed from this vendor.",
                        part=core.product_id.display_name,
                        core=core.name,
                        vendor=line.claim_id.partner_id.display_name,
                    )
                )
            received = (core.received_date or fields.Datetime.now()).date()
            if line.supplier_warranty_end < received:
                raise UserError(
                    self.env._(
                        "%(part)s of core %(core)s is out of its supplier's warranty: bought "
                        "on %(bought)s, %(days)s days of supplier warranty, core received on "
                        "%(received)s.",
                        part=core.product_id.display_name,
                        core=core.name,
                        bought=line.receipt_move_id.date.date(),
                        days=core.product_id.aftersales_supplier_warranty_days,
                        received=received,
                    )
                )

    @api.constrains("core_id", "claim_id")
    def _check_core(self):
        for line in self:
            if line.core_id.company_id != line.claim_id.company_id:
                raise ValidationError(
                    self.env._(
                        "Core %(core)s belongs to another company than claim %(claim)s.",
                        core=line.core_id.name,
                        claim=line.claim_id.name,
                    )
                )
