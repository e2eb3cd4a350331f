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

    @classmethod
    def _cost_entry(cls, product, amount, date="2024-03-20"):
        """An actual warranty cost, as an agent's bill or consumed part would post it."""
        entry = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": cls.company_data["default_journal_misc"].id,
                "date": fields.Date.to_date(date),
                "line_ids": [
                    Command.create(
                        {
                            "name": "Warranty repair",
                            "account_id": cls.provision_accounts["cost"].id,
                            "product_id": product.id,
                            "balance": amount,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Warranty repair",
                            "account_id": cls.company_data["default_account_payable"].id,
                            "partner_id": cls.partner_a.id,
                            "balance": -amount,
                        }
                    ),
                ],
            }
        )
        entry.action_post()
        return entry

    def _report_rows(self, product):
        """``{month: (provision, cost, provision left)}`` as the pivot shows them."""
        self.env.flush_all()
        groups = self.Report._read_group(
            [("product_id", "=", product.id), ("company_id", "=", self.company.id)],
            ["date:month"],
            ["provision_amount:sum", "cost_amount:sum", "difference_amount:sum"],
        )
        return {month: tuple(amounts) for month, *amounts in groups}


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
        cls.accountant.lang = "en_US"
        cls.as_manager = cls._user("p_xlsx_manager", "aftersales_base.group_aftersales_manager")
        cls.env["res.lang"]._activate_lang("fa_IR")
        cls.as_manager.lang = "fa_IR"
        cls.plain_user = cls._user("p_xlsx_user", "base.group_user")
        cls.portal_user = cls._user("p_xlsx_portal", "base.group_portal")
        # Jalali: 2024-03-15 is 1402/12/25; 2024-03-20 (Nowruz) 1403/01/01; 2024-03-25 1403/01/06.
        cls._invoice([(cls.heater, 2, 1000.0)], date="2024-03-15")
        cls._invoice([(cls.heater, 1, 1000.0)], date="2024-03-25")
        cls._cost_entry(cls.heater, 25.0, date="2024-03-20")
        cls._invoice([(cls.split, 1, 1000.0)], date="2023-01-10")
        cls.env.flush_all()

    def _download(self, login, query=""):
        self.authenticate(login, login)
        return self.url_open(XLSX_URL + query)

    def _sheet_rows(self, response):
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        return sheet, list(sheet.iter_rows(values_only=True))

    def test_xlsx_export_for_accountant_by_gregorian_month(self):
        response = self._download("p_xlsx_accountant", "?date_from=2024-03-01&date_to=2024-03-31")
        sheet, rows = self._sheet_rows(response)
        self.assertFalse(sheet.sheet_view.rightToLeft)
        self.assertEqual(
            rows[0],
            ("Month", "Company", "Product", "Provision", "Actual Warranty Cost", "Provision Left"),
        )
        self.assertEqual(
            rows[1:],
            [
                (
                    datetime.datetime(2024, 3, 1),
                    self.company.name,
                    self.heater.display_name,
                    60.0,
                    25.0,
                    35.0,
                )
            ],
        )

    def test_xlsx_export_for_persian_manager_by_jalali_month(self):
        response = self._download("p_xlsx_manager", "?date_from=2024-01-01")
        sheet, rows = self._sheet_rows(response)
        self.assertTrue(sheet.sheet_view.rightToLeft)
        heater_rows = [row for row in rows[1:] if row[2] == self.heater.display_name]
        self.assertEqual(
            [(row[0], row[3], row[4]) for row in heater_rows],
            [("1402/12", 40.0, 0.0), ("1403/01", 20.0, 25.0)],
        )
        # The 2023 sale is before the period.
        self.assertNotIn(self.split.display_name, [row[2] for row in rows[1:]])

    def test_xlsx_export_refused_without_rights(self):
        for login in ("p_xlsx_user", "p_xlsx_portal"):
            response = self._download(login)
            self.assertEqual(response.status_code, 404, login)
            self.assertNotIn("spreadsheetml", response.headers.get("Content-Type", ""), login)

    def test_export_button_points_at_the_selected_rows(self):
        rows = self.Report.search(
            [("product_id", "=", self.split.id), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(len(rows), 1)
        action = rows.action_export_xlsx()
        self.assertEqual(action["url"], f"{XLSX_URL}?ids={rows.id}")
        _sheet, lines = self._sheet_rows(self._download("p_xlsx_accountant", f"?ids={rows.id}"))
        self.assertEqual([line[2:4] for line in lines[1:]], [(self.split.display_name, 50.0)])
