from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_agent_repeat_days = fields.Integer(
        "Repeat Repair Window (days)",
        default=30,
        help="A repair of the same serial within this many days after a job of the same "
        "agent is flagged as a repeat.",
    )
    aftersales_agent_code_minutes = fields.Integer(
        "Confirmation Code Validity (minutes)",
        default=30,
        help="How long the code sent to the customer to confirm a visit stays valid.",
    )
    aftersales_agent_code_tries = fields.Integer(
        "Confirmation Code Tries",
        default=5,
        help="Wrong codes accepted before the code is blocked and a new one must be sent.",
    )
    aftersales_agent_journal_id = fields.Many2one(
        "account.journal",
        string="Agent Settlement Journal",
        domain="[('type', '=', 'purchase'), ('company_id', '=', id)]",
        help="Default journal of agent vendor bills; an agent may name its own.",
    )
    aftersales_agent_fee_account_id = fields.Many2one(
        "account.account",
        string="Agent Fee Expense Account",
        domain="[('account_type', 'in', ('expense', 'expense_direct_cost'))]",
        help="Expense account of the fees paid to agents (warranty and installation work).",
    )
