import base64
import io
from datetime import timedelta

import openpyxl

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import StockCase


@tagged("post_install", "-at_install")
class TestStockReports(StockCase):
    """The parts reports a purchasing manager reads, on data made by the real flows:
    consignment issued to the agents, work reports approved (parts consumed, cores
    opened), cores received late and inspected, an installation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.period = [
            ("date", ">=", cls.today - timedelta(days=1)),
            ("date", "<=", cls.today + timedelta(days=1)),
        ]
        cls.agents = [("agent_id", "in", (cls.agent_a | cls.agent_b).ids)]

    def _consign(self, agent, quantity):
        request = self._part_request("consignment", [(self.cons_part, quantity)], agent=agent)
        request.with_user(self.manager).action_approve()
        self._validate(request.picking_ids)
        return request

    def _data(self):
        """Agent A: 6 thermocouples consigned, 4 used on two warranty repairs, two burner
        cores (one back on time and accepted, one owed 5 days past due); agent B: 2
        thermocouples consigned (past settle-by), one burner core back 3 days late and
        rejected; a report of agent A with 5 thermocouples still waiting for approval."""
        self._consign(self.agent_a, 6)
        self._consign(self.agent_b, 2)
        repair_1 = self._approved_with_parts(
            [(self.cons_part, 3, {}), (self.core_part, 1, {})], agent=self.agent_a
        )
        repair_2 = self._approved_with_parts(
            [(self.cons_part, 1, {}), (self.core_part, 1, {})], agent=self.agent_a
        )
        repair_b = self._approved_with_parts([(self.core_part, 1, {})], agent=self.agent_b)
        waiting = self._report(self._job(self.agent_a), parts=[(self.cons_part, 5, {})])
        waiting.action_submit()

        core_a1 = repair_1.aftersales_core_ids
        core_a2 = repair_2.aftersales_core_ids
        core_b = repair_b.aftersales_core_ids
        self.assertEqual(len(core_a1 | core_a2 | core_b), 3)
        core_a1.with_user(self.keeper).action_receive()
        core_a1.with_user(self.keeper).action_inspect("accepted")
        # Due dates moved back: one core owed past due, one received late.
        core_a2.sudo().due_date = self.today - timedelta(days=5)
        core_b.sudo().due_date = self.today - timedelta(days=3)
        core_b.with_user(self.keeper).action_receive()
        core_b.with_user(self.keeper).action_inspect("damaged", "Cracked housing")
        item_b = self.env["aftersales.consignment.item"].search(
            [("agent_id", "=", self.agent_b.id)]
        )
        self.assertEqual(item_b.quantity_open, 2)
        item_b.sudo().settle_by = self.today - timedelta(days=1)
        return repair_1, repair_2, repair_b

    def _export(self, user, report, agent=None, lang="en_US", date_to=None):
        """Export through the wizard's form as ``user``: the downloaded workbook."""
        Wizard = self.env["aftersales.stock.report.wizard"].with_user(user)
        form = Form(Wizard.with_context(lang=lang))
        form.report = report
        if agent:
            form.agent_id = agent
        self.assertEqual(form.date_to - form.date_from, timedelta(days=30))  # the default
        if date_to:
            form.date_to = date_to
        wizard = form.save()
        action = wizard.with_context(lang=lang).action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        attachment = self.env["ir.attachment"].with_user(user).browse(attachment_id)
        self.assertTrue(attachment.name.endswith(".xlsx"))
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        return book.active

    def _table(self, sheet, header):
        """Rows under the header row whose first cell is ``header``, as lists."""
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        start = next(i for i, row in enumerate(rows) if row[0] == header)
        return rows[start], rows[start + 1 :]

    # ------------------------------------------------------------------

    def test_most_used_parts(self):
        repair_1, _repair_2, _repair_b = self._data()
        Usage = self.env["aftersales.report.part.usage"].with_user(self.keeper)
        # The pivot's default: parts by quantity, most used first.
        groups = Usage._read_group(
            self.period + self.agents,
            ["product_id"],
            ["quantity:sum", "cost:sum", "report_id:count_distinct"],
            order="quantity:sum desc",
        )
        # The waiting report's 5 thermocouples are not used yet; costs are the stock
        # valuation of the consumption moves (100,000 and 2,000,000 a piece).
        self.assertEqual(
            groups,
            [(self.cons_part, 4.0, 400000.0, 2), (self.core_part, 3.0, 6000000.0, 3)],
        )
        per_agent = Usage._read_group(
            self.period + self.agents, ["agent_id", "product_id"], ["quantity:sum"]
        )
        self.assertEqual(
            sorted((agent.name, part.name, qty) for agent, part, qty in per_agent),
            [
                ("Agent A Tehran", "S Burner", 2.0),
                ("Agent A Tehran", "S Thermocouple", 4.0),
                ("Agent B Isfahan", "S Burner", 1.0),
            ],
        )
        lines = Usage.search([("report_id", "=", repair_1.id)])
        self.assertEqual(lines.device_product_id, self.heater)
        self.assertEqual(set(lines.mapped("report_type")), {"warranty_repair"})
        self.assertEqual(set(lines.mapped("part_code")), {"HTR-IGN-002", "HTR-BRN-001"})

        sheet = self._export(self.keeper, "part_usage", agent=self.agent_a)
        self.assertFalse(sheet.sheet_view.rightToLeft)
        header, rows = self._table(sheet, "Part Code")
        self.assertEqual(header[:4], ["Part Code", "Part", "Part Category", "Quantity Used"])
        self.assertEqual(rows[0][:2], ["HTR-IGN-002", self.cons_part.display_name])
        self.assertEqual(rows[0][3:], [4, 2, 400000])
        self.assertEqual(rows[1][3:], [2, 2, 4000000])
        self.assertEqual(rows[2][0], "Total")
        self.assertEqual(rows[2][3], 6)
        self.assertIn("Agent A Tehran", [row[0] for row in sheet.iter_rows(values_only=True)][2])

    def test_core_returns_per_agent(self):
        self._data()
        Cores = self.env["aftersales.report.core.return"].with_user(self.manager)
        groups = Cores._read_group(
            [("product_id", "=", self.core_part.id)],
            ["agent_id"],
            [
                "core_count:sum",
                "returned_count:sum",
                "accepted_count:sum",
                "rejected_count:sum",
                "owed_count:sum",
                "late_count:sum",
                "days_late:avg",
            ],
        )
        figures = {agent: rest for agent, *rest in groups}
        # agent A: due 2, returned 1 (accepted, on time), 1 owed 5 days past due.
        self.assertEqual(figures[self.agent_a], [2, 1, 1, 0, 1, 1, 5.0])
        # agent B: due 1, back 3 days late and rejected.
        self.assertEqual(figures[self.agent_b], [1, 1, 0, 1, 0, 1, 3.0])

        # By due date: agent A's core back on time is due in 10 days.
        sheet = self._export(self.manager, "core_return", date_to=self.today + timedelta(days=10))
        header, rows = self._table(sheet, "Service Agent")
        self.assertEqual(header[-2:], ["Average Days Late", "Return Rate"])
        by_agent = {
            row[0]: row[1:] for row in rows if row[0] in ("Agent A Tehran", "Agent B Isfahan")
        }
        self.assertEqual(by_agent["Agent A Tehran"], [2, 1, 1, 0, 1, 1, 5, 0.5])
        self.assertEqual(by_agent["Agent B Isfahan"], [1, 1, 0, 1, 0, 1, 3, 1])
        # The default period (the last 30 days) leaves out the core due in 10 days.
        sheet = self._export(self.manager, "core_return", agent=self.agent_a)
        _header, rows = self._table(sheet, "Service Agent")
        self.assertEqual(rows[0], ["Agent A Tehran", 1, 0, 0, 0, 1, 1, 5, 0])

    def test_consignment_stock_per_agent(self):
        self._data()
        Stock = self.env["aftersales.report.consignment.stock"].with_user(self.keeper)
        groups = Stock._read_group(
            [("product_id", "=", self.cons_part.id)],
            ["agent_id", "location_id"],
            ["quantity:sum", "value:sum", "open_quantity:sum", "overdue_quantity:sum"],
        )
        figures = {agent: rest for agent, *rest in groups}
        # A: 6 lent, 4 used on approved reports: 2 at 100,000; B: 2, past settle-by.
        self.assertEqual(figures[self.agent_a], [self.loc_a, 2.0, 200000.0, 2.0, 0.0])
        self.assertEqual(figures[self.agent_b], [self.loc_b, 2.0, 200000.0, 2.0, 2.0])
        # The on-hand figure is the real quants of the consignment locations.
        self.assertEqual(self._qty(self.cons_part, self.loc_a), 2)

        sheet = self._export(self.keeper, "consignment_stock", agent=self.agent_b)
        header, rows = self._table(sheet, "Service Agent")
        self.assertEqual(header[3:], ["On Hand", "Value", "Open Consignment", "Overdue"])
        self.assertEqual(
            [row for row in rows if row[2] == self.cons_part.display_name],
            [["Agent B Isfahan", "HTR-IGN-002", self.cons_part.display_name, 2, 200000, 2, 2]],
        )

    def test_installations_and_repairs_per_product(self):
        self._data()
        install = self._approved(self.agent_a, "installation")
        device = install.product_id
        Ratio = self.env["aftersales.report.install.repair"].with_user(self.manager)
        groups = Ratio._read_group(
            [("product_id", "in", (self.heater | device).ids)],
            ["product_id"],
            ["installed:sum", "repaired:sum", "card_count:sum"],
        )
        figures = {product: rest for product, *rest in groups}
        started = self.env["aftersales.warranty.card"].search_count(
            [("product_id", "=", device.id), ("start_date", "!=", False)]
        )
        self.assertEqual(figures[device][:2], [1, 0])
        self.assertEqual(figures[device][2], started)
        self.assertEqual(figures[self.heater][:2], [0, 3])

        # Persian reader: a right-to-left sheet, the period in Jalali.
        self.env["res.lang"]._activate_lang("fa_IR")
        sheet = self._export(self.manager, "install_repair", lang="fa_IR")
        self.assertTrue(sheet.sheet_view.rightToLeft)
        cells = [row[0] for row in sheet.iter_rows(values_only=True)]
        self.assertTrue(any("۱۴" in str(cell) for cell in cells[1:3]), cells[:3])
        rows = {row[0]: row for row in sheet.iter_rows(values_only=True)}
        heater = rows[self.heater.with_context(lang="fa_IR").display_name]
        self.assertEqual((heater[1], heater[3]), (0, 3))
        self.assertIsNone(heater[4])  # no installation: no rate

    def test_access_and_bad_period(self):
        self._data()
        for model in (
            "aftersales.report.part.usage",
            "aftersales.report.install.repair",
            "aftersales.report.core.return",
            "aftersales.report.consignment.stock",
        ):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.user_a).search_count([])
        wizard = (
            self.env["aftersales.stock.report.wizard"]
            .with_user(self.keeper)
            .create(
                {
                    "report": "part_usage",
                    "date_from": self.today,
                    "date_to": self.today - timedelta(days=1),
                }
            )
        )
        with self.assertRaisesRegex(UserError, "ends before it starts"):
            wizard.action_export_xlsx()
        self.assertFalse(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", wizard._name), ("res_id", "=", wizard.id)]
            )
        )
