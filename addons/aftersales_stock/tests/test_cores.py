"""Core obligations: opened by approved warranty parts, received by the warehouse into
the cores location, inspected, holding the fee out of settlement, charged when overdue
and given back when the core arrives late and is accepted."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import StockCase


@tagged("post_install", "-at_install")
class TestCores(StockCase):
    def _core_report(self, agent=None):
        report = self._approved_with_parts([(self.core_part, 1, {})], agent=agent)
        return report, report.aftersales_core_ids

    def test_core_opened_and_received(self):
        report, core = self._core_report()
        self.assertEqual(len(core), 1)
        self.assertEqual(core.state, "pending")
        self.assertEqual(
            (core.agent_id, core.request_id, core.product_id),
            (self.agent_a, report.request_id, self.core_part),
        )
        approved_day = fields.Date.context_today(core, report.approved_date)
        self.assertEqual(core.due_date, approved_day + timedelta(days=10))
        self.assertEqual(core.cost, 2000000)
        # The core is in the device's warranty history.
        self.assertEqual(core.device_lot_id, self.heater_lot)
        lot = [("lot_id", "=", self.heater_lot.id)]
        expected = (
            self.env["aftersales.request.line"].search_count(lot)
            + self.env["aftersales.work.report"].search_count(lot)
            + self.env["aftersales.work.report.part"].search_count(
                [("device_lot_id", "=", self.heater_lot.id)]
            )
            + 1
        )
        self.heater_card.invalidate_recordset(["history_count"])
        self.assertEqual(self.heater_card.history_count, expected)
        self.assertTrue(report.aftersales_cores_held)
        # Parts that need no core and paid work open none.
        paid = self._approved_with_parts([(self.core_part, 1, {})], report_type="paid_repair")
        self.assertFalse(paid.aftersales_core_ids)
        plain = self._approved_with_parts([(self.cons_part, 1, {})])
        self.assertFalse(plain.aftersales_core_ids)
        self.assertFalse(plain.aftersales_cores_held)
        # The agent ships, the keeper scans the label and receives it.
        core._declare_shipment("Tipax 123456")
        self.assertEqual(core.state, "shipped")
        wizard = (
            self.env["aftersales.core.receive"]
            .with_user(self.keeper)
            .create({"labels": f" {core.name.lower()}\n"})
        )
        wizard.action_receive()
        self.assertEqual(core.state, "received")
        move = core.receive_move_id
        self.assertEqual(move.state, "done")
        self.assertEqual(move.location_dest_id, self.cores_location)
        self.assertEqual(self._qty(self.core_part, self.cores_location), 1)
        self.assertFalse(move.stock_valuation_layer_ids)  # cores are not valued stock
        with self.assertRaisesRegex(UserError, "already received"):
            core.with_user(self.keeper).action_receive()
        self.assertEqual(
            self.env["stock.move"].search_count([("aftersales_core_id", "=", core.id)]), 1
        )
        self.assertTrue(report.aftersales_cores_held)
        core.with_user(self.keeper).action_inspect("accepted")
        self.assertEqual(core.state, "accepted")
        self.assertFalse(report.aftersales_cores_held)

    def test_refusals(self):
        _report, core = self._core_report()
        with self.assertRaisesRegex(ValidationError, "needs no core return"):
            self.env["aftersales.core"].create(
                {
                    "request_id": core.request_id.id,
                    "agent_id": self.agent_a.id,
                    "product_id": self.cons_part.id,
                    "due_date": fields.Date.today(),
                }
            )
        with self.assertRaises(AccessError):
            core.with_user(self.operator).action_receive()
        with self.assertRaisesRegex(UserError, "No core has the label"):
            self.env["aftersales.core.receive"].with_user(self.keeper).create(
                {"labels": "CORE9999999"}
            ).action_receive()
        with self.assertRaisesRegex(UserError, "not received and waiting for inspection"):
            core.with_user(self.keeper).action_inspect("accepted")
        core.with_user(self.keeper).action_receive()
        with self.assertRaisesRegex(UserError, "Say what is wrong"):
            core.with_user(self.keeper).action_inspect("damaged")
        with self.assertRaisesRegex(UserError, "Give the carrier"):
            core._declare_shipment("")

    def test_settlement_gate(self):
        held, core = self._core_report()
        free = self._approved_with_parts([(self.cons_part, 1, {})])
        settlement = self._settle()
        billed = settlement.move_ids.invoice_line_ids.aftersales_work_report_id
        self.assertIn(free, billed)
        self.assertNotIn(held, billed)
        self.assertFalse(held.is_settled)
        with self.assertRaisesRegex(UserError, "held until their defective cores"):
            self.Settlement._settle_selection(held)
        # A rejected core keeps the fee held.
        core.with_user(self.keeper).action_receive()
        core.with_user(self.keeper).action_inspect("wrong_part", "A thermostat came back")
        self.assertEqual(core.state, "rejected")
        self.assertTrue(held.aftersales_cores_held)
        with self.assertRaisesRegex(UserError, "Nothing to settle"):
            self._settle()
        # Charged to the agent at the part's cost: the fee is released.
        core.with_user(self.manager).action_charge()
        self.assertTrue(core.is_charged)
        self.assertEqual(core.charge_line_id.move_id.state, "posted")
        self.assertEqual(core.charge_line_id.price_subtotal, 2000000)
        self.assertFalse(held.aftersales_cores_held)
        settlement = self._settle()
        self.assertEqual(settlement.move_ids.invoice_line_ids.aftersales_work_report_id, held)
        self.assertTrue(held.is_settled)

    def test_overdue_charge_once_and_reversed_on_late_return(self):
        report, core = self._core_report()
        _report_b, core_b = self._core_report(agent=self.agent_b)
        core.due_date = fields.Date.today() - timedelta(days=3)
        Core = self.env["aftersales.core"]
        self.assertIn(core, Core.search([("is_overdue", "=", True)]))
        self.assertNotIn(core_b, Core.search([("is_overdue", "=", True)]))
        Core._cron_charge_overdue()
        self.assertTrue(core.is_charged)
        self.assertFalse(core_b.is_charged)
        invoice = core.charge_line_id.move_id
        self.assertEqual(
            (invoice.move_type, invoice.state, invoice.partner_id),
            ("out_invoice", "posted", self.agent_a),
        )
        receivable = invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        self.assertEqual(receivable.balance, 2000000)
        # Once only.
        Core._cron_charge_overdue()
        self.assertEqual(
            self.env["account.move.line"].search_count(
                [("move_id.partner_id", "=", self.agent_a.id), ("name", "ilike", core.name)]
            ),
            1,
        )
        self.assertFalse(report.aftersales_cores_held)
        # It arrives late and is accepted: a credit note gives the charge back.
        core.with_user(self.keeper).action_receive()
        self.assertEqual(core.days_late, 3)
        core.with_user(self.keeper).action_inspect("accepted")
        credit = core.reversal_line_id.move_id
        self.assertEqual((credit.move_type, credit.state), ("out_refund", "posted"))
        self.assertEqual(credit.amount_total, invoice.amount_total)
        self.assertFalse(core.is_charged)
        lines = (invoice | credit).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        self.assertEqual(sum(lines.mapped("balance")), 0)

    def test_technician_owes_cores(self):
        job = self._job(
            technician_id=self.technician.id, agent_id=False, service_type=self.type_warranty
        )
        self.env["aftersales.technician.job.part"].create(
            {"request_id": job.id, "product_id": self.core_part.id, "quantity": 1}
        )
        core = self.env["aftersales.core"].search([("request_id", "=", job.id)])
        self.assertEqual(core.technician_id, self.technician)
        self.assertFalse(core.agent_id)
        technician = self.env["aftersales.technician"].create({"user_id": self.technician.id})
        self.assertEqual(technician.cores_owed_count, 1)
        self.assertEqual(technician.cores_owed_value, 2000000)
        core.with_user(self.keeper).action_receive()
        technician.invalidate_recordset()
        self.assertEqual(technician.cores_owed_count, 0)
        # The technician sees their own cores only.
        self.assertEqual(self.env["aftersales.core"].with_user(self.technician).search([]), core)

    def test_agents_see_only_their_own(self):
        """Agent A's portal user reads A's cores, requests and consignment, never B's."""
        _report_a, core_a = self._core_report()
        _report_b, core_b = self._core_report(agent=self.agent_b)
        request_b = self._part_request("consignment", [(self.cons_part, 1)], agent=self.agent_b)
        request_b.with_user(self.manager).action_approve()
        self._validate(request_b.picking_ids)
        env_a = self.env(user=self.user_a)
        self.assertEqual(env_a["aftersales.core"].search([]), core_a)
        self.assertFalse(env_a["aftersales.part.request"].search([]))
        self.assertFalse(env_a["aftersales.consignment.item"].search([]))
        with self.assertRaises(AccessError):
            core_b.with_user(self.user_a).read(["name"])
        with self.assertRaises(AccessError):
            request_b.with_user(self.user_a).read(["name"])
        with self.assertRaises(AccessError):
            core_a.with_user(self.user_a).write({"due_date": fields.Date.today()})
        env_b = self.env(user=self.user_b)
        self.assertEqual(env_b["aftersales.core"].search([]), core_b)
        self.assertEqual(env_b["aftersales.consignment.item"].search([]).agent_id, self.agent_b)

    def test_in_house_job_takes_parts_from_workshop_stock(self):
        job = self._job(
            technician_id=self.technician.id, agent_id=False, service_type=self.type_paid
        )
        part = self.env["aftersales.technician.job.part"].create(
            {"request_id": job.id, "product_id": self.cons_part.id, "quantity": 2}
        )
        move = part.aftersales_move_ids
        self.assertEqual(move.state, "done")
        self.assertEqual(
            (move.location_id, move.location_dest_id),
            (self.parts_location, self.customers_location),
        )
        self.assertEqual(self._qty(self.cons_part, self.parts_location), 48)
        part.quantity = 3
        self.assertEqual(self._qty(self.cons_part, self.parts_location), 47)
        self.assertEqual(part.aftersales_move_ids.product_uom_qty, 3)
        part.unlink()
        self.assertEqual(self._qty(self.cons_part, self.parts_location), 50)
        # A paid in-house job opens no core obligation.
        self.assertFalse(self.env["aftersales.core"].search([("request_id", "=", job.id)]))
