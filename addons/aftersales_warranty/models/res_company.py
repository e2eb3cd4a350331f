from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_warranty_strict = fields.Boolean(
        "Warranty Repairs Need a Card",
        help="Refuse a warranty repair for a device without serial number or whose serial "
        "has no warranty card. Without it, such devices are accepted and flagged for "
        "checking (devices sold before the warranty cards were issued); a card that does "
        "not cover the device is refused either way.",
    )
    aftersales_warranty_sms_keyword = fields.Char(
        "Warranty SMS Keyword",
        help="Customers text this word and the serial of their device (e.g. 'W SN12345') "
        "to learn its warranty status by SMS. Empty: a message that is only a serial is "
        "answered.",
    )
    aftersales_extension_offer_days = fields.Integer(
        "Offer Extension Before Expiry (days)",
        default=30,
        help="Cards in warranty ending within this many days are listed as expiring soon, "
        "to offer their owners an extended warranty.",
    )

    aftersales_provision_enabled = fields.Boolean(
        "Warranty Provision",
        help="On every posted customer invoice, set aside the warranty provision rate of "
        "its products' warranty policies in a journal entry; credit notes take it back.",
    )
    aftersales_provision_journal_id = fields.Many2one(
        "account.journal",
        string="Warranty Provision Journal",
        check_company=True,
        domain="[('type', '=', 'general')]",
    )
    aftersales_provision_expense_account_id = fields.Many2one(
        "account.account",
        string="Warranty Provision Expense Account",
        check_company=True,
        domain="[('deprecated', '=', False), ('internal_group', '=', 'expense')]",
        help="Debited with the provision set aside on each sale.",
    )
    aftersales_provision_account_id = fields.Many2one(
        "account.account",
        string="Warranty Provision Account",
        check_company=True,
        domain="[('deprecated', '=', False), ('internal_group', '=', 'liability'), "
        "('account_type', '!=', 'liability_payable')]",
        help="Liability credited with the provision set aside on each sale.",
    )
    aftersales_warranty_cost_account_id = fields.Many2one(
        "account.account",
        string="Warranty Cost Account",
        check_company=True,
        domain="[('deprecated', '=', False), ('internal_group', '=', 'expense')]",
        help="Where the actual warranty costs are posted (agents' warranty fees, parts "
        "consumed under warranty), with the product on the line: the provision report "
        "compares them with the provision.",
    )

    @api.constrains(
        "aftersales_provision_enabled",
        "aftersales_provision_journal_id",
        "aftersales_provision_expense_account_id",
        "aftersales_provision_account_id",
        "aftersales_warranty_cost_account_id",
    )
    def _check_aftersales_provision_config(self):
        for company in self.filtered("aftersales_provision_enabled"):
            missing = [
                company._fields[fname].get_description(self.env)["string"]
                for fname in (
                    "aftersales_provision_journal_id",
                    "aftersales_provision_expense_account_id",
                    "aftersales_provision_account_id",
                    "aftersales_warranty_cost_account_id",
                )
                if not company[fname]
            ]
            if missing:
                raise ValidationError(
                    self.env._(
                        "The warranty provision of %(company)s cannot be enabled without: "
                        "%(missing)s.",
                        company=company.name,
                        missing=", ".join(missing),
                    )
                )
            if company.aftersales_provision_journal_id.type != "general":
                raise ValidationError(
                    self.env._(
                        "The warranty provision journal of %(company)s must be a "
                        "miscellaneous (general) journal.",
                        company=company.name,
                    )
                )
            if company.aftersales_provision_account_id in (
                company.aftersales_provision_expense_account_id
                | company.aftersales_warranty_cost_account_id
            ):
                raise ValidationError(
                    self.env._(
                        "The warranty provision account of %(company)s must differ from its "
                        "provision expense and warranty cost accounts.",
                        company=company.name,
                    )
                )
