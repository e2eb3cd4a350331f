from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_agent_repeat_days = fields.Integer(
        related="company_id.aftersales_agent_repeat_days", readonly=False
    )
    aftersales_agent_code_minutes = fields.Integer(
        related="company_id.aftersales_agent_code_minutes", readonly=False
    )
    aftersales_agent_code_tries = fields.Integer(
        related="company_id.aftersales_agent_code_tries", readonly=False
    )
    aftersales_agent_journal_id = fields.Many2one(
        related="company_id.aftersales_agent_journal_id", readonly=False
    )
    aftersales_agent_fee_account_id = fields.Many2one(
        related="company_id.aftersales_agent_fee_account_id", readonly=False
    )

    # In-house technicians (R-AGT-7)
    aftersales_technician_journal_id = fields.Many2one(
        related="company_id.aftersales_technician_journal_id", readonly=False
    )
    aftersales_technician_commission_account_id = fields.Many2one(
        related="company_id.aftersales_technician_commission_account_id", readonly=False
    )
    aftersales_technician_payable_account_id = fields.Many2one(
        related="company_id.aftersales_technician_payable_account_id", readonly=False
    )
    aftersales_technician_receivable_account_id = fields.Many2one(
        related="company_id.aftersales_technician_receivable_account_id", readonly=False
    )
