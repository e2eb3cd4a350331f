"""Consignment items (R-STK-3): parts lent to an agent stay the company's own, valued
stock in the agent's consignment location, at a higher price than ordered parts and
with a date to settle by. Parts the agent uses on approved work settle them (oldest
first); what is left past the date is sold to the agent by a cron: a customer invoice
and the stock move out of the consignment location."""

from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from .. import tools as stools

STATES = [("open", "Open"), ("settled", "Settled"), ("sold", "Sold to Agent")]


class AftersalesConsignmentItem(models.Model):
    _name = "aftersales.consignment.item"
    _description = "Consignment Item"
    _inherit = ["mail.thread"]
    _order = "settle_by, id"
    _rec_name = "product_id"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    agent_id = fields.Many2one("res.partner", string="Service Agent", required=True, index=True)
    product_id = fields.Many2one("product.product", string="Part", required=True, index=True)
    part_request_line_id = fields.Many2one(
        "aftersales.part.request.line", readonly=True, index="btree_not_null"
    )
    part_request_id = fields.Many2one(
        related="part_request_line_id.part_request_id", string="Part Request"
    )
    move_id = fields.Many2one("stock.move", string="Issue Move", readonly=True)
    location_id = fields.Many2one("stock.location", string="Consignment Location", readonly=True)
    quantity = fields.Float("Lent", required=True, digits="Product Unit of Measure")
    quantity_used = fields.Float("Used", readonly=True, digits="Product Unit of Measure")
    quantity_returned = fields.Float("Returned", readonly=True, digits="Product Unit of Measure")
    quantity_sold = fields.Float("Sold", readonly=True, digits="Product Unit of Measure")
    quantity_open = fields.Float(
        "Open", compute="_compute_state", store=True, digits="Product Unit of Measure"
    )
    price_unit = fields.Monetary(
        "Consignment Price", help="Unit price if sold to the agent (sales price plus uplift)."
    )
    date = fields.Date("Lent On", required=True, default=fields.Date.context_today)
    settle_by = fields.Date(required=True, index=True, tracking=True)
    state = fields.Selection(
        STATES, compute="_compute_state", store=True, index=True, tracking=True
    )
    invoice_line_id = fields.Many2one(
        "account.move.line", string="Sale Invoice Line", readonly=True, copy=False
    )
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "A consigned quantity must be positive."),
    ]

    @api.depends("quantity", "quantity_used", "quantity_returned", "quantity_sold")
    def _compute_state(self):
        for item in self:
            item.quantity_open = max(
                item.quantity - item.quantity_used - item.quantity_returned - item.quantity_sold,
                0.0,
            )
            rounding = item.product_id.uom_id.rounding or 0.01
            if item.quantity_open > rounding / 2:
                item.state = "open"
            elif item.quantity_sold:
                item.state = "sold"
            else:
                item.state = "settled"

    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for item in self:
            item.is_overdue = item.state == "open" and item.settle_by < today

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue consignment."))
        today = fields.Date.context_today(self)
        domain = [("state", "=", "open"), ("settle_by", "<", today)]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.model
    def _open_for_moves(self, moves):
        """Items for the consignment moves just done (one per move)."""
        vals_list = []
        for move in moves:
            line = move.aftersales_part_request_line_id
            request = line.part_request_id
            company = move.company_id
            date = fields.Date.context_today(self)
            vals_list.append(
                {
                    "company_id": company.id,
                    "agent_id": request.agent_id.id,
                    "product_id": move.product_id.id,
                    "part_request_line_id": line.id,
                    "move_id": move.id,
                    "location_id": move.location_dest_id.id,
                    "quantity": move.quantity,
                    "price_unit": line.price_unit,
                    "date": date,
                    "settle_by": date + timedelta(days=company.aftersales_consignment_days),
                }
            )
        return self.sudo().create(vals_list) if vals_list else self.browse()

    @api.model
    def _settle_used(self, used):
        """``used``: ``{(company, agent, product): quantity}`` of parts consumed from the
        agents' consignment locations; settle the oldest open items first (one search)."""
        if not used:
            return
        items = self.sudo().search(
            [
                ("state", "=", "open"),
                ("agent_id", "in", list({agent.id for _c, agent, _p in used})),
                ("product_id", "in", list({product.id for _c, _a, product in used})),
            ],
            order="settle_by, id",
        )
        by_key = defaultdict(list)
        for item in items:
            by_key[(item.company_id, item.agent_id, item.product_id)].append(item)
        for key, quantity in used.items():
            taken, _left = stools.allocate_fifo(
                [(item, item.quantity_open) for item in by_key.get(key, [])], quantity
            )
            for item, take in taken:
                item.quantity_used += take

    # ------------------------------------------------------------------
    # Overdue items are sold to the agent
    # ------------------------------------------------------------------

    @api.model
    def _cron_sell_overdue(self):
        items = self.sudo().search(
            [("state", "=", "open"), ("settle_by", "<", fields.Date.context_today(self))]
        )
        for _company, company_items in items.grouped("company_id").items():
            company_items._sell()
        return True

    def _sell(self):
        """Sell the open quantity of the items to their agents: one posted customer invoice
        per agent and the stock moves out of the consignment locations, together."""
        items = self.filtered(lambda i: i.state == "open")
        if not items:
            return self.env["account.move"]
        company = items.company_id
        company.ensure_one()
        Request = self.env["aftersales.part.request"]
        journal = Request._sale_journal(company)
        customers = self.env.ref("stock.stock_location_customers")
        account = company.aftersales_core_charge_account_id
        groups = items.grouped("agent_id")
        invoice_vals = []
        for agent, agent_items in groups.items():
            invoice_vals.append(
                {
                    "move_type": "out_invoice",
                    "company_id": company.id,
                    "partner_id": agent.id,
                    "journal_id": journal.id,
                    "invoice_origin": self.env._("Overdue consignment"),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": item.product_id.id,
                                "name": self.env._(
                                    "%(part)s consigned on %(date)s, not settled by %(due)s",
                                    part=item.product_id.display_name,
                                    date=item.date,
                                    due=item.settle_by,
                                ),
                                "quantity": item.quantity_open,
                                "product_uom_id": item.product_id.uom_id.id,
                                "price_unit": item.price_unit,
                                **({"account_id": account.id} if account else {}),
                            }
                        )
                        for item in agent_items
                    ],
                }
            )
        invoices = self.env["account.move"].sudo().create(invoice_vals)
        invoices.action_post()
        moves = (
            self.env["stock.move"]
            .sudo()
            .create(
                [
                    {
                        "name": self.env._("Consignment sold: %(part)s", part=item.product_id.name),
                        "product_id": item.product_id.id,
                        "product_uom_qty": item.quantity_open,
                        "product_uom": item.product_id.uom_id.id,
                        "location_id": item.location_id.id,
                        "location_dest_id": customers.id,
                        "company_id": company.id,
                        "partner_id": item.agent_id.id,
                        "aftersales_consignment_item_id": item.id,
                        "picked": True,
                        "move_line_ids": [
                            Command.create(
                                {
                                    "product_id": item.product_id.id,
                                    "product_uom_id": item.product_id.uom_id.id,
                                    "quantity": item.quantity_open,
                                    "location_id": item.location_id.id,
                                    "location_dest_id": customers.id,
                                    "company_id": company.id,
                                }
                            )
                        ],
                    }
                    for item in items
                ]
            )
        )
        moves._action_done()
        for invoice, agent_items in zip(invoices, groups.values(), strict=True):
            lines = invoice.invoice_line_ids.filtered(
                lambda line: line.display_type == "product"
            ).sorted("id")
            for item, line in zip(agent_items, lines, strict=True):
                item.write({"quantity_sold": item.quantity_open, "invoice_line_id": line.id})
                item.message_post(
                    body=self.env._(
                        "Not settled in time: sold to the agent on %(invoice)s.",
                        invoice=invoice.name,
                    )
                )
        return invoices

    def action_sell(self):
        if not self.env.user.has_group("aftersales_base.group_aftersales_manager"):
            raise UserError(self.env._("Only an after-sales manager may sell consigned parts."))
        for _company, company_items in self.grouped("company_id").items():
            company_items._sell()
        return True
