from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common_provision import ProvisionCase


@tagged("post_install", "-at_install")
class TestWarrantyProvision(ProvisionCase):
    def _assert_entry(self, entry, invoice, expected):
        """``expected``: ``{product: amount}``, positive for a provision set aside."""
        accounts = self.provision_accounts
        self.assertEqual(entry.state, "posted")
        self.assertEqual(entry.move_type, "entry")
        self.assertEqual(entry.journal_id, invoice.company_id.aftersales_provision_journal_id)
        self.assertEqual(entry.company_id, invoice.company_id)
        self.assertEqual(entry.date, invoice.date)
        self.assertIn(invoice.name, entry.ref)
        self.assertEqual(entry.aftersales_provision_invoice_id, invoice)
        expense = {
            line.product_id: line.balance for line in self._lines(entry, accounts["expense"])
        }
        provision = {
            line.product_id: -line.balance for line in self._lines(entry, accounts["provision"])
        }
        self.assertEqual(len(entry.line_ids), 2 * len(expected))
        self.assertEqual(set(expense), set(expected))
        self.assertEqual(set(provision), set(expected))
        for product, amount in expected.items():
            self.assertAlmostEqual(expense[product], amount, msg=product.name)
            self.assertAlmostEqual(provision[product], amount, msg=product.name)
        self.assertEqual(entry.line_ids.partner_id, invoice.commercial_partner_id)
        self.assertAlmostEqual(
            sum(entry.line_ids.mapped("debit")), sum(entry.line_ids.mapped("credit"))
        )

    def test_invoice_sets_aside_provision_per_covered_product(self):
        invoice = self._invoice(
            [
                (self.heater, 2, 1000.0),  # policy 2%
                (self.kettle, 1, 500.0),  # policy 0%
                (self.cable, 3, 100.0),  # no policy
                (self.no_service, 1, 800.0),  # without after-sales service
                (self.split, 1, 3000.0),  # policy 2%, category override 5%
                (self.heater, 1, 500.0),  # same product again: one line per product
            ]
        )
        entry = invoice.aftersales_provision_move_id
        self.assertTrue(entry)
        # Untaxed amounts: the 15% tax is not part of the base.
        self._assert_entry(entry, invoice, {self.heater: 50.0, self.split: 150.0})
        self.assertEqual(invoice.aftersales_provision_count, 1)

    def test_category_override_zero_sets_nothing_aside(self):
        self.categ_override.aftersales_provision_rate = 0.0
        invoice = self._invoice([(self.split, 1, 3000.0), (self.heater, 1, 1000.0)])
        self._assert_entry(invoice.aftersales_provision_move_id, invoice, {self.heater: 20.0})

    def test_invoice_without_covered_product_has_no_entry(self):
        invoice = self._invoice([(self.kettle, 1, 500.0), (self.cable, 1, 100.0)])
        self.assertFalse(invoice.aftersales_provision_move_ids)

    def test_credit_note_takes_the_provision_back(self):
        refund = self._invoice([(self.heater, 1, 1000.0)], move_type="out_refund")
        entry = refund.aftersales_provision_move_id
        self._assert_entry(entry, refund, {self.heater: -20.0})
        expense = self._lines(entry, self.provision_accounts["expense"])
        self.assertEqual((expense.debit, expense.credit), (0.0, 20.0))

    def test_reset_to_draft_reverses_and_repost_sets_aside_again(self):
        invoice = self._invoice([(self.heater, 2, 1000.0)])
        original = invoice.aftersales_provision_move_id
        before = original.line_ids.read(["account_id", "debit", "credit", "product_id"])
        invoice.button_draft()
        # The original entry is untouched: still posted, same lines.
        self.assertEqual(original.state, "posted")
        self.assertEqual(
            original.line_ids.read(["account_id", "debit", "credit", "product_id"]), before
        )
        reversal = original.reversal_move_ids
        self.assertEqual(len(reversal), 1)
        self.assertEqual(reversal.state, "posted")
        self.assertEqual(reversal.date, original.date)
        self.assertEqual(reversal.aftersales_provision_invoice_id, invoice)
        provision_line = self._lines(reversal, self.provision_accounts["provision"])
        self.assertEqual((provision_line.debit, provision_line.credit), (40.0, 0.0))
        self.assertEqual(provision_line.product_id, self.heater)
        self.assertFalse(invoice.aftersales_provision_move_id)

        invoice.action_post()
        fresh = invoice.aftersales_provision_move_id
        self.assertTrue(fresh)
        self.assertNotIn(fresh, original | reversal)
        self._assert_entry(fresh, invoice, {self.heater: 40.0})
        self.assertEqual(invoice.aftersales_provision_count, 3)

    def test_cancel_reverses_the_provision(self):
        invoice = self._invoice([(self.heater, 1, 1000.0)])
        original = invoice.aftersales_provision_move_id
        invoice.button_cancel()
        self.assertEqual(invoice.state, "cancel")
        self.assertEqual(original.state, "posted")
        self.assertEqual(len(original.reversal_move_ids), 1)
        self.assertEqual(original.reversal_move_ids.state, "posted")
        self.assertFalse(invoice.aftersales_provision_move_id)
        # Net provision of the invoice is zero.
        lines = invoice.aftersales_provision_move_ids.line_ids.filtered(
            lambda line: line.account_id == self.provision_accounts["provision"]
        )
        self.assertAlmostEqual(sum(lines.mapped("balance")), 0.0)

    def test_draft_invoice_cancelled_is_not_reversed_twice(self):
        invoice = self._invoice([(self.heater, 1, 1000.0)])
        invoice.button_draft()
        invoice.button_cancel()
        self.assertEqual(len(invoice.aftersales_provision_move_ids), 2)

    def test_provision_disabled_posts_nothing(self):
        self.company.aftersales_provision_enabled = False
        invoice = self._invoice([(self.heater, 1, 1000.0)])
        self.assertEqual(
            self.env["account.move"].search_count(
                [("aftersales_provision_invoice_id", "=", invoice.id)]
            ),
            0,
        )

    def test_enabling_without_journal_or_accounts_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "Warranty Provision Journal"):
            self.company.aftersales_provision_journal_id = False
        self.company.aftersales_provision_enabled = False
        self.company.aftersales_provision_account_id = False
        with self.assertRaisesRegex(
            ValidationError, "cannot be enabled without.*Provision Account"
        ):
            self.company.aftersales_provision_enabled = True
        with self.assertRaisesRegex(ValidationError, "must differ"):
            self.company.write(
                {
                    "aftersales_provision_enabled": True,
                    "aftersales_provision_account_id": self.provision_accounts["expense"].id,
                }
            )

    def test_settings_save_all_fields_at_once(self):
        company = self.company
        company.aftersales_provision_enabled = False
        company.write(
            {
                "aftersales_provision_journal_id": False,
                "aftersales_provision_expense_account_id": False,
                "aftersales_provision_account_id": False,
                "aftersales_warranty_cost_account_id": False,
            }
        )
        settings = self.env["res.config.settings"].with_company(company)
        with self.assertRaisesRegex(ValidationError, "cannot be enabled without"):
            settings.create({"aftersales_provision_enabled": True}).execute()
        self.assertFalse(company.aftersales_provision_enabled)
        settings.create(
            {
                "aftersales_provision_enabled": True,
                "aftersales_provision_journal_id": self.company_data["default_journal_misc"].id,
                "aftersales_provision_expense_account_id": self.provision_accounts["expense"].id,
                "aftersales_provision_account_id": self.provision_accounts["provision"].id,
                "aftersales_warranty_cost_account_id": self.provision_accounts["cost"].id,
            }
        ).execute()
        self.assertTrue(company.aftersales_provision_enabled)
        self.assertEqual(
            company.aftersales_provision_account_id, self.provision_accounts["provision"]
        )
        self.assertEqual(
            company.aftersales_provision_journal_id, self.company_data["default_journal_misc"]
        )

    def test_foreign_currency_invoice_at_its_rate(self):
        # 2017 rate: 1 company currency = 2 units of the other currency.
        other = self.setup_other_currency("EUR")
        invoice = self._invoice([(self.heater, 1, 1000.0)], currency=other, date="2017-06-01")
        self._assert_entry(invoice.aftersales_provision_move_id, invoice, {self.heater: 10.0})
        self.assertEqual(invoice.aftersales_provision_move_id.currency_id, self.company.currency_id)

    def test_other_company_uses_its_own_journal_and_accounts(self):
        data_2 = self.setup_other_company(name="P Company 2")
        company_2 = data_2["company"]
        self.env.user.company_ids |= company_2
        accounts_2 = self._provision_accounts(company_2)
        journal_2 = data_2["default_journal_misc"]
        self._enable_provision(company_2, journal_2, accounts_2)
        invoice = self._invoice([(self.shared, 1, 2000.0)], company=company_2)
        entry = invoice.aftersales_provision_move_id
        self.assertEqual(entry.company_id, company_2)
        self.assertEqual(entry.journal_id, journal_2)
        self.assertEqual(entry.line_ids.account_id, accounts_2["expense"] | accounts_2["provision"])
        self.assertAlmostEqual(self._lines(entry, accounts_2["provision"]).credit, 60.0)
        # Another company's journal or account is refused in the settings.
        with self.assertRaises(UserError):
            company_2.aftersales_provision_journal_id = self.company_data["default_journal_misc"]
        with self.assertRaises(UserError):
            company_2.aftersales_provision_account_id = self.provision_accounts["provision"]

    def test_batch_of_invoices_each_get_their_entry(self):
        invoices = (
            self._invoice([(self.heater, 1, 1000.0)], post=False)
            | self._invoice([(self.split, 2, 1000.0)], post=False, date="2024-04-02")
            | self._invoice([(self.cable, 1, 1000.0)], post=False)
        )
        invoices.action_post()
        first, second, third = invoices
        self._assert_entry(first.aftersales_provision_move_id, first, {self.heater: 20.0})
        self._assert_entry(second.aftersales_provision_move_id, second, {self.split: 100.0})
        self.assertEqual(
            second.aftersales_provision_move_id.date, fields.Date.to_date("2024-04-02")
        )
        self.assertFalse(third.aftersales_provision_move_ids)

    def test_billing_user_posts_invoice_with_provision(self):
        billing = self._user("p_billing", "account.group_account_invoice")
        invoice = self._invoice([(self.heater, 1, 1000.0)], post=False)
        invoice.with_user(billing).action_post()
        self._assert_entry(invoice.aftersales_provision_move_id, invoice, {self.heater: 20.0})
        invoice.with_user(billing).button_draft()
        self.assertFalse(invoice.aftersales_provision_move_id)
        self.assertEqual(len(invoice.aftersales_provision_move_ids), 2)
