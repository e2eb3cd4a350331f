"""R-WAR-9: goods sold without after-sales service say so on the sale documents and warn
the seller."""

import lxml.html

from odoo import Command
from odoo.addons.aftersales_base.tests.test_report_pdf import ReportPdfCase
from odoo.tests import Form, TransactionCase, tagged

STATEMENT = "Sold without after-sales service: no warranty and no after-sales service."
ORDER_REPORT = "sale.action_report_saleorder"
INVOICE_REPORT = "account.account_invoices"


class NoServiceCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env["res.lang"]._activate_lang("en_US")
        Product = cls.env["product.product"]
        cls.bare = Product.create(
            {"name": "NS Bare Fan", "aftersales_no_service": True, "list_price": 10}
        )
        cls.serviced = Product.create({"name": "NS Serviced Fan", "list_price": 20})
        cls.customer = cls.env["res.partner"].create({"name": "NS Customer", "lang": "en_US"})

    @classmethod
    def _order(cls, *products):
        return cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 1})
                    for product in products
                ],
            }
        )

    @classmethod
    def _invoice(cls, *products):
        return cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_line_ids": [
                    Command.create({"product_id": product.id, "quantity": 1, "price_unit": 10})
                    for product in products
                ],
            }
        )

    def _html(self, report_ref, records):
        html, _report_type = self.env["ir.actions.report"]._render_qweb_html(
            report_ref, records.ids
        )
        return lxml.html.fromstring(html)

    def _statement_rows(self, root):
        return root.xpath("//tr[hasclass('o_aftersales_no_service')]")

    def _assert_statement_under(self, root, product):
        """One statement, in the row right after the line of ``product``."""
        [row] = self._statement_rows(root)
        self.assertEqual(" ".join(row.text_content().split()), STATEMENT)
        line_row = row.getprevious()
        self.assertIn(product.name, line_row.text_content())


@tagged("post_install", "-at_install")
class TestNoServiceDocuments(NoServiceCase):
    def test_sale_order_states_no_service_under_its_line(self):
        order = self._order(self.serviced, self.bare)
        self._assert_statement_under(self._html(ORDER_REPORT, order), self.bare)
        # Quotation and order print the same document.
        order.action_confirm()
        self._assert_statement_under(self._html(ORDER_REPORT, order), self.bare)

    def test_sale_order_without_such_product_has_no_statement(self):
        root = self._html(ORDER_REPORT, self._order(self.serviced))
        self.assertFalse(self._statement_rows(root))
        self.assertNotIn(STATEMENT, root.text_content())

    def test_invoice_states_no_service_under_its_line(self):
        invoice = self._invoice(self.bare, self.serviced)
        self._assert_statement_under(self._html(INVOICE_REPORT, invoice), self.bare)

    def test_invoice_without_such_product_has_no_statement(self):
        root = self._html(INVOICE_REPORT, self._invoice(self.serviced))
        self.assertFalse(self._statement_rows(root))
        self.assertNotIn(STATEMENT, root.text_content())

    def test_selling_it_warns_the_seller(self):
        with Form(self.env["sale.order"]) as order:
            order.partner_id = self.customer
            with (
                self.assertLogs("odoo.tests.form.onchange", level="WARNING") as logs,
                order.order_line.new() as line,
            ):
                line.product_id = self.bare
            self.assertIn("NS Bare Fan is sold without after-sales service", logs.output[0])
            with (
                self.assertNoLogs("odoo.tests.form.onchange", level="WARNING"),
                order.order_line.new() as line,
            ):
                line.product_id = self.serviced
        result = self.env["sale.order.line"].new({"product_id": self.bare.id})
        warning = result._onchange_product_id_aftersales_no_service()["warning"]
        self.assertEqual(warning["title"], "Sold without after-sales service")


@tagged("post_install", "-at_install")
class TestNoServicePdf(NoServiceCase, ReportPdfCase):
    def test_statement_printed_on_order_and_invoice_pdf(self):
        for report_ref, with_bare, without in (
            (ORDER_REPORT, self._order(self.serviced, self.bare), self._order(self.serviced)),
            (
                INVOICE_REPORT,
                self._invoice(self.serviced, self.bare),
                self._invoice(self.serviced),
            ),
        ):
            pdf = self.print_pdf(report_ref, with_bare)
            self.assertIn(STATEMENT, self.pdf_text(pdf))
            self.assertNotIn(STATEMENT, self.pdf_text(self.print_pdf(report_ref, without)))
