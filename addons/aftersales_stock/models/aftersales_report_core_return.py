"""Core returns and their lateness per agent (R-STK-4, R-STK-7): one row per core
obligation, by due date. A core is late when it came back after its due date or is still
owed past it; its days late count to the receipt, or to today while owed."""

from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..tools import AVERAGE, INTEGER, PERCENT, TEXT
from .aftersales_core import STATES


class AftersalesReportCoreReturn(models.Model):
    _name = "aftersales.report.core.return"
    _description = "Core Returns Report"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "core_id"
    # Pending writes of these fields are flushed before the view is read.
    _depends = {
        "aftersales.core": [
            "due_date",
            "company_id",
            "agent_id",
            "technician_id",
            "product_id",
            "state",
            "received_date",
        ],
    }

    date = fields.Date("Due Date", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    core_id = fields.Many2one("aftersales.core", readonly=True)
    agent_id = fields.Many2one("res.partner", "Service Agent", readonly=True)
    technician_id = fields.Many2one("res.users", readonly=True)
    product_id = fields.Many2one("product.product", "Part", readonly=True)
    state = fields.Selection(STATES, readonly=True)
    core_count = fields.Integer("Cores Due", readonly=True)
    owed_count = fields.Integer("Still Owed", readonly=True)
    returned_count = fields.Integer("Returned", readonly=True)
    accepted_count = fields.Integer("Accepted", readonly=True)
    rejected_count = fields.Integer("Rejected", readonly=True)
    late_count = fields.Integer(
        "Late", readonly=True, help="Received after the due date, or still owed past it."
    )
    days_late = fields.Float(
        "Average Days Late",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Over the late cores only: days from the due date to the receipt (or today).",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %s AS (
                SELECT core.id AS id,
                       core.due_date AS date,
                       core.company_id AS company_id,
                       core.id AS core_id,
                       core.agent_id AS agent_id,
                       core.technician_id AS technician_id,
                       core.product_id AS product_id,
                       core.state AS state,
                       1 AS core_count,
                       CASE WHEN core.state IN ('pending', 'shipped') THEN 1 ELSE 0 END
                           AS owed_count,
                       CASE WHEN core.received_date IS NOT NULL THEN 1 ELSE 0 END
                           AS returned_count,
                       CASE WHEN core.state = 'accepted' THEN 1 ELSE 0 END AS accepted_count,
                       CASE WHEN core.state = 'rejected' THEN 1 ELSE 0 END AS rejected_count,
                       CASE WHEN late.days > 0 THEN 1 ELSE 0 END AS late_count,
                       CASE WHEN late.days > 0 THEN late.days END AS days_late
                  FROM aftersales_core core
                  CROSS JOIN LATERAL (
                        SELECT COALESCE((core.received_date)::date, CURRENT_DATE)
                               - core.due_date AS days
                       ) late
            )
            """,
                SQL.identifier(self._table),
            )
        )

    @api.model
    def _aftersales_xlsx_sheet(self, domain):
        """One row per agent (technicians' own cores under the technician's name)."""
        groups = self._read_group(
            domain,
            ["agent_id", "technician_id"],
            [
                "core_count:sum",
                "returned_count:sum",
                "accepted_count:sum",
                "rejected_count:sum",
                "owed_count:sum",
                "late_count:sum",
                "days_late:avg",
            ],
        )
        groups.sort(key=lambda g: (-g[7], (g[0] or g[1]).display_name or ""))
        columns = [
            (self.env._("Service Agent"), TEXT),
            (self.env._("Cores Due"), INTEGER),
            (self.env._("Returned"), INTEGER),
            (self.env._("Accepted"), INTEGER),
            (self.env._("Rejected"), INTEGER),
            (self.env._("Still Owed"), INTEGER),
            (self.env._("Late"), INTEGER),
            (self.env._("Average Days Late"), AVERAGE),
            (self.env._("Return Rate"), PERCENT),
        ]
        rows = [
            [
                (agent or technician).display_name or "",
                due,
                returned,
                accepted,
                rejected,
                owed,
                late,
                round(days, 1) if days else None,
                returned / due if due else None,
            ]
            for agent, technician, due, returned, accepted, rejected, owed, late, days in groups
        ]
        return self.env._("Core Returns"), columns, rows
