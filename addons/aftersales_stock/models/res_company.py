"""The after-sales warehouse layout of a company (R-STK-1): spare parts stock, a
consignment parent with one location per agent, defective cores, refurbishing."""

from odoo import fields, models
from odoo.exceptions import UserError

LAYOUT_FIELDS = (
    "aftersales_parts_location_id",
    "aftersales_consignment_location_id",
    "aftersales_cores_location_id",
    "aftersales_refurbish_location_id",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_stock_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="After-Sales Warehouse",
        domain="[('company_id', '=', id)]",
        help="Warehouse holding the after-sales locations.",
    )
    aftersales_parts_location_id = fields.Many2one(
        "stock.location",
        string="Spare Parts Stock",
        domain="[('usage', '=', 'internal'), ('company_id', '=', id)]",
        help="Where spare parts are kept and issued from (the warehouse's stock unless set "
        "otherwise); reordering rules watch it.",
    )
    aftersales_consignment_location_id = fields.Many2one(
        "stock.location",
        string="Consignment Locations",
        domain="[('company_id', '=', id)]",
        help="Parent of the agents' consignment locations: the company's own, valued stock "
        "lent to agents.",
    )
    aftersales_cores_location_id = fields.Many2one(
        "stock.location",
        string="Defective Cores",
        domain="[('company_id', '=', id)]",
        help="Where returned defective parts (cores) are received; not valued.",
    )
    aftersales_refurbish_location_id = fields.Many2one(
        "stock.location",
        string="Refurbishing",
        domain="[('usage', '=', 'internal'), ('company_id', '=', id)]",
        help="Where cores come out of refurbishing before going back to spare parts stock.",
    )
    aftersales_consignment_days = fields.Integer(
        "Consignment Settlement Days",
        default=60,
        help="Days an agent has to use or return a consigned part before it is sold to it.",
    )
    aftersales_core_days = fields.Integer(
        "Core Return Days",
        default=15,
        help="Days allowed to return a core when the part does not say otherwise.",
    )
    aftersales_core_charge_account_id = fields.Many2one(
        "account.account",
        string="Core Charge Account",
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        help="Income account of the parts charged to agents for cores not returned in time "
        "and of consigned parts sold to them; the part's income account when empty.",
    )

    def _aftersales_stock_layout(self, warehouse=None):
        """Create what is missing of the after-sales layout of each company (idempotent)
        and the consignment location of every agent."""
        Location = self.env["stock.location"].sudo()
        for company in self:
            wh = (
                warehouse
                or company.aftersales_stock_warehouse_id
                or self.env["stock.warehouse"]
                .sudo()
                .search([("company_id", "=", company.id)], order="sequence, id", limit=1)
            )
            if not wh:
                raise UserError(
                    self.env._(
                        "%(company)s has no warehouse: create one before setting up the "
                        "after-sales layout.",
                        company=company.name,
                    )
                )
            parent = wh.view_location_id
            specs = {
                "aftersales_consignment_location_id": (
                    self.env._("%(warehouse)s Consignment", warehouse=wh.code),
                    "view",
                ),
                "aftersales_cores_location_id": (self.env._("Defective Cores"), "inventory"),
                "aftersales_refurbish_location_id": (self.env._("Refurbishing"), "internal"),
            }
            # Spare parts are the warehouse's own stock: receipts, deliveries and
            # reordering rules of the warehouse work on them as Odoo makes them.
            vals = {
                "aftersales_stock_warehouse_id": wh.id,
                "aftersales_parts_location_id": (
                    company.aftersales_parts_location_id.id or wh.lot_stock_id.id
                ),
            }
            for field, (name, usage) in specs.items():
                if company[field]:
                    continue
                vals[field] = Location.create(
                    {
                        "name": name,
                        "usage": usage,
                        "location_id": parent.id,
                        "company_id": company.id,
                    }
                ).id
            company.sudo().write(vals)
        agents = self.env["res.partner"].sudo().search([("is_aftersales_agent", "=", True)])
        agents._aftersales_consignment_locations(self)
        return True

    def _aftersales_stock_check(self):
        """The layout is needed to move parts: say so clearly when it is missing."""
        for company in self:
            if not all(company[field] for field in LAYOUT_FIELDS):
                raise UserError(
                    self.env._(
                        "Set up the after-sales warehouse layout of %(company)s first "
                        "(After-Sales > Configuration > Warehouse Layout).",
                        company=company.name,
                    )
                )
