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

    # In-house technicians (R-AGT-7): commissions and cash they hold.
    aftersales_technician_journal_id = fields.Many2one(
        "account.journal",
        string="Technician Journal",
        domain="[('type', '=', 'general'), ('company_id', '=', id)]",
        help="Miscellaneous journal of technician commissions and of the cash they collect.",
    )
    aftersales_technician_commission_account_id = fields.Many2one(
        "account.account",
        string="Technician Commission Expense Account",
        domain="[('account_type', 'in', ('expense', 'expense_direct_cost'))]",
    )
    aftersales_technician_payable_account_id = fields.Many2one(
        "account.account",
        string="Technician Payable Account",
        domain="[('account_type', 'in', ('liability_payable', 'liability_current')), "
        "('reconcile', '=', True)]",
        help="What the company owes its technicians (commissions).",
    )
    aftersales_technician_receivable_account_id = fields.Many2one(
        "account.account",
        string="Technician Receivable Account",
        domain="[('account_type', 'in', ('asset_receivable', 'asset_current')), "
        "('reconcile', '=', True)]",
        help="Cash the technicians collected from customers and still hold.",
    )
