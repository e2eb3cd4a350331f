"""The agent's consignment location (one per company, made with the agent) and its
balances: consigned parts at hand, cores owed."""

from odoo import api, fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    aftersales_consignment_location_ids = fields.One2many(
        "stock.location", "aftersales_agent_id", string="Consignment Locations", readonly=True
    )
    aftersales_core_ids = fields.One2many("aftersales.core", "agent_id", string="Cores")
    aftersales_cores_open_count = fields.Integer(
        "Cores Owed", compute="_compute_aftersales_stock_counts"
    )
    aftersales_cores_overdue_count = fields.Integer(
        "Cores Overdue", compute="_compute_aftersales_stock_counts"
    )
    aftersales_consignment_open_count = fields.Integer(
        "Open Consignment Items", compute="_compute_aftersales_stock_counts"
    )

    def _compute_aftersales_stock_counts(self):
        Core = self.env["aftersales.core"]
        today = fields.Date.context_today(self)
        owed = dict(
            Core._read_group(
                [("agent_id", "in", self.ids), ("state", "in", ("pending", "shipped"))],
                ["agent_id"],
                ["__count"],
            )
        )
        late = dict(
            Core._read_group(
                [
                    ("agent_id", "in", self.ids),
                    ("state", "in", ("pending", "shipped")),
                    ("due_date", "<", today),
                ],
                ["agent_id"],
                ["__count"],
            )
        )
        items = dict(
            self.env["aftersales.consignment.item"]._read_group(
                [("agent_id", "in", self.ids), ("state", "=", "open")], ["agent_id"], ["__count"]
            )
        )
        for partner in self:
            partner.aftersales_cores_open_count = owed.get(partner, 0)
            partner.aftersales_cores_overdue_count = late.get(partner, 0)
            partner.aftersales_consignment_open_count = items.get(partner, 0)

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        agents = partners.filtered("is_aftersales_agent")
        if agents:
            agents._aftersales_consignment_locations()
        return partners

    def write(self, vals):
        result = super().write(vals)
        if vals.get("is_aftersales_agent"):
            self.filtered("is_aftersales_agent")._aftersales_consignment_locations()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_consignment_locations(self):
        """An agent deleted takes its empty consignment locations with it; one that ever
        held stock keeps its history: archive the agent instead."""
        locations = (
            self.env["stock.location"]
            .sudo()
            .with_context(active_test=False)
            .search([("aftersales_agent_id", "in", self.ids)])
        )
        if not locations:
            return
        used = (
            self.env["stock.move"]
            .sudo()
            .search_count(
                [
                    "|",
                    ("location_id", "in", locations.ids),
                    ("location_dest_id", "in", locations.ids),
                ],
                limit=1,
            )
        )
        if used:
            raise UserError(
                self.env._(
                    "%(agents)s had parts on consignment: archive the agent instead of "
                    "deleting it.",
                    agents=", ".join(locations.aftersales_agent_id.mapped("display_name")),
                )
            )
        locations.unlink()

    def _aftersales_consignment_locations(self, companies=None):
        """Make the missing consignment location of each agent in each company that has
        the after-sales layout (an agent of one company only gets that company's)."""
        companies = (
            companies
            or self.env["res.company"]
            .sudo()
            .search([("aftersales_consignment_location_id", "!=", False)])
        ).filtered("aftersales_consignment_location_id")
        if not self or not companies:
            return
        Location = self.env["stock.location"].sudo()
        existing = set(
            Location.with_context(active_test=False)
            .search_fetch(
                [("aftersales_agent_id", "in", self.ids)], ["aftersales_agent_id", "company_id"]
            )
            .mapped(lambda loc: (loc.aftersales_agent_id.id, loc.company_id.id))
        )
        vals_list = [
            {
                "name": agent.aftersales_agent_code or agent.name,
                "usage": "internal",
                "location_id": company.aftersales_consignment_location_id.id,
                "company_id": company.id,
                "aftersales_agent_id": agent.id,
            }
            for agent in self
            for company in companies
            if (agent.id, company.id) not in existing
            and (not agent.company_id or agent.company_id == company)
        ]
        if vals_list:
            Location.create(vals_list)

    def _aftersales_consignment_location(self, company):
        """This agent's consignment location in ``company`` (made when missing)."""
        self.ensure_one()
        company._aftersales_stock_check()
        location = self.aftersales_consignment_location_ids.filtered(
            lambda loc: loc.company_id == company
        )
        if not location:
            self.sudo()._aftersales_consignment_locations(company)
            self.invalidate_recordset(["aftersales_consignment_location_ids"])
            location = self.aftersales_consignment_location_ids.filtered(
                lambda loc: loc.company_id == company
            )
        return location[:1]

    def action_view_aftersales_cores(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_stock.aftersales_core_action"
        )
        action["domain"] = [("agent_id", "=", self.id)]
        action["context"] = {"search_default_filter_owed": 1}
        return action

    def action_view_aftersales_consignment(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_stock.aftersales_consignment_item_action"
        )
        action["domain"] = [("agent_id", "=", self.id)]
        action["context"] = {"search_default_filter_open": 1}
        return action
