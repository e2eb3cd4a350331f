import datetime
import io

import openpyxl

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common_provision import ProvisionCase

XLSX_URL = "/aftersales/warranty/provision/xlsx"


class ProvisionReportCase(ProvisionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["aftersales.warranty.provision.report"]

    def _cost_entry(self, product, amount, date="2024-03-20"):
        """An actual warranty cost, as an agent's bill or consumed part would post it."""
        entry = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": self.company_data["default_journal_misc"].id,
                "date": fields.Date.to_date(date),
                "line_ids": [
                    Command.create(
                        {
                            "name": "Warranty repair",
                            "account_id": self.provision_accounts["cost"].id,
                            "product_id": product.id,
                            "balance": amount,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Warranty repair",
                            "account_id": self.company_data["default_account_payable"].id,
                            "partner_id": self.partner_a.id,
                            "balance": -amount,
                        }
                    ),
                ],
            }
        )
        entry.action_post()
        return entry

    def _report_rows(self, product):
        self.env.flush_all()
        return {
            row.date: (row.provision_amount, row.cost_amount, row.difference_amount)
            for row in self.Report.search(
                [("product_id", "=", product.id), ("company_id", "=", self.company.id)]
            )
        }


@tagged("post_install", "-at_install")
class TestProvisionReport(ProvisionReportCase):
    def test_provision_vs_cost_per_product_and_month(self):
        self._invoice([(self.heater, 2, 1000.0)], date="2024-03-15")
        self._invoice([(self.heater, 1, 1000.0)], move_type="out_refund", date="2024-03-28")
        self._invoice([(self.heater, 1, 500.0), (self.split, 1, 1000.0)], date="2024-04-02")
        self._cost_entry(self.heater, 25.0, date="2024-03-20")
        self._cost_entry(self.heater, 70.0, date="2024-04-10")
        self._cost_entry(self.cable, 12.0, date="2024-04-10")
        march, april = datetime.date(2024, 3, 1), datetime.date(2024, 4, 1)
        # March: 40 set aside, 20 taken back by the credit note; cost 25.
        self.assertEqual(
            self._report_rows(self.heater), {march: (20.0, 25.0, -5.0), april: (10.0, 70.0, -60.0)}
        )
        self.assertEqual(self._report_rows(self.split), {april: (50.0, 0.0, 50.0)})
        # A product without provision still shows its warranty cost.
        self.assertEqual(self._report_rows(self.cable), {april: (0.0, 12.0, -12.0)})

    def test_reversed_provision_nets_to_zero_and_drafts_are_left_out(self):
        invoice = self._invoice([(self.heater, 1, 1000.0)], date="2024-05-05")
        invoice.button_draft()
        self.assertEqual(
            self._report_rows(self.heater), {datetime.date(2024, 5, 1): (0.0, 0.0, 0.0)}
        )
        self._invoice([(self.heater, 1, 1000.0)], date="2024-06-05", post=False)
        self.assertNotIn(datetime.date(2024, 6, 1), self._report_rows(self.heater))

    def test_report_read_by_accountant_not_by_operator(self):
        self._invoice([(self.heater, 2, 1000.0)])
        accountant = self._user("p_accountant", "account.group_account_readonly")
        operator = self._user("p_operator", "aftersales_base.group_aftersales_operator")
        self.env.flush_all()
        rows = self.Report.with_user(accountant).search([("product_id", "=", self.heater.id)])
        self.assertEqual(rows.mapped("provision_amount"), [40.0])
        self.assertFalse(self.Report.with_user(operator).has_access("read"))


@tagged("post_install", "-at_install")
class TestProvisionReportXlsx(ProvisionReportCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = cls._user("p_xlsx_accountant", "account.group_account_readonly")
        cls.as_manager = cls._user("p_xlsx_manager", "aftersales_base.group_aftersales_manager")
        cls.plain_user = cls._user("p_xlsx_user", "base.group_user")
        cls.portal_user = cls._user("p_xlsx_portal", "base.group_portal")

    def _download(self, login, query=""):
        self.authenticate(login, login)
        return self.url_open(XLSX_URL + query)

    def test_xlsx_export_for_accountant(self):
        self._invoice([(self.heater, 2, 1000.0)], date="2024-03-15")
        self._cost_entry(self.heater, 25.0)
        self._invoice([(self.split, 1, 1000.0)], date="2023-01-10")
        self.env.flush_all()
        response = self._download("p_xlsx_accountant", "?date_from=2024-03-01&date_to=2024-03-31")
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(
            rows[0],
            ("Month", "Company", "Product", "Provision", "Actual Warranty Cost", "Provision Left"),
        )
        body = [row for row in rows[1:] if row[2] == self.heater.display_name]
        self.assertEqual(len(body), 1)
        month, company, _product, provision, cost, left = body[0]
        self.assertEqual(month.date(), datetime.date(2024, 3, 1))
        self.assertEqual(company, self.company.name)
        self.assertEqual((provision, cost, left), (40.0, 25.0, 15.0))
        # The 2023 sale is outside the period.
        self.assertNotIn(self.split.display_name, [row[2] for row in rows[1:]])

    def test_xlsx_export_for_aftersales_manager(self):
        self._invoice([(self.heater, 1, 1000.0)])
        response = self._download("p_xlsx_manager")
        self.assertEqual(response.status_code, 200)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        self.assertIn(
            self.heater.display_name, [row[2] for row in sheet.iter_rows(values_only=True)]
        )

    def test_xlsx_export_refused_without_rights(self):
        self._invoice([(self.heater, 1, 1000.0)])
        for login in ("p_xlsx_user", "p_xlsx_portal"):
            response = self._download(login)
            self.assertEqual(response.status_code, 404, login)
            self.assertNotIn("spreadsheetml", response.headers.get("Content-Type", ""), login)

    def test_export_button_points_at_the_selected_rows(self):
        self._invoice([(self.heater, 1, 1000.0)])
        self.env.flush_all()
        rows = self.Report.search([("product_id", "=", self.heater.id)])
        action = rows.action_export_xlsx()
        self.assertEqual(action["url"], f"{XLSX_URL}?ids={rows.id}")
        response = self._download("p_xlsx_accountant", f"?ids={rows.id}")
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(sheet.max_row, 2)
