"""Who covers a region: province/city (and service type) -> technician team or agent."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .aftersales_team import technician_domain


class AftersalesRoutingRule(models.Model):
    _name = "aftersales.routing.rule"
    _description = "Routing Rule"
    _order = "sequence, id"

    name = fields.Char(compute="_compute_name", store=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    state_id = fields.Many2one("res.country.state", string="Province", required=True, index=True)
    city = fields.Char(help="Leave empty to cover the whole province.")
    service_type_ids = fields.Many2many(
        "aftersales.service.type", string="Service Types", help="Empty: every service type."
    )
    team_id = fields.Many2one("aftersales.team", string="Technician Team")
    technician_id = fields.Many2one(
        "res.users",
        domain=technician_domain,
    )
    agent_id = fields.Many2one(
        "res.partner", string="Service Agent", domain="[('is_aftersales_agent', '=', True)]"
    )

    @api.depends("state_id", "city", "team_id", "agent_id", "technician_id")
    def _compute_name(self):
        for rule in self:
            target = rule.agent_id or rule.team_id or rule.technician_id
            where = ", ".join(filter(None, [rule.city, rule.state_id.name]))
            rule.name = f"{where} → {target.display_name or ''}"

    @api.constrains("state_id", "team_id", "agent_id", "technician_id")
    def _check_target(self):
        for rule in self:
            if not (rule.team_id or rule.agent_id or rule.technician_id):
                raise ValidationError(
                    self.env._(
                        "Routing rule for %(region)s must name a technician team, a "
                        "technician or a service agent.",
                        region=rule.state_id.display_name,
                    )
                )

    @api.model
    def _route(self, state, city=None, service_type=None, company=None):
        """Return the best rule for a province/city and service type, or an empty recordset."""
        return self._route_many([(state, city, service_type)], company=company)[0]

    @api.model
    def _route_many(self, keys, company=None):
        """Route many ``(state, city, service_type)`` keys with one query: the best rule
        of each (see ``_route_ranked``), or an empty recordset."""
        return [
            ranked[0] if ranked else self.browse() for ranked in self._route_ranked(keys, company)
        ]

    @api.model
    def _route_ranked(self, keys, company=None):
        """For each ``(state, city, service_type)`` key, the rules that apply, best first.

        A rule for the city beats one for the whole province, and a rule naming the
        service type beats a rule for every type; ``sequence`` breaks ties. One query for
        all keys. This is the entry point later addons (agents and their capacity) use.
        """
        company = company or self.env.company
        state_ids = list({state.id for state, _city, _stype in keys if state})
        rules_by_state = defaultdict(list)
        if state_ids:
            for rule in self.search(
                [("state_id", "in", state_ids), ("company_id", "=", company.id)],
                order="sequence, id",
            ):
                rules_by_state[rule.state_id.id].append(rule)
        result = []
        for state, city, service_type in keys:
            city_key = (city or "").strip().casefold()
            ranked = []
            for rule in rules_by_state.get(state.id if state else None, ()):
                if rule.city and rule.city.strip().casefold() != city_key:
                    continue
                if rule.service_type_ids and service_type not in rule.service_type_ids:
                    continue
                score = (2 if rule.city else 0) + (1 if rule.service_type_ids else 0)
                ranked.append((-score, len(ranked), rule))
            ranked.sort(key=lambda item: item[:2])
            result.append([rule for _score, _index, rule in ranked])
        return result
