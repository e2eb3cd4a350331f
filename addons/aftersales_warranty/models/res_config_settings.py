from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_warranty_strict = fields.Boolean(
        related="company_id.aftersales_warranty_strict", readonly=False
    )
    aftersales_warranty_sms_keyword = fields.Char(
        related="company_id.aftersales_warranty_sms_keyword", readonly=False
    )
    aftersales_warranty_sms_replies_per_hour = fields.Integer(
        "Warranty SMS Replies per Hour",
        config_parameter="aftersales_warranty.sms_replies_per_hour",
        default=5,
        help="At most this many warranty replies to one phone number per hour; later "
        "messages are recorded without reply. 0: no limit.",
    )
    aftersales_extension_offer_days = fields.Integer(
        related="company_id.aftersales_extension_offer_days", readonly=False
    )

    _aftersales_provision_fields = (
        "aftersales_provision_enabled",
        "aftersales_provision_journal_id",
        "aftersales_provision_expense_account_id",
        "aftersales_provision_account_id",
        "aftersales_warranty_cost_account_id",
    )

    # Computed with one inverse rather than related: the company's check needs all of
    # them in one write, where related fields would write them one by one.
    aftersales_provision_enabled = fields.Boolean(
        "Warranty Provision",
        compute="_compute_aftersales_provision",
        inverse="_inverse_aftersales_provision",
        readonly=False,
    )
    aftersales_provision_journal_id = fields.Many2one(
        "account.journal",
        string="Warranty Provision Journal",
        compute="_compute_aftersales_provision",
        inverse="_inverse_aftersales_provision",
        readonly=False,
        check_company=True,
        domain="[('type', '=', 'general')]",
    )
    aftersales_provision_expense_account_id = fields.Many2one(
        "account.account",
        string="Warranty Provision Expense Account",
        compute="_compute_aftersales_provision",
        inverse="_inverse_aftersales_provision",
        readonly=False,
        check_company=True,
        domain="[('deprecated', '=', False), ('internal_group', '=', 'expense')]",
    )
    aftersales_provision_account_id = fields.Many2one(
        "account.account",
        string="Warranty Provision Account",
        compute="_compute_aftersales_provision",
        inverse="_inverse_aftersales_provision",
        readonly=False,
        check_company=True,
        domain="[('deprecated', '=', False), ('internal_group', '=', 'liability'), "
        "('account_type', '!=', 'liability_payable')]",
    )
    aftersales_warranty_cost_account_id = fields.Many2one(
        "account.account",
        string="Warranty Cost Account",
        compute="_compute_aftersales_provision",
        inverse="_inverse_aftersales_provision",
        readonly=False,
        check_company=True,
        domain="[('deprecated', '=', False), ('internal_group', '=', 'expense')]",
    )

    @api.depends("company_id")
    def _compute_aftersales_provision(self):
        for settings in self:
            for fname in self._aftersales_provision_fields:
                settings[fname] = settings.company_id[fname]

    def _inverse_aftersales_provision(self):
        for settings in self:
            vals = {
                fname: settings[fname].id if fname.endswith("_id") else settings[fname]
                for fname in self._aftersales_provision_fields
            }
            current = {
                fname: settings.company_id[fname].id
                if fname.endswith("_id")
                else settings.company_id[fname]
                for fname in self._aftersales_provision_fields
            }
            if vals != current:
                settings.company_id.write(vals)
