from contextlib import contextmanager

from odoo import Command, fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.tests import new_test_user


class ProvisionCase(AccountTestInvoicingCommon):
    """A company with a chart of accounts and the warranty provision configured, policies
    with provision rates, covered and uncovered products; no demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.company_data["company"]
        cls.provision_accounts = cls._provision_accounts(cls.company)
        cls._enable_provision(cls.company, cls.company_data["default_journal_misc"])
        Policy = cls.env["aftersales.warranty.policy"]
        cls.policy_2pc = Policy.create(
            {"name": "P 12 months", "code": "P-2", "duration_months": 12, "provision_rate": 2.0}
        )
        cls.policy_0pc = Policy.create(
            {"name": "P no provision", "code": "P-0", "duration_months": 12}
        )
        cls.policy_shared = Policy.create(
            {
                "name": "P shared",
                "code": "P-S",
                "duration_months": 24,
                "provision_rate": 3.0,
                "company_id": False,
            }
        )
        Category = cls.env["product.category"]
        cls.categ_plain = Category.create({"name": "P Appliances"})
        cls.categ_override = Category.create(
            {
                "name": "P Air Conditioners",
                "aftersales_provision_rate_override": True,
                "aftersales_provision_rate": 5.0,
            }
        )
        cls.categ_override_child = Category.create(
            {"name": "P Split Units", "parent_id": cls.categ_override.id}
        )
        cls.heater = cls._provision_product("P Heater", cls.policy_2pc)
        cls.kettle = cls._provision_product("P Kettle", cls.policy_0pc)
        cls.cable = cls._provision_product("P Cable", None)
        cls.split = cls._provision_product("P Split", cls.policy_2pc, cls.categ_override_child)
        cls.shared = cls._provision_product("P Shared", cls.policy_shared)
        cls.no_service = cls._provision_product("P Spare Part", None)
        cls.no_service.aftersales_no_service = True

    @classmethod
    def get_default_groups(cls):
        # The fixture user also sets up the warranty policies.
        return super().get_default_groups() | cls.env.ref(
            "aftersales_base.group_aftersales_manager"
        )

    @contextmanager
    def assertRaisesRegex(self, exception, regex, msg=None):
        """unittest's version, inside the savepoint of Odoo's ``assertRaises``: what the
        refused call wrote is rolled back before the test goes on."""
        with self.assertRaises(exception, msg=msg) as caught:
            yield caught
        self.assertRegex(str(caught.exception), regex)

    @classmethod
    def _provision_accounts(cls, company):
        Account = cls.env["account.account"].with_company(company)
        expense, provision, cost = Account.create(
            [
                {
                    "name": "Warranty provision expense",
                    "code": "619100",
                    "account_type": "expense",
                },
                {
                    "name": "Warranty provision",
                    "code": "219100",
                    "account_type": "liability_non_current",
                },
                {
                    "name": "Warranty cost",
                    "code": "619200",
                    "account_type": "expense",
                },
            ]
        )
        return {"expense": expense, "provision": provision, "cost": cost}

    @classmethod
    def _enable_provision(cls, company, journal, accounts=None):
        accounts = accounts or cls.provision_accounts
        company.write(
            {
                "aftersales_provision_enabled": True,
                "aftersales_provision_journal_id": journal.id,
                "aftersales_provision_expense_account_id": accounts["expense"].id,
                "aftersales_provision_account_id": accounts["provision"].id,
                "aftersales_warranty_cost_account_id": accounts["cost"].id,
            }
        )

    @classmethod
    def _provision_product(cls, name, policy, categ=None):
        return cls._create_product(
            name=name,
            lst_price=1000.0,
            categ_id=(categ or cls.categ_plain).id,
            aftersales_warranty_policy_id=policy.id if policy else False,
        )

    @classmethod
    def _user(cls, login, groups, company=None):
        company = company or cls.company
        return new_test_user(
            cls.env,
            login=login,
            groups=groups,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
            context={"no_reset_password": True},
        )

    @classmethod
    def _invoice(
        cls,
        lines,
        move_type="out_invoice",
        date="2024-03-15",
        currency=None,
        company=None,
        post=True,
        partner=None,
    ):
        """``lines``: ``[(product, quantity, price_unit), ...]``, with the company's sale
        tax on each."""
        company = company or cls.company
        tax = company.account_sale_tax_id
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": (partner or cls.partner_a).id,
                    "invoice_date": fields.Date.to_date(date),
                    "currency_id": (currency or company.currency_id).id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "quantity": quantity,
                                "price_unit": price,
                                "tax_ids": [Command.set(tax.ids)],
                            }
                        )
                        for product, quantity, price in lines
                    ],
                }
            )
        )
        if post:
            move.action_post()
        return move

    def _lines(self, entry, account):
        return entry.line_ids.filtered(lambda line: line.account_id == account).sorted(
            lambda line: line.product_id.name
        )
