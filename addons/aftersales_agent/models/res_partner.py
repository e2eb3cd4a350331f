"""A service agent: a company contact flagged ``is_aftersales_agent`` (base), with its
code, coverage, capacity, travel allowances, rate card, accounts and portal users."""

from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    aftersales_agent_code = fields.Char(
        "Agent Code", index="btree_not_null", copy=False, tracking=True
    )
    # Coverage is routing: the routing rules naming the agent (province, city, types).
    aftersales_coverage_ids = fields.One2many(
        "aftersales.routing.rule", "agent_id", string="Coverage"
    )
    aftersales_service_type_ids = fields.Many2many(
        "aftersales.service.type",
        "aftersales_agent_service_type_rel",
        "partner_id",
        "service_type_id",
        string="Service Types",
        help="Service types the agent may do; empty: every type.",
    )
    aftersales_daily_capacity = fields.Integer(
        "Daily Capacity",
        help="Jobs the agent can take a day; the routing skips it beyond. 0: no limit.",
    )
    aftersales_travel_in_city = fields.Monetary(
        "Travel Allowance In City", currency_field="aftersales_agent_currency_id"
    )
    aftersales_travel_out_city = fields.Monetary(
        "Travel Allowance Out of City", currency_field="aftersales_agent_currency_id"
    )
    aftersales_agent_currency_id = fields.Many2one(
        "res.currency", compute="_compute_aftersales_agent_currency_id"
    )
    aftersales_rate_card_id = fields.Many2one(
        "aftersales.agent.rate.card", string="Rate Card", tracking=True
    )
    aftersales_agent_journal_id = fields.Many2one(
        "account.journal",
        string="Settlement Journal",
        domain="[('type', '=', 'purchase')]",
        help="Journal of this agent's vendor bills; empty: the company's agent journal.",
    )
    aftersales_contract_ids = fields.One2many(
        "aftersales.agent.contract", "agent_id", string="Contracts"
    )
    aftersales_agent_user_ids = fields.One2many(
        "res.users", compute="_compute_aftersales_agent_user_ids", string="Portal Users"
    )
    aftersales_job_count = fields.Integer("Jobs", compute="_compute_aftersales_job_count")
    aftersales_report_count = fields.Integer(
        "Work Reports", compute="_compute_aftersales_report_count"
    )

    _sql_constraints = [
        (
            "aftersales_agent_code_unique",
            "UNIQUE(aftersales_agent_code, company_id)",
            "Another agent already has this code.",
        ),
    ]

    @api.depends("company_id")
    def _compute_aftersales_agent_currency_id(self):
        for partner in self:
            partner.aftersales_agent_currency_id = (
                partner.company_id.currency_id or self.env.company.currency_id
            )

    def _compute_aftersales_agent_user_ids(self):
        users = (
            self.env["res.users"]
            .sudo()
            .search([("partner_id.commercial_partner_id", "in", self.ids), ("share", "=", True)])
        )
        by_agent = users.grouped(lambda user: user.partner_id.commercial_partner_id)
        for partner in self:
            partner.aftersales_agent_user_ids = by_agent.get(partner, users.browse())

    def _compute_aftersales_job_count(self):
        counts = dict(
            self.env["aftersales.request"]._read_group(
                [("agent_id", "in", self.ids)], ["agent_id"], ["__count"]
            )
        )
        for partner in self:
            partner.aftersales_job_count = counts.get(partner, 0)

    def _compute_aftersales_report_count(self):
        counts = dict(
            self.env["aftersales.work.report"]._read_group(
                [("agent_id", "in", self.ids)], ["agent_id"], ["__count"]
            )
        )
        for partner in self:
            partner.aftersales_report_count = counts.get(partner, 0)

    def _aftersales_cities(self):
        """Cities the agent covers (its own city and those of its coverage)."""
        self.ensure_one()
        return [self.city, *self.aftersales_coverage_ids.mapped("city")]

    @api.model
    def _aftersales_agent_of(self, user=None):
        """The agent a (portal) user works for, or an empty recordset."""
        user = user or self.env.user
        agent = user.sudo().partner_id.commercial_partner_id
        return agent if agent.is_aftersales_agent else self.browse()

    def action_view_aftersales_jobs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_base.aftersales_request_action"
        )
        action["domain"] = [("agent_id", "=", self.id)]
        action["context"] = {"default_agent_id": self.id}
        return action

    def action_view_aftersales_reports(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_agent.aftersales_work_report_action"
        )
        action["domain"] = [("agent_id", "=", self.id)]
        action["context"] = {"default_agent_id": self.id}
        return action

    # Agent statement and performance (R-AGT-5, R-AGT-8): see aftersales_agent_statement.py

    def _aftersales_agent_statement(self, date_from=None, date_to=None):
        return self.env["aftersales.agent.statement"]._statement(self, date_from, date_to)

    def _aftersales_agent_performance(self, date_from=None, date_to=None, lang=None):
        return self.env["aftersales.agent.statement"]._performance(
            self, date_from, date_to, lang=lang
        )

    def action_aftersales_agent_statement(self):
        """The accountant's statement wizard for this agent (PDF or XLSX)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_agent.aftersales_agent_statement_wizard_action"
        )
        action["context"] = {"default_agent_id": self.commercial_partner_id.id}
        return action
