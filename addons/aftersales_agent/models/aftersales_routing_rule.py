"""Routing learns about agents: their service types and their daily capacity.

An agent's coverage is the routing rules naming it. When the best rule for a request
names an agent that does not do the service type, or that already has its day's capacity
of jobs, the next best rule is taken, and the request says why (R-AGT-1)."""

from collections import Counter
from datetime import datetime, time, timedelta

import pytz

from odoo import api, models
from odoo.tools import SQL


class AftersalesRoutingRule(models.Model):
    _inherit = "aftersales.routing.rule"

    @api.model
    def _route_many(self, keys, company=None):
        return [rule for rule, _note in self._route_many_explained(keys, company=company)]

    @api.model
    def _route_many_explained(self, keys, company=None):
        """``[(rule, note)]`` for ``keys`` (see ``_route_many``): ``note`` names the agents
        skipped for that request and why, or is empty. One search of the rules and one
        grouped count of the agents' jobs of the day for the whole batch; the jobs routed
        earlier in the batch count too."""
        agents = self.env["res.partner"]
        ranked_per_key = self._route_ranked(keys, company=company)
        for ranked in ranked_per_key:
            for rule in ranked:
                agents |= rule.agent_id
        loads = Counter(self._agent_jobs_today(agents.filtered("aftersales_daily_capacity")))
        result = []
        for (_state, _city, service_type), ranked in zip(keys, ranked_per_key, strict=True):
            chosen, skipped = self.browse(), []
            for rule in ranked:
                agent = rule.agent_id
                if (
                    agent
                    and agent.aftersales_service_type_ids
                    and service_type
                    and (service_type not in agent.aftersales_service_type_ids)
                ):
                    skipped.append(
                        self.env._(
                            "%(agent)s does not do %(type)s",
                            agent=agent.display_name,
                            type=service_type.display_name,
                        )
                    )
                    continue
                capacity = agent.aftersales_daily_capacity
                if agent and capacity and loads[agent] >= capacity:
                    skipped.append(
                        self.env._(
                            "%(agent)s is at capacity (%(count)s jobs today)",
                            agent=agent.display_name,
                            count=loads[agent],
                        )
                    )
                    continue
                chosen = rule
                break
            if chosen.agent_id:
                loads[chosen.agent_id] += 1
            note = ""
            if skipped:
                note = self.env._("Skipped: %(reasons)s.", reasons="; ".join(skipped))
            result.append((chosen, note))
        return result

    @api.model
    def _agent_jobs_today(self, agents):
        """``{agent: jobs received today}`` in the user's day, one grouped query."""
        if not agents:
            return {}
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        today = datetime.now(tz).date()
        start = tz.localize(datetime.combine(today, time.min)).astimezone(pytz.utc)
        end = start + timedelta(days=1)
        # Plain SQL, no flush: routing runs while requests are being created, and the
        # requests of earlier batches are already in the table.
        self.env.cr.execute(
            SQL(
                """
                SELECT agent_id, count(*) FROM aftersales_request
                 WHERE agent_id = ANY(%s) AND request_date >= %s AND request_date < %s
                 GROUP BY agent_id
                """,
                agents.ids,
                start.replace(tzinfo=None),
                end.replace(tzinfo=None),
            )
        )
        Partner = self.env["res.partner"]
        return {Partner.browse(agent_id): count for agent_id, count in self.env.cr.fetchall()}
