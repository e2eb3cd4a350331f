"""Defective cores (R-STK-4, R-AGT-6/7): a warranty part replaced whose product requires
the core back opens an obligation (part, serial, job, agent or technician, due date).
The agent declares the shipment in the portal and prints the labels; the warehouse scans
and receives the core into the cores location (a stock move) and records the inspection.
Until every core of a report is accepted its warranty fee is held out of settlement; a
core overdue is charged to the agent at the part's cost once (a posted invoice), and the
charge is reversed (a credit note) if the core arrives late and is accepted."""

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

STATES = [
    ("pending", "To Return"),
    ("shipped", "Shipped"),
    ("received", "Received"),
    ("accepted", "Accepted"),
    ("rejected", "Rejected"),
]
INSPECTIONS = [
    ("accepted", "Accepted"),
    ("damaged", "Damaged"),
    ("wrong_part", "Wrong Part"),
]
OWED = ("pending", "shipped")
WAREHOUSE = ("stock.group_stock_user", "aftersales_base.group_aftersales_manager")
MANAGER = "aftersales_base.group_aftersales_manager"


class AftersalesCore(models.Model):
    _name = "aftersales.core"
    _description = "Defective Core"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "due_date, id"
    _check_company_auto = True

    name = fields.Char(
        "Core Label", required=True, readonly=True, copy=False, default=lambda s: s.env._("New")
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    agent_id = fields.Many2one("res.partner", string="Service Agent", index="btree_not_null")
    technician_id = fields.Many2one("res.users", index="btree_not_null")
    request_id = fields.Many2one(
        "aftersales.request", string="Job", required=True, index=True, check_company=True
    )
    report_id = fields.Many2one(
        "aftersales.work.report", string="Work Report", index="btree_not_null", readonly=True
    )
    report_part_id = fields.Many2one(
        "aftersales.work.report.part", readonly=True, index="btree_not_null"
    )
    technician_part_id = fields.Many2one(
        "aftersales.technician.job.part", readonly=True, index="btree_not_null"
    )
    product_id = fields.Many2one("product.product", string="Part", required=True, index=True)
    part_serial = fields.Char(help="Serial of the part fitted on the job.")
    device_lot_id = fields.Many2one(
        "stock.lot", string="Device Serial", index="btree_not_null", readonly=True
    )
    quantity = fields.Float(default=1.0, required=True, digits="Product Unit of Measure")
    due_date = fields.Date(required=True, index=True, tracking=True)
    state = fields.Selection(
        STATES, required=True, default="pending", index=True, tracking=True, copy=False
    )
    shipped_date = fields.Datetime(readonly=True, copy=False)
    shipment_ref = fields.Char(
        "Shipment Reference", copy=False, help="Carrier and waybill the agent gave."
    )
    received_date = fields.Datetime(readonly=True, copy=False, index=True)
    received_user_id = fields.Many2one("res.users", "Received By", readonly=True, copy=False)
    move_ids = fields.One2many("stock.move", "aftersales_core_id", string="Stock Moves")
    receive_move_id = fields.Many2one(
        "stock.move", "Receipt Move", compute="_compute_receipt", help="The move of the receipt."
    )
    lot_id = fields.Many2one(
        "stock.lot", "Core Lot", compute="_compute_receipt", help="Lot of a tracked core."
    )
    inspection = fields.Selection(INSPECTIONS, readonly=True, copy=False, tracking=True)
    inspection_note = fields.Text(readonly=True, copy=False)
    cost = fields.Monetary(
        "Part Cost", readonly=True, help="The part's cost when the obligation was opened."
    )
    charge_line_id = fields.Many2one(
        "account.move.line", "Charge", readonly=True, copy=False, index="btree_not_null"
    )
    reversal_line_id = fields.Many2one(
        "account.move.line", "Charge Reversal", readonly=True, copy=False
    )
    is_charged = fields.Boolean(
        "Charged to Agent",
        compute="_compute_is_charged",
        store=True,
        index=True,
        help="The part's cost is on a posted invoice to the agent, not reversed.",
    )
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    days_late = fields.Integer(
        compute="_compute_days_late",
        store=True,
        help="Days between the due date and the receipt (or today while owed).",
    )

    _sql_constraints = [
        ("name_unique", "UNIQUE(name, company_id)", "A core label must be unique."),
        ("quantity_positive", "CHECK(quantity > 0)", "A core quantity must be positive."),
    ]

    @api.depends("charge_line_id.parent_state", "reversal_line_id.parent_state")
    def _compute_is_charged(self):
        for core in self:
            charged = core.charge_line_id.parent_state == "posted"
            core.is_charged = charged and core.reversal_line_id.parent_state != "posted"

    @api.depends("move_ids.state", "move_ids.location_dest_id")
    def _compute_receipt(self):
        for core in self:
            move = core.move_ids.filtered(
                lambda m, c=core: (
                    m.state == "done"
                    and m.location_dest_id == c.company_id.aftersales_cores_location_id
                )
            )[:1]
            core.receive_move_id = move
            core.lot_id = move.move_line_ids.lot_id[:1]

    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for core in self:
            core.is_overdue = core.state in OWED and core.due_date < today

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue cores."))
        domain = [("state", "in", OWED), ("due_date", "<", fields.Date.context_today(self))]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.depends("received_date", "due_date")
    def _compute_days_late(self):
        for core in self:
            received = core.received_date and core.received_date.date()
            core.days_late = max((received - core.due_date).days, 0) if received else 0

    @api.model_create_multi
    def create(self, vals_list):
        self.env["ir.sequence"]._aftersales_number(vals_list, "aftersales.core")
        cores = super().create(vals_list)
        for core in cores:
            if not core.product_id.aftersales_core_required:
                raise ValidationError(
                    self.env._(
                        "%(part)s needs no core return: no core obligation for it.",
                        part=core.product_id.display_name,
                    )
                )
        return cores

    # ------------------------------------------------------------------
    # Opening
    # ------------------------------------------------------------------

    @api.model
    def _open_for_report_parts(self, parts):
        """One obligation per warranty part line whose product needs its core back."""
        parts = parts.filtered(
            lambda p: (
                not p.voided
                and p.product_id.aftersales_core_required
                and p.report_id.report_type == "warranty_repair"
            )
        )
        if not parts:
            return self.browse()
        vals_list = []
        for part in parts:
            report = part.report_id
            company = report.company_id
            start = fields.Date.context_today(self, report.approved_date)
            vals_list.append(
                {
                    "company_id": company.id,
                    "agent_id": report.agent_id.id,
                    "request_id": report.request_id.id,
                    "report_id": report.id,
                    "report_part_id": part.id,
                    "product_id": part.product_id.id,
                    "part_serial": part.part_serial,
                    "device_lot_id": report.lot_id.id,
                    "quantity": part.quantity,
                    "due_date": part.product_id._aftersales_core_due(start, company),
                    "cost": part.product_id.with_company(company).standard_price,
                }
            )
        # The report records where the core comes from: no "created" note per core.
        return (
            self.sudo()
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(vals_list)
        )

    # ------------------------------------------------------------------
    # Agent: shipment
    # ------------------------------------------------------------------

    def _declare_shipment(self, reference):
        """The agent says the cores are on their way (portal)."""
        if not (reference or "").strip():
            raise UserError(self.env._("Give the carrier and waybill number of the shipment."))
        not_owed = self.filtered(lambda c: c.state != "pending")
        if not_owed:
            raise UserError(
                self.env._(
                    "Cores %(names)s are not waiting to be shipped.",
                    names=", ".join(not_owed.mapped("name")),
                )
            )
        self.write(
            {
                "state": "shipped",
                "shipped_date": fields.Datetime.now(),
                "shipment_ref": reference.strip(),
            }
        )
        return True

    # ------------------------------------------------------------------
    # Warehouse: receipt and inspection
    # ------------------------------------------------------------------

    def _check_warehouse(self):
        if self.env.su:
            return
        if not any(self.env.user.has_group(group) for group in WAREHOUSE):
            raise AccessError(
                self.env._("Only the warehouse or an after-sales manager may receive cores.")
            )

    @api.model
    def _find_by_label(self, label):
        """The core whose label (scanned barcode) is ``label``."""
        text = (label or "").strip()
        core = self.search([("name", "=ilike", text)], limit=1) if text else self.browse()
        if not core:
            raise UserError(self.env._("No core has the label %(label)s.", label=text))
        return core

    def action_receive(self):
        """Receive the cores into the defective-cores location: one stock move each."""
        self._check_warehouse()
        done = self.filtered(lambda c: c.state not in OWED)
        if done:
            raise UserError(
                self.env._(
                    "Cores %(names)s were already received.", names=", ".join(done.mapped("name"))
                )
            )
        self.company_id._aftersales_stock_check()
        cores = self.sudo()
        customers = self.env.ref("stock.stock_location_customers")
        tracked = cores.filtered(lambda c: c.product_id.tracking != "none")
        lots = (
            self.env["stock.lot"]
            .sudo()
            .create(
                [
                    {
                        "name": core.name,
                        "product_id": core.product_id.id,
                        "company_id": core.company_id.id,
                    }
                    for core in tracked
                ]
            )
        )
        lot_of = dict(zip(tracked, lots, strict=True))
        moves = (
            self.env["stock.move"]
            .sudo()
            .create(
                [
                    {
                        "name": self.env._("Core %(label)s", label=core.name),
                        "product_id": core.product_id.id,
                        "product_uom_qty": core.quantity,
                        "product_uom": core.product_id.uom_id.id,
                        "location_id": customers.id,
                        "location_dest_id": core.company_id.aftersales_cores_location_id.id,
                        "company_id": core.company_id.id,
                        "partner_id": (core.agent_id or core.technician_id.partner_id).id,
                        "origin": core.request_id.name,
                        "aftersales_core_id": core.id,
                        "picked": True,
                        "move_line_ids": [
                            Command.create(
                                {
                                    "product_id": core.product_id.id,
                                    "product_uom_id": core.product_id.uom_id.id,
                                    "quantity": core.quantity,
                                    "lot_id": lot_of[core].id if core in lot_of else False,
                                    "location_id": customers.id,
                                    "location_dest_id": (
                                        core.company_id.aftersales_cores_location_id.id
                                    ),
                                    "company_id": core.company_id.id,
                                }
                            )
                        ],
                    }
                    for core in cores
                ]
            )
        )
        moves._action_done()
        cores.write(
            {
                "state": "received",
                "received_date": fields.Datetime.now(),
                "received_user_id": self.env.uid,
            }
        )
        return True

    def action_inspect(self, result, note=None):
        """Record the inspection of received cores: accepted releases the fee (and
        reverses a charge for lateness); damaged or wrong part keeps it held."""
        self._check_warehouse()
        if result not in dict(INSPECTIONS):
            raise UserError(self.env._("Unknown inspection result %(result)s.", result=result))
        if result != "accepted" and not (note or "").strip():
            raise UserError(self.env._("Say what is wrong with the core."))
        not_received = self.filtered(lambda c: c.state != "received")
        if not_received:
            raise UserError(
                self.env._(
                    "Cores %(names)s are not received and waiting for inspection.",
                    names=", ".join(not_received.mapped("name")),
                )
            )
        self.sudo().write(
            {
                "inspection": result,
                "inspection_note": (note or "").strip() or False,
                "state": "accepted" if result == "accepted" else "rejected",
            }
        )
        if result == "accepted":
            self.filtered("is_charged").sudo()._reverse_charges()
        return True

    def action_accept(self):
        return self.action_inspect("accepted")

    # ------------------------------------------------------------------
    # Charges: cores overdue (cron) or rejected (manager)
    # ------------------------------------------------------------------

    @api.model
    def _cron_charge_overdue(self):
        cores = self.sudo().search(
            [
                ("state", "in", OWED),
                ("due_date", "<", fields.Date.context_today(self)),
                ("charge_line_id", "=", False),
                ("agent_id", "!=", False),
            ]
        )
        for _company, company_cores in cores.grouped("company_id").items():
            company_cores._charge()
        return True

    def action_charge(self):
        """A manager charges rejected or overdue cores to their agents now."""
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only an after-sales manager may charge cores."))
        wrong = self.filtered(
            lambda c: c.charge_line_id or not c.agent_id or c.state not in ("rejected", *OWED)
        )
        if wrong:
            raise UserError(
                self.env._(
                    "Cores %(names)s cannot be charged: already charged, accepted, or not an "
                    "agent's.",
                    names=", ".join(wrong.mapped("name")),
                )
            )
        for _company, company_cores in self.sudo().grouped("company_id").items():
            company_cores._charge()
        return True

    def _charge_move_values(self, move_type, label):
        company = self.company_id
        journal = self.env["aftersales.part.request"]._sale_journal(company)
        account = company.aftersales_core_charge_account_id
        values = []
        groups = self.grouped("agent_id")
        for agent, cores in groups.items():
            values.append(
                {
                    "move_type": move_type,
                    "company_id": company.id,
                    "partner_id": agent.id,
                    "journal_id": journal.id,
                    "invoice_origin": label,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": core.product_id.id,
                                "name": self.env._(
                                    "%(label)s: core %(core)s of %(part)s, job %(job)s",
                                    label=label,
                                    core=core.name,
                                    part=core.product_id.display_name,
                                    job=core.request_id.name,
                                ),
                                "quantity": core.quantity,
                                "product_uom_id": core.product_id.uom_id.id,
                                "price_unit": core.cost or core.product_id.standard_price,
                                "tax_ids": [Command.clear()],
                                **({"account_id": account.id} if account else {}),
                            }
                        )
                        for core in cores
                    ],
                }
            )
        return values, list(groups.values())

    def _post_linked(self, move_type, label, field):
        values, groups = self._charge_move_values(move_type, label)
        moves = self.env["account.move"].sudo().create(values)
        moves.action_post()
        for move, cores in zip(moves, groups, strict=True):
            lines = move.invoice_line_ids.filtered(
                lambda line: line.display_type == "product"
            ).sorted("id")
            for core, line in zip(cores, lines, strict=True):
                core[field] = line
        return moves

    def _charge(self):
        """Charge each core once: one posted invoice per agent, a line per core."""
        cores = self.filtered(lambda c: not c.charge_line_id)
        if not cores:
            return self.env["account.move"]
        cores.company_id.ensure_one()
        moves = cores._post_linked("out_invoice", self.env._("Core not returned"), "charge_line_id")
        for core in cores:
            core.message_post(
                body=self.env._(
                    "Charged to the agent at the part's cost on %(invoice)s.",
                    invoice=core.charge_line_id.move_id.name,
                )
            )
        return moves

    def _reverse_charges(self):
        """The core came back and was accepted: a credit note gives the charge back."""
        cores = self.filtered(lambda c: c.is_charged)
        if not cores:
            return self.env["account.move"]
        moves = self.env["account.move"]
        for _company, company_cores in cores.grouped("company_id").items():
            moves |= company_cores._post_linked(
                "out_refund", self.env._("Core returned late"), "reversal_line_id"
            )
        for core in cores:
            core.message_post(
                body=self.env._(
                    "Returned and accepted: the charge is reversed on %(credit)s.",
                    credit=core.reversal_line_id.move_id.name,
                )
            )
        return moves

    # ------------------------------------------------------------------
    # Label
    # ------------------------------------------------------------------

    def _label_barcode_value(self):
        """What the label's barcode and QR code carry: the core label (scanned to
        receive it)."""
        self.ensure_one()
        return self.name

    # ------------------------------------------------------------------
    # Supplier warranty claims (piece: supplier claims and refurbishing)
    # ------------------------------------------------------------------

    supplier_claim_line_ids = fields.One2many(
        "aftersales.supplier.claim.line", "core_id", string="Supplier Claim Lines", readonly=True
    )
    supplier_claim_id = fields.Many2one(
        "aftersales.supplier.claim",
        compute="_compute_supplier_claim_id",
        store=True,
        index="btree_not_null",
        help="The claim that returns this core to the part's vendor.",
    )

    @api.depends("supplier_claim_line_ids.claim_id")
    def _compute_supplier_claim_id(self):
        for core in self:
            core.supplier_claim_id = core.supplier_claim_line_ids[:1].claim_id

    def _aftersales_check_claimable(self, claim=None):
        """Only accepted cores, on no other claim and not refurbished, of one company, go
        back to a vendor."""
        wrong = self.filtered(lambda c: c.state != "accepted")
        if wrong:
            raise UserError(
                self.env._(
                    "Cores %(names)s are not accepted: only accepted cores go back to the vendor.",
                    names=", ".join(wrong.mapped("name")),
                )
            )
        taken = self.filtered(lambda c: c.supplier_claim_id and c.supplier_claim_id != claim)
        if taken:
            raise UserError(
                self.env._(
                    "Cores %(names)s are already on supplier claim %(claims)s.",
                    names=", ".join(taken.mapped("name")),
                    claims=", ".join(taken.supplier_claim_id.mapped("name")),
                )
            )
        refurbished = self.filtered("repair_id")
        if refurbished:
            raise UserError(
                self.env._(
                    "Cores %(names)s were sent to refurbishing: they cannot go back to the vendor.",
                    names=", ".join(refurbished.mapped("name")),
                )
            )
        if len(self.company_id) > 1 or (claim and self.company_id - claim.company_id):
            raise UserError(self.env._("A supplier claim holds the cores of one company only."))
        return True

    def action_supplier_claim(self):
        """Open supplier warranty claims for these accepted cores, one per vendor."""
        self._check_warehouse()
        claims = self.env["aftersales.supplier.claim"]._create_for_cores(self)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_stock.aftersales_supplier_claim_action"
        )
        if len(claims) == 1:
            action.update({"views": [[False, "form"]], "res_id": claims.id})
        else:
            action["domain"] = [("id", "in", claims.ids)]
        return action
