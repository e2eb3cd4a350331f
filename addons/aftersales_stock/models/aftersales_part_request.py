"""Part requests (R-STK-2/3/5): an agent (portal) or a technician (backend) asks for
warranty parts for a job, parts to buy, or parts lent on consignment; the warehouse or
after-sales manager approves, which makes the picking (and the customer invoice of a
purchase). Warranty requests on a job the warranty check does not cover go to review
instead of shipping."""

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .. import tools as stools

REQUEST_TYPES = [
    ("warranty", "Warranty Part"),
    ("purchase", "Purchase"),
    ("consignment", "Consignment"),
]
STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("review", "Warranty Review"),
    ("approved", "Approved"),
    ("done", "Delivered"),
    ("rejected", "Rejected"),
    ("cancel", "Cancelled"),
]
PAYERS = [(stools.COMPANY, "Company"), (stools.AGENT, "Agent")]
APPROVERS = ("aftersales_base.group_aftersales_manager", "stock.group_stock_manager")
#: What an agent may set on a request in the portal.
AGENT_FIELDS = frozenset({"request_type", "request_id", "note", "line_ids"})


class AftersalesPartRequest(models.Model):
    _name = "aftersales.part.request"
    _description = "Part Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        "Number", required=True, readonly=True, copy=False, default=lambda s: s.env._("New")
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    request_type = fields.Selection(REQUEST_TYPES, "Type", required=True, tracking=True)
    agent_id = fields.Many2one(
        "res.partner",
        string="Service Agent",
        index=True,
        tracking=True,
        domain="[('is_aftersales_agent', '=', True)]",
    )
    technician_id = fields.Many2one(
        "res.users",
        index="btree_not_null",
        tracking=True,
        help="In-house technician asking for parts (no agent).",
    )
    request_id = fields.Many2one(
        "aftersales.request",
        string="Job",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        help="The job the warranty parts are for.",
    )
    state = fields.Selection(
        STATES, required=True, default="draft", index=True, tracking=True, copy=False
    )
    line_ids = fields.One2many(
        "aftersales.part.request.line", "part_request_id", string="Parts", copy=True
    )
    note = fields.Text()
    same_city = fields.Boolean(
        compute="_compute_shipping",
        store=True,
        help="The agent is in the city of the after-sales warehouse.",
    )
    shipping_payer = fields.Selection(
        PAYERS,
        "Shipping Paid By",
        compute="_compute_shipping",
        store=True,
        tracking=True,
        help="Warranty parts to another city are shipped at the company's cost; purchases "
        "and consignment at the agent's (R-STK-5).",
    )
    warranty_status = fields.Char("Warranty Check", readonly=True, copy=False)
    review_reason = fields.Text(
        "Review Decision",
        readonly=True,
        copy=False,
        tracking=True,
        help="Why a warranty request the check did not cover was let through.",
    )
    rejection_reason = fields.Text(readonly=True, copy=False, tracking=True)
    submitted_date = fields.Datetime(readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)
    approved_user_id = fields.Many2one("res.users", "Approved By", readonly=True, copy=False)
    picking_ids = fields.One2many(
        "stock.picking", "aftersales_part_request_id", string="Transfers", readonly=True
    )
    picking_count = fields.Integer(compute="_compute_picking_count")
    invoice_id = fields.Many2one("account.move", readonly=True, copy=False, index="btree_not_null")
    amount_total = fields.Monetary(compute="_compute_amount_total", store=True)

    @api.depends(
        "agent_id.city", "company_id.aftersales_stock_warehouse_id.partner_id.city", "request_type"
    )
    def _compute_shipping(self):
        for request in self:
            home = (
                request.company_id.aftersales_stock_warehouse_id.partner_id.city
                or request.company_id.city
                or ""
            )
            request.same_city = not request.agent_id or (
                (request.agent_id.city or "").strip().casefold() == home.strip().casefold()
            )
            request.shipping_payer = stools.shipping_payer(request.request_type, request.same_city)

    def _compute_picking_count(self):
        for request in self:
            request.picking_count = len(request.picking_ids)

    @api.depends("line_ids.price_subtotal")
    def _compute_amount_total(self):
        for request in self:
            request.amount_total = sum(request.line_ids.mapped("price_subtotal"))

    @api.model_create_multi
    def create(self, vals_list):
        self.env["ir.sequence"]._aftersales_number(vals_list, "aftersales.part.request")
        requests = super().create(vals_list)
        requests._check_request()
        return requests

    def write(self, vals):
        locked = self.filtered(lambda r: r.state not in ("draft", "submitted", "review"))
        if locked and set(vals) & (AGENT_FIELDS | {"agent_id", "technician_id"}):
            raise UserError(
                self.env._(
                    "Part requests %(names)s are decided: they cannot be changed.",
                    names=", ".join(locked.mapped("name")),
                )
            )
        result = super().write(vals)
        if set(vals) & {"agent_id", "technician_id", "request_id", "request_type", "line_ids"}:
            self._check_request()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if self.filtered(lambda r: r.state not in ("draft", "cancel")):
            raise UserError(self.env._("Only draft or cancelled part requests can be deleted."))

    def _check_request(self):
        for request in self:
            if bool(request.agent_id) == bool(request.technician_id):
                raise ValidationError(
                    self.env._(
                        "Part request %(name)s: name either the service agent or the "
                        "technician who asks for the parts.",
                        name=request.name,
                    )
                )
            if request.agent_id and not request.agent_id.is_aftersales_agent:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is not a service agent.",
                        partner=request.agent_id.display_name,
                    )
                )
            if request.technician_id and request.request_type != "warranty":
                raise ValidationError(
                    self.env._("Technicians ask only for warranty parts for their jobs.")
                )
            if request.request_type == "warranty":
                job = request.request_id
                if not job:
                    raise ValidationError(
                        self.env._("A warranty part request names the job it is for.")
                    )
                if request.agent_id and job.agent_id != request.agent_id:
                    raise ValidationError(
                        self.env._(
                            "Job %(job)s is not assigned to %(agent)s.",
                            job=job.name,
                            agent=request.agent_id.display_name,
                        )
                    )
                if request.technician_id and job.technician_id != request.technician_id:
                    raise ValidationError(
                        self.env._(
                            "Job %(job)s is not assigned to %(user)s.",
                            job=job.name,
                            user=request.technician_id.name,
                        )
                    )
            request.line_ids._check_line()

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def action_submit(self):
        """Submit: warranty requests are checked against the job's warranty first; a
        device the check does not cover sends the request to review (R-STK-5)."""
        for request in self:
            if request.state != "draft":
                raise UserError(
                    self.env._("Part request %(name)s was already submitted.", name=request.name)
                )
            if not request.line_ids:
                raise UserError(
                    self.env._("Part request %(name)s has no parts.", name=request.name)
                )
            request._check_request()
        now = fields.Datetime.now()
        Card = self.env["aftersales.warranty.card"].sudo()
        for request in self:
            vals = {"state": "submitted", "submitted_date": now}
            if request.request_type == "warranty":
                covered, reasons = True, []
                for line in request.request_id.line_ids:
                    check = Card._check_warranty(
                        line.lot_id.aftersales_serial or line.serial_number or "",
                        date=now,
                        product=line.product_id,
                    )
                    reasons.append(check.reason)
                    covered = covered and check.status == "in_warranty"
                vals["warranty_status"] = "; ".join(filter(None, reasons))
                if not covered or not request.request_id.line_ids:
                    vals["state"] = "review"
            request.write(vals)
            if vals["state"] == "review":
                request.message_post(
                    body=self.env._(
                        "The warranty check does not cover the job's device (%(reason)s): the "
                        "request waits for a manager's review instead of shipping.",
                        reason=vals["warranty_status"] or self.env._("no device"),
                    )
                )
        return True

    def _check_approver(self):
        if self.env.su:
            return
        if not any(self.env.user.has_group(group) for group in APPROVERS):
            raise AccessError(
                self.env._(
                    "Only a warehouse manager or an after-sales manager may decide part requests."
                )
            )

    def action_approve(self, reason=None):
        """Approve: the picking is made and reserved; a purchase is invoiced to the agent.
        A request in warranty review needs the reason it is let through."""
        self._check_approver()
        for request in self:
            if request.state not in ("submitted", "review"):
                raise UserError(
                    self.env._("Part request %(name)s is not awaiting approval.", name=request.name)
                )
            if request.state == "review" and not (reason or "").strip():
                raise UserError(
                    self.env._(
                        "Part request %(name)s is in warranty review: give the reason to "
                        "ship it as warranty (or reject it).",
                        name=request.name,
                    )
                )
            request.line_ids._check_line()
        self.company_id._aftersales_stock_check()
        for request in self:
            vals = {
                "state": "approved",
                "approved_date": fields.Datetime.now(),
                "approved_user_id": self.env.uid,
            }
            if request.state == "review":
                vals["review_reason"] = reason.strip()
            request.write(vals)
        self._make_pickings()
        self.filtered(lambda r: r.request_type == "purchase")._make_invoices()
        return True

    def action_reject(self, reason):
        self._check_approver()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the rejection."))
        for request in self:
            if request.state not in ("submitted", "review"):
                raise UserError(
                    self.env._(
                        "Part request %(name)s is not awaiting a decision.", name=request.name
                    )
                )
        self.write({"state": "rejected", "rejection_reason": reason.strip()})
        return True

    def action_cancel(self):
        for request in self:
            if request.state not in ("draft", "submitted", "review"):
                raise UserError(
                    self.env._(
                        "Part request %(name)s is approved: cancel its transfer instead.",
                        name=request.name,
                    )
                )
        self.write({"state": "cancel"})
        return True

    def _destination(self):
        """Where the parts go: the agent's consignment location (consignment and warranty
        parts stay company-owned until used), the customer location for purchases and
        for technicians' warranty parts used on the job."""
        self.ensure_one()
        if self.agent_id and self.request_type in ("warranty", "consignment"):
            return self.agent_id._aftersales_consignment_location(self.company_id)
        return self.env.ref("stock.stock_location_customers")

    def _make_pickings(self):
        Picking = self.env["stock.picking"].sudo()
        vals_list = []
        for request in self:
            company = request.company_id
            warehouse = company.aftersales_stock_warehouse_id
            dest = request._destination()
            internal = dest.usage == "internal"
            picking_type = warehouse.int_type_id if internal else warehouse.out_type_id
            source = company.aftersales_parts_location_id
            vals_list.append(
                {
                    "picking_type_id": picking_type.id,
                    "location_id": source.id,
                    "location_dest_id": dest.id,
                    "partner_id": (request.agent_id or request.technician_id.partner_id).id,
                    "origin": request.name,
                    "company_id": company.id,
                    "aftersales_part_request_id": request.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": line.product_id.display_name,
                                "product_id": line.product_id.id,
                                "product_uom_qty": line.quantity,
                                "product_uom": line.product_id.uom_id.id,
                                "location_id": source.id,
                                "location_dest_id": dest.id,
                                "company_id": company.id,
                                "aftersales_part_request_line_id": line.id,
                            }
                        )
                        for line in request.line_ids
                    ],
                }
            )
        pickings = Picking.create(vals_list)
        pickings.action_confirm()
        pickings.action_assign()
        return pickings

    def _sale_journal(self, company):
        Journal = self.env["account.journal"].sudo()
        journal = Journal.search(
            [*Journal._check_company_domain(company), ("type", "=", "sale")], limit=1
        )
        if not journal:
            raise UserError(
                self.env._(
                    "No sales journal in %(company)s: create one to invoice parts to agents.",
                    company=company.name,
                )
            )
        return journal

    def _make_invoices(self):
        """One posted customer invoice per purchase request, a line per part."""
        if not self:
            return
        vals_list = [
            {
                "move_type": "out_invoice",
                "company_id": request.company_id.id,
                "partner_id": request.agent_id.id,
                "journal_id": self._sale_journal(request.company_id).id,
                "invoice_origin": request.name,
                "ref": request.name,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": line.product_id.id,
                            "quantity": line.quantity,
                            "product_uom_id": line.product_id.uom_id.id,
                            "price_unit": line.price_unit,
                        }
                    )
                    for line in request.line_ids
                ],
            }
            for request in self
        ]
        invoices = self.env["account.move"].sudo().create(vals_list)
        invoices.action_post()
        for request, invoice in zip(self, invoices, strict=True):
            request.invoice_id = invoice
        return invoices

    def _update_done(self):
        """Delivered when every transfer is done (or cancelled, with one done)."""
        for request in self.filtered(lambda r: r.state == "approved"):
            states = set(request.picking_ids.mapped("state"))
            if states and states <= {"done", "cancel"} and "done" in states:
                request.state = "done"

    def action_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("id", "in", self.picking_ids.ids)]
        action["context"] = {"create": False}
        return action
