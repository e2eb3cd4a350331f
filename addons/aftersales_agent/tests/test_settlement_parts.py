from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_settlement import SettlementCase


@tagged("post_install", "-at_install")
class TestSettlementParts(SettlementCase):
    """Parts an agent used from the company on paid work (paid repairs, periodic
    services) are sold to it in the settlement: one posted customer invoice per agent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.income_account = env["account.account"].create(
            {"name": "Parts sold to agents", "code": "PSA001", "account_type": "income"}
        )
        cls.parts_tax = env["account.tax"].create(
            {
                "name": "Parts VAT 10%",
                "amount": 10,
                "amount_type": "percent",
                "type_tax_use": "sale",
            }
        )
        for product, price in ((cls.part, 200000), (cls.serial_part, 1500000)):
            product.product_tmpl_id.write(
                {
                    "list_price": price,
                    "taxes_id": [Command.set(cls.parts_tax.ids)],
                    "property_account_income_id": cls.income_account.id,
                }
            )
        cls.sale_journal = env["account.journal"].search(
            [*env["account.journal"]._check_company_domain(cls.company), ("type", "=", "sale")],
            limit=1,
        )

    def _paid(self, agent=None, report_type="paid_repair", parts=(), void=()):
        """An approved report of paid work with ``parts``; the lines at the indexes in
        ``void`` voided by the manager before approval."""
        report = self._report(self._job(agent or self.agent_a), report_type, parts=parts)
        report.action_submit()
        for index in void:
            report.part_ids[index].with_user(self.manager).action_void("Not used on the job")
        report.with_user(self.manager).action_approve_unconfirmed("Photos checked")
        return report

    def _statement(self, agent):
        return (
            self.env["aftersales.agent.statement"]
            .with_user(self.settler)
            ._statement(agent, self.today - timedelta(days=1), self.today + timedelta(days=1))
        )

    def assertPartsLine(self, line, part):
        self.assertEqual(line.product_id, part.product_id)
        self.assertEqual(line.quantity, part.quantity)
        self.assertEqual(line.price_unit, part.product_id.lst_price)
        self.assertEqual(line.account_id, self.income_account)
        self.assertEqual(line.partner_id, part.report_id.agent_id)
        self.assertEqual(line.tax_ids, self.parts_tax)
        self.assertEqual(line.aftersales_work_report_id, part.report_id)
        self.assertIn(part.report_id.name, line.name)
        self.assertIn(part.report_id.request_id.name, line.name)
        self.assertEqual(part.invoice_line_id, line)

    def test_parts_of_paid_work_on_one_invoice_per_agent(self):
        paid_a = self._paid(
            parts=[(self.part, 2, {}), (self.serial_part, 1, {"part_serial": "CB-0001"})]
        )
        service_a = self._paid(report_type="periodic_service", parts=[(self.part, 1, {})])
        voided_a = self._paid(parts=[(self.part, 1, {}), (self.part, 5, {})], void=[1])
        warranty_a = self._approved(self.agent_a, parts=[(self.part, 3, {})])
        paid_b = self._paid(self.agent_b, parts=[(self.part, 3, {})])

        settlement = self._settle()
        invoices = settlement.parts_invoice_ids
        self.assertEqual(len(invoices), 2, "one invoice per agent")
        self.assertEqual(set(invoices.mapped("move_type")), {"out_invoice"})
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        self.assertEqual(invoices.journal_id, self.sale_journal)
        self.assertEqual(invoices.partner_id, self.agent_a | self.agent_b)
        invoice_a = invoices.filtered(lambda m: m.partner_id == self.agent_a)
        invoice_b = invoices.filtered(lambda m: m.partner_id == self.agent_b)

        sold_a = paid_a.part_ids | service_a.part_ids | voided_a.part_ids[0]
        lines_a = invoice_a.invoice_line_ids
        self.assertEqual(len(lines_a), 4)
        self.assertEqual(lines_a.aftersales_work_report_id, paid_a | service_a | voided_a)
        for part in sold_a:
            self.assertPartsLine(part.invoice_line_id, part)
        self.assertEqual(sold_a.invoice_line_id, lines_a)
        # 2 x 200,000 + 1,500,000 + 200,000 + 200,000, and 10% tax.
        self.assertEqual(invoice_a.amount_untaxed, 2300000)
        self.assertEqual(invoice_a.amount_tax, 230000)
        self.assertEqual(invoice_a.amount_total, 2530000)
        receivable = invoice_a.line_ids.filtered(lambda line: line.display_type == "payment_term")
        self.assertEqual(receivable.account_id, self.agent_a.property_account_receivable_id)
        self.assertEqual(receivable.partner_id, self.agent_a)
        self.assertEqual(receivable.aftersales_agent_entry_type, "parts")
        self.assertEqual(sum(receivable.mapped("balance")), 2530000)
        self.assertBalanced(invoice_a)

        self.assertPartsLine(invoice_b.invoice_line_ids, paid_b.part_ids)
        self.assertEqual(invoice_b.amount_total, 660000)
        self.assertBalanced(invoice_b)

        # Left out: the voided line, the parts of warranty work (the company's cost).
        self.assertFalse(voided_a.part_ids[1].invoice_line_id)
        self.assertFalse(warranty_a.part_ids.invoice_line_id)
        self.assertNotIn(warranty_a, invoices.line_ids.aftersales_work_report_id)

        # The fees are billed as before, in vendor bills apart from the invoices.
        self.assertEqual(set(settlement.move_ids.mapped("move_type")), {"in_invoice"})
        # The periodic service has no fee (no rate): its parts only, no bill line.
        self.assertEqual(service_a.fee_total, 0)
        self.assertEqual(
            settlement.move_ids.invoice_line_ids.aftersales_work_report_id,
            paid_a | voided_a | warranty_a | paid_b,
        )
        self.assertEqual(settlement.report_count, 4)
        self.assertFalse(settlement.move_ids & invoices)
        self.assertTrue(
            all((paid_a | service_a | voided_a | warranty_a | paid_b).mapped("is_settled"))
        )
        self.assertEqual(settlement.parts_invoice_count, 2)
        self.assertEqual(settlement.parts_amount, 2530000 + 660000)
        action = settlement.action_view_parts_invoices()
        self.assertEqual(self.env["account.move"].search(action["domain"]), invoices)

        # A second settlement never sells the same parts again: only the new ones.
        with self.assertRaisesRegex(UserError, "Nothing to settle"):
            self._settle()
        later = self._paid(parts=[(self.part, 1, {})])
        again = self._settle()
        self.assertEqual(again.parts_invoice_ids.invoice_line_ids.aftersales_work_report_id, later)
        self.assertPartsLine(later.part_ids.invoice_line_id, later.part_ids)
        self.assertEqual(sold_a.invoice_line_id, lines_a)
        all_lines = self.env["account.move.line"].search(
            [("move_id.move_type", "=", "out_invoice"), ("product_id", "!=", False)]
        )
        self.assertEqual(len(all_lines.filtered(lambda line: line.move_id in invoices)), 5)

    def test_agent_with_only_parts_gets_an_invoice_and_no_bill(self):
        # No rate for periodic services on the rate card, no travel: no fee.
        service = self._paid(self.agent_b, "periodic_service", parts=[(self.part, 2, {})])
        self.assertEqual(service.fee_total, 0)
        settlement = self._settle(self.agent_b)
        self.assertFalse(settlement.move_ids, "no bill of nothing")
        self.assertEqual(
            self._agent_moves().filtered(lambda m: m.move_type == "in_invoice"),
            self.env["account.move"],
        )
        invoice = settlement.parts_invoice_ids
        self.assertEqual(invoice.partner_id, self.agent_b)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_total, 440000)
        self.assertEqual(settlement.amount_total, 0)
        self.assertTrue(service.is_settled, "nothing left to pay, its parts are sold")
        with self.assertRaisesRegex(UserError, "Nothing to settle"):
            self._settle(self.agent_b)

    def test_parts_of_a_report_settled_before_are_sold_later(self):
        """Parts not sold yet (their invoice cancelled, or a report fee-settled before
        parts were sold) go on the next settlement, whatever the report's fee and period."""
        report = self._paid(parts=[(self.part, 2, {})])
        first = self._settle()
        old_invoice = first.parts_invoice_ids
        self.assertTrue(report.is_settled)
        old_invoice.button_draft()
        old_invoice.button_cancel()
        self.assertEqual(old_invoice.state, "cancel")
        # Approved a month ago: before the period settled next.
        report.sudo().approved_date = fields.Datetime.now() - timedelta(days=40)
        settlement = self._settle()
        self.assertFalse(settlement.move_ids, "the fee is settled: no bill")
        new_line = report.part_ids.invoice_line_id
        self.assertEqual(new_line.move_id, settlement.parts_invoice_ids)
        self.assertEqual(new_line.move_id.state, "posted")
        self.assertEqual(new_line.quantity, 2)
        self.assertTrue(report.is_settled)
        # Not after the period: a settlement of last year leaves today's parts.
        later = self._paid(parts=[(self.part, 1, {})])
        with self.assertRaisesRegex(UserError, "Nothing to settle"):
            self._settle(
                date_from=self.today - timedelta(days=400),
                date_to=self.today - timedelta(days=300),
            )
        self.assertFalse(later.part_ids.invoice_line_id)

    def test_statement_shows_parts_bought(self):
        report = self._paid(parts=[(self.part, 2, {})])
        self._settle()
        statement = self._statement(self.agent_a)
        totals = {total["entry_type"]: total["amount"] for total in statement["totals"]}
        self.assertEqual(totals, {"service_fee": report.fee_total, "parts": -440000})
        [parts_row] = [row for row in statement["lines"] if row["entry_type"] == "parts"]
        self.assertEqual(parts_row["amount"], -440000)
        self.assertEqual(parts_row["entry_type_label"], "Parts Bought")
        self.assertEqual(parts_row["debit"], 440000)
        self.assertEqual(statement["closing_balance"], 300000 - 440000)
        self.assertEqual(statement["closing_balance"], report.fee_total - 440000)

    def test_no_sales_journal_is_named_and_nothing_posted(self):
        report = self._paid(parts=[(self.part, 1, {})])
        self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "=", "sale")]
        ).active = False
        with self.assertRaisesRegex(UserError, "No sales journal in"):
            self._settle()
        self.assertFalse(self._agent_moves())
        self.assertFalse(report.is_settled)
        self.assertFalse(report.part_ids.invoice_line_id)

    def test_selected_reports_sell_their_parts_only(self):
        selected = self._paid(parts=[(self.part, 1, {})])
        other = self._paid(parts=[(self.part, 4, {})])
        action = self.Settlement._settle_selection(selected)
        settlement = self.Settlement.browse(action["res_id"])
        self.assertEqual(
            settlement.parts_invoice_ids.invoice_line_ids.aftersales_work_report_id, selected
        )
        self.assertTrue(selected.part_ids.invoice_line_id)
        self.assertFalse(other.part_ids.invoice_line_id)
