"""Journal items know the work report they settle and what kind of agent entry they are,
so the agent's statement (R-AGT-5) groups its own items by type."""

from odoo import fields, models

AGENT_ENTRY_TYPES = [
    ("installation_fee", "Installation Fees"),
    ("warranty_fee", "Warranty Fees"),
    ("service_fee", "Other Service Fees"),
    ("chargeback", "Chargebacks"),
    ("parts", "Parts Bought"),
    ("payment", "Payments"),
    ("penalty", "Penalties"),
]


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    aftersales_work_report_id = fields.Many2one(
        "aftersales.work.report",
        string="Work Report",
        index="btree_not_null",
        copy=False,
        readonly=True,
    )
    aftersales_fee_amount = fields.Monetary(
        "Settled Fee",
        copy=False,
        readonly=True,
        help="Part of the work report's fee this line settles (negative for a correction).",
    )
    aftersales_agent_entry_type = fields.Selection(
        AGENT_ENTRY_TYPES, "Agent Entry Type", index="btree_not_null", copy=False
    )

    # In-house technicians (R-AGT-7): the job a commission or cash item belongs to.
    aftersales_technician_request_id = fields.Many2one(
        "aftersales.request",
        string="Technician Job",
        index="btree_not_null",
        copy=False,
        readonly=True,
    )
    aftersales_technician_entry_type = fields.Selection(
        [
            ("job_commission", "Job Commission"),
            ("part_commission", "Part Margin Commission"),
            ("commission_total", "Commissions Payable"),
            ("cash", "Cash Collected"),
        ],
        "Technician Entry Type",
        index="btree_not_null",
        copy=False,
        readonly=True,
    )
