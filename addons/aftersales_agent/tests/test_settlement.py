import threading
from datetime import timedelta

import psycopg2

from odoo import Command, fields
from odoo.addons.aftersales_warranty.tests.common import TwoTransactionsCase
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .. import tools as atools
from ..models.aftersales_agent_settlement import _previous_jalali_month
from .common import AgentCase


class SettlementCase(AgentCase):
    """A purchase journal and an expense account for agent fees, an analytic account on
    the heater category, and a user who settles (after-sales manager with billing)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.fee_account = env["account.account"].create(
            {"name": "Agent fees", "code": "AGF001", "account_type": "expense"}
        )
        cls.journal = env["account.journal"].create(
            {"name": "Agent Bills", "code": "AGB", "type": "purchase"}
        )
        cls.company.write(
            {
                "aftersales_agent_journal_id": cls.journal.id,
                "aftersales_agent_fee_account_id": cls.fee_account.id,
            }
        )
        plan = env["account.analytic.plan"].create({"name": "After-sales lines"})
        cls.heater_analytic = env["account.analytic.account"].create(
            {"name": "Heaters after-sales", "plan_id": plan.id}
        )
        cls.categ_heaters.aftersales_analytic_account_id = cls.heater_analytic
        cls.settler = cls._user(
            "wr_settler", "aftersales_base.group_aftersales_manager,account.group_account_invoice"
        )
        cls.today = fields.Date.today()
        cls.Settlement = env["aftersales.agent.settlement"].with_user(cls.settler)

    def _approved(self, agent=None, report_type="warranty_repair", **values):
        if report_type == "installation":
            [lot] = self._lots(
                self.air_conditioner, f"AGAC-{len(self.env['stock.lot'].search([]))}"
            )
            self._issue(lot, partner=self.customer)
            job = self._job(agent or self.agent_a, service_type=self.type_install, lot=lot)
        else:
            job = self._job(agent or self.agent_a)
        report = self._report(job, report_type=report_type, **values)
        report.action_submit()
        report.with_user(self.manager).action_approve_unconfirmed("Photos checked")
        return report

    def _settle(self, agents=None, date_from=None, date_to=None):
        settlement = self.Settlement.create(
            {
                "period_type": "range",
                "date_from": date_from or self.today - timedelta(days=1),
                "date_to": date_to or self.today + timedelta(days=1),
                "agent_ids": [Command.set((agents or self.agent_a.browse()).ids)],
            }
        )
        settlement.action_settle()
        return settlement

    def _agent_moves(self):
        return self.env["account.move"].search(
            [("partner_id", "in", (self.agent_a | self.agent_b).ids)]
        )

    def assertBalanced(self, move):
        self.assertAlmostEqual(
            sum(move.line_ids.mapped("debit")), sum(move.line_ids.mapped("credit"))
        )
        self.assertAlmostEqual(sum(move.line_ids.mapped("balance")), 0)


@tagged("post_install", "-at_install")
class TestSettlement(SettlementCase):
    def test_one_bill_per_agent_a_line_per_report(self):
        repair_a = self._approved(self.agent_a, travel="in_city")
        install_a = self._approved(self.agent_a, "installation")
        paid_a = self._approved(self.agent_a, "paid_repair")
        repair_b = self._approved(self.agent_b)
        rejected = self._report(self._job(self.agent_a))
        rejected.action_submit()
        rejected.with_user(self.manager).action_reject("No photos")
        waiting = self._report(self._job(self.agent_a))
        waiting.action_submit()

        settlement = self._settle()
        self.assertEqual(settlement.state, "done")
        moves = settlement.move_ids
        self.assertEqual(moves, self._agent_moves())
        self.assertEqual(len(moves), 2, "one bill per agent")
        self.assertEqual(set(moves.mapped("move_type")), {"in_invoice"})
        self.assertEqual(set(moves.mapped("state")), {"posted"})
        self.assertEqual(moves.journal_id, self.journal)
        bill_a = moves.filtered(lambda m: m.partner_id == self.agent_a)
        bill_b = moves.filtered(lambda m: m.partner_id == self.agent_b)

        lines = bill_a.invoice_line_ids
        self.assertEqual(lines.aftersales_work_report_id, repair_a | install_a | paid_a)
        self.assertEqual(lines.account_id, self.fee_account)
        by_report = {line.aftersales_work_report_id: line for line in lines}
        self.assertEqual(by_report[repair_a].balance, 900000)  # 800,000 rate + 100,000 travel
        self.assertEqual(by_report[install_a].balance, 500000)
        self.assertEqual(by_report[paid_a].balance, 300000)
        self.assertEqual(by_report[repair_a].aftersales_agent_entry_type, "warranty_fee")
        self.assertEqual(by_report[install_a].aftersales_agent_entry_type, "installation_fee")
        self.assertEqual(by_report[paid_a].aftersales_agent_entry_type, "service_fee")
        self.assertEqual(by_report[repair_a].aftersales_fee_amount, 900000)
        # Analytic by the device's category (the heater category has an account).
        self.assertEqual(
            by_report[repair_a].analytic_distribution, {str(self.heater_analytic.id): 100}
        )
        self.assertFalse(by_report[install_a].analytic_distribution)  # category without one
        # Both repairs are on the heater: their lines (only) carry the heater account.
        analytic = bill_a.line_ids.analytic_line_ids
        self.assertEqual(analytic.move_line_id, by_report[repair_a] | by_report[paid_a])
        self.assertEqual(sorted(analytic.mapped("amount")), [-900000, -300000])
        self.assertEqual(
            analytic[self.heater_analytic.plan_id._column_name()], self.heater_analytic
        )
        payable = bill_a.line_ids.filtered(lambda line: line.display_type == "payment_term")
        self.assertEqual(payable.account_id, self.agent_a.property_account_payable_id)
        self.assertEqual(payable.partner_id, self.agent_a)
        self.assertEqual(payable.balance, -1700000)
        self.assertEqual(bill_a.amount_total, 1700000)
        self.assertBalanced(bill_a)
        self.assertEqual(bill_b.invoice_line_ids.aftersales_work_report_id, repair_b)
        self.assertBalanced(bill_b)
        self.assertEqual(settlement.amount_total, 1700000 + repair_b.fee_total)
        self.assertEqual(settlement.report_count, 4)

        self.assertTrue(all((repair_a | install_a | paid_a | repair_b).mapped("is_settled")))
        self.assertEqual(repair_a.settled_amount, 900000)
        self.assertFalse(rejected.settlement_line_ids or waiting.settlement_line_ids)

        # The same period again: nothing left, nothing made.
        with self.assertRaisesRegex(UserError, "Nothing to settle"):
            self._settle()
        self.assertEqual(self._agent_moves(), moves)
        # The waiting report, approved later, goes on a new bill of its own.
        waiting.with_user(self.manager).action_approve_unconfirmed("Late approval")
        again = self._settle()
        self.assertEqual(again.move_ids.invoice_line_ids.aftersales_work_report_id, waiting)

    def test_per_agent_and_the_agents_own_journal(self):
        journal_b = self.env["account.journal"].create(
            {"name": "Agent B Bills", "code": "AGBB", "type": "purchase"}
        )
        self.agent_b.aftersales_agent_journal_id = journal_b
        report_a = self._approved(self.agent_a)
        report_b = self._approved(self.agent_b)
        only_b = self._settle(self.agent_b)
        self.assertEqual(only_b.move_ids.partner_id, self.agent_b)
        self.assertEqual(only_b.move_ids.journal_id, journal_b)
        self.assertTrue(report_b.is_settled)
        self.assertFalse(report_a.is_settled)

    def test_period_outside_leaves_reports(self):
        report = self._approved(self.agent_a)
        with self.assertRaisesRegex(UserError, "Nothing to settle"):
            self._settle(
                date_from=self.today - timedelta(days=60), date_to=self.today - timedelta(days=30)
            )
        self.assertFalse(report.is_settled)

    def test_jalali_month_by_default(self):
        form = Form(self.Settlement)
        year, month = _previous_jalali_month(self.today)
        self.assertEqual(form.period_type, "month")
        self.assertEqual((form.jalali_year, form.jalali_month), (year, str(month)))
        first, last = atools.jalali_month_bounds(year, month)
        self.assertEqual((form.date_from, form.date_to), (first, last))
        form.jalali_year, form.jalali_month = 1403, "12"
        # Esfand 1403: 19 February to 20 March 2025 (1403 is a leap year: 30 days).
        self.assertEqual(str(form.date_from), "2025-02-19")
        self.assertEqual(str(form.date_to), "2025-03-20")

    def test_missing_journal_or_account_is_named(self):
        self._approved(self.agent_a)
        self.company.aftersales_agent_journal_id = False
        with self.assertRaisesRegex(UserError, "No settlement journal for agent Agent A Tehran"):
            self._settle()
        self.company.write(
            {
                "aftersales_agent_journal_id": self.journal.id,
                "aftersales_agent_fee_account_id": False,
            }
        )
        with self.assertRaisesRegex(UserError, "agent fee expense account"):
            self._settle()
        self.assertFalse(self._agent_moves())
        self.assertFalse(self.env["aftersales.agent.settlement"].search([("state", "=", "done")]))

    def test_who_may_settle(self):
        self._approved(self.agent_a)
        manager_only = self.Settlement.with_user(self.manager)
        with self.assertRaises(AccessError):
            manager_only.create(
                {"period_type": "range", "date_from": self.today, "date_to": self.today}
            ).action_settle()
        with self.assertRaises(AccessError):
            self.Settlement.with_user(self.operator).create(
                {"period_type": "range", "date_from": self.today, "date_to": self.today}
            )

    def test_selection_refuses_rejected_and_settled_reports(self):
        good = self._approved(self.agent_a)
        rejected = self._report(self._job(self.agent_a))
        rejected.action_submit()
        rejected.with_user(self.manager).action_reject("Duplicate")
        # The "Settle" action of the work report list, as the settling user runs it.
        action = self.env.ref("aftersales_agent.aftersales_work_report_action_settle")

        def settle(reports):
            return (
                action.with_user(self.settler)
                .with_context(active_model="aftersales.work.report", active_ids=reports.ids)
                .run()
            )

        with self.assertRaisesRegex(UserError, f"not approved: {rejected.name}"):
            settle(good | rejected)
        self.assertFalse(self._agent_moves())
        result = settle(good)
        settlement = self.Settlement.browse(result["res_id"])
        self.assertEqual(settlement.move_ids.invoice_line_ids.aftersales_work_report_id, good)
        self.assertEqual(settlement.report_ids, good)
        with self.assertRaisesRegex(UserError, f"{good.name} are already settled"):
            settle(good)
        self.assertEqual(self._agent_moves(), settlement.move_ids)

    def test_correction_after_settlement_then_credit_note(self):
        report = self._approved(self.agent_a, travel="in_city")
        first = self._settle().move_ids
        first_lines = [(line.account_id, line.balance) for line in first.line_ids]
        with self.assertRaises(AccessError):
            report.with_user(self.operator).action_correct_fee(50000, "Extra part fitted")
        with self.assertRaisesRegex(UserError, "reason"):
            report.with_user(self.manager).action_correct_fee(50000, " ")
        report.with_user(self.manager).action_correct_fee(50000, "Extra part fitted")
        self.assertEqual(report.fee_total, 950000)
        self.assertFalse(report.is_settled)

        # The difference only, on the next bill; the posted bill is untouched.
        second = self._settle().move_ids
        self.assertEqual(second.move_type, "in_invoice")
        [line] = second.invoice_line_ids
        self.assertEqual(
            (line.aftersales_work_report_id, line.balance, line.aftersales_fee_amount),
            (report, 50000, 50000),
        )
        self.assertIn("correction", line.name.lower())
        self.assertEqual([(line.account_id, line.balance) for line in first.line_ids], first_lines)
        self.assertEqual(first.state, "posted")
        self.assertTrue(report.is_settled)
        self.assertEqual(report.settled_amount, 950000)

        # Lowered below what was paid: the agent owes money, a credit note.
        report.with_user(self.manager).action_correct_fee(-300000, "Travel was not made")
        third = self._settle().move_ids
        self.assertEqual(third.move_type, "in_refund")
        self.assertEqual(third.state, "posted")
        [line] = third.invoice_line_ids
        self.assertEqual(line.aftersales_fee_amount, -350000)
        self.assertEqual(line.balance, -350000)  # the expense is credited
        payable = third.line_ids.filtered(lambda ln: ln.display_type == "payment_term")
        self.assertEqual((payable.partner_id, payable.balance), (self.agent_a, 350000))
        self.assertBalanced(third)
        self.assertEqual(report.settled_amount, 600000)
        self.assertTrue(report.is_settled)
        with self.assertRaisesRegex(UserError, "Nothing to settle"):
            self._settle()

    def test_chargeback_on_the_next_bill(self):
        first = self._approved(self.agent_a)
        self._settle()
        second = self._report(self._job(self.agent_a))
        second.action_submit()
        self.assertEqual(second.repeat_of_id, first)
        second.with_user(self.manager).action_charge_back("Same fault within a week")
        second.with_user(self.manager).action_approve_unconfirmed("Photos checked")
        third = self._approved(self.agent_a, "installation")

        bill = self._settle().move_ids
        self.assertEqual(bill.move_type, "in_invoice")
        lines = bill.invoice_line_ids
        chargeback = lines.filtered(lambda ln: ln.aftersales_agent_entry_type == "chargeback")
        self.assertEqual(chargeback.aftersales_work_report_id, first)
        self.assertEqual(chargeback.balance, -first.fee_total)
        self.assertEqual(chargeback.aftersales_fee_amount, 0)
        self.assertEqual(bill.amount_total, second.fee_total + third.fee_total - first.fee_total)
        self.assertBalanced(bill)
        self.assertTrue(first.chargeback_settled)
        self.assertTrue(first.is_settled, "a chargeback is no fee correction")
        with self.assertRaisesRegex(UserError, "Nothing to settle"):
            self._settle()

    def test_chargeback_alone_is_a_credit_note(self):
        first = self._approved(self.agent_a)
        self._settle()
        second = self._report(self._job(self.agent_a))
        second.action_submit()
        second.with_user(self.manager).action_charge_back("Same fault")
        refund = self._settle().move_ids
        self.assertEqual(refund.move_type, "in_refund")
        self.assertEqual(refund.amount_total, first.fee_total)
        payable = refund.line_ids.filtered(lambda ln: ln.display_type == "payment_term")
        self.assertEqual(payable.balance, first.fee_total)
        self.assertBalanced(refund)

    def test_bill_paid_with_a_standard_payment(self):
        self._approved(self.agent_a)
        bill = self._settle().move_ids
        bank = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.company.id)], limit=1
        )
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=bill.ids)
            .create({"journal_id": bank.id})
        )
        self.assertEqual(wizard.amount, bill.amount_total)
        wizard.action_create_payments()
        self.assertIn(bill.payment_state, ("paid", "in_payment"))
        self.assertFalse(bill.amount_residual)


@tagged("post_install", "-at_install")
class TestSettlementRace(TwoTransactionsCase):
    """Two users settle the same period at once: each report is settled once."""

    def _commit_fixtures(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            company = env.company
            account = env["account.account"].create(
                {"name": "Race agent fees", "code": "AGRACE", "account_type": "expense"}
            )
            journal = env["account.journal"].create(
                {"name": "Race Agent Bills", "code": "AGRC", "type": "purchase"}
            )
            saved = {
                "journal": company.aftersales_agent_journal_id.id,
                "account": company.aftersales_agent_fee_account_id.id,
            }
            agent = env["res.partner"].create(
                {
                    "name": "Race Agent",
                    "is_company": True,
                    "is_aftersales_agent": True,
                    "aftersales_agent_code": "AG-RACE",
                    "city": "Tehran",
                    "aftersales_agent_journal_id": journal.id,
                    "aftersales_travel_in_city": 250000,
                }
            )
            company.aftersales_agent_fee_account_id = account
            customer = env["res.partner"].create({"name": "Race customer", "mobile": "09120000001"})
            product = env["product.product"].create({"name": "Race kettle", "type": "consu"})
            job = env["aftersales.request"].create(
                {
                    "partner_id": customer.id,
                    "mobile": customer.mobile,
                    "service_type_id": env.ref("aftersales_base.service_type_prp").id,
                    "city": "Tehran",
                    "agent_id": agent.id,
                    "line_ids": [Command.create({"product_id": product.id})],
                }
            )
            report = env["aftersales.work.report"].create(
                {"request_id": job.id, "report_type": "paid_repair", "travel": "in_city"}
            )
            report.action_submit()
            report.action_approve_unconfirmed("Race")
            return {
                **saved,
                "new_account": account.id,
                "new_journal": journal.id,
                "agent": agent.id,
                "customer": customer.id,
                "job": job.id,
                "report": report.id,
                "product": product.id,
            }

    def _drop_fixtures(self, env, ids):
        settlements = env["aftersales.agent.settlement"].search([("agent_ids", "in", ids["agent"])])
        moves = settlements.move_ids | env["account.move"].search(
            [("partner_id", "=", ids["agent"])]
        )
        moves.button_draft()
        moves.with_context(force_delete=True).unlink()
        settlements.write({"state": "draft"})
        settlements.unlink()
        report = env["aftersales.work.report"].browse(ids["report"])
        report.write({"state": "draft"})
        report.unlink()
        env["aftersales.request"].browse(ids["job"]).unlink()
        product = env["product.product"].browse(ids["product"])
        template = product.product_tmpl_id
        product.unlink()
        template.unlink()
        env.company.write(
            {
                "aftersales_agent_journal_id": ids["journal"],
                "aftersales_agent_fee_account_id": ids["account"],
            }
        )
        env["res.partner"].browse([ids["agent"], ids["customer"]]).unlink()
        env["account.journal"].browse(ids["new_journal"]).unlink()
        env["account.account"].browse(ids["new_account"]).unlink()

    def _settle(self, env, agent_id):
        today = fields.Date.today()
        settlement = env["aftersales.agent.settlement"].create(
            {
                "period_type": "range",
                "date_from": today - timedelta(days=1),
                "date_to": today + timedelta(days=1),
                "agent_ids": [Command.set([agent_id])],
            }
        )
        settlement.action_settle()
        return settlement

    def _in_thread(self, cr, func):
        outcome = {}

        def run():
            try:
                outcome["result"] = func()
            except Exception as exc:
                outcome["result"] = exc
            finally:
                cr.rollback()

        thread = threading.Thread(target=run)
        thread.start()
        thread.join(timeout=60)
        self.assertFalse(thread.is_alive())
        return outcome.get("result")

    def test_two_users_settle_the_same_reports(self):
        ids = self._commit_fixtures()
        try:
            with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
                env_a, env_b = self._env(cr_a), self._env(cr_b)
                settlement_a = self._settle(env_a, ids["agent"])
                self.assertEqual(len(settlement_a.move_ids), 1)
                # B, while A's transaction holds the reports: refused at once.
                outcome = self._in_thread(cr_b, lambda: self._settle(env_b, ids["agent"]))
                self.assertIsInstance(outcome, UserError)
                self.assertIn("Another settlement", str(outcome))
                # B read before A committed and locks after: PostgreSQL refuses B's stale
                # view (Odoo retries such a request; the retry finds nothing to settle).
                env_b["aftersales.work.report"].browse(ids["report"]).mapped("is_settled")
                cr_a.commit()
                with mute_logger("odoo.sql_db"):
                    outcome = self._in_thread(cr_b, lambda: self._settle(env_b, ids["agent"]))
                self.assertIsInstance(outcome, psycopg2.errors.SerializationFailure)
                # A new transaction of B: nothing left.
                env_b.invalidate_all()
                outcome = self._in_thread(cr_b, lambda: self._settle(env_b, ids["agent"]))
                self.assertIsInstance(outcome, UserError)
                self.assertIn("Nothing to settle", str(outcome))
            with self.registry.cursor() as cr:
                env = self._env(cr)
                lines = env["account.move.line"].search(
                    [("aftersales_work_report_id", "=", ids["report"])]
                )
                self.assertEqual(len(lines), 1, "the report is settled once")
                self.assertEqual(lines.move_id.state, "posted")
                self.assertEqual(lines.balance, 250000)  # no rate card: the travel allowance
        finally:
            with self.registry.cursor() as cr:
                self._drop_fixtures(self._env(cr), ids)


@tagged("post_install", "-at_install")
class TestSettlementInStatement(SettlementCase):
    def test_statement_types_the_fees_of_a_settlement_bill(self):
        """A settlement bill has one payable line; the agent's statement still shows its
        installation fees, warranty fees and chargebacks apart, then the payment."""
        first = self._approved(self.agent_a)
        self._settle()
        repeat = self._report(self._job(self.agent_a))
        repeat.action_submit()
        repeat.with_user(self.manager).action_charge_back("Same fault within a week")
        repeat.with_user(self.manager).action_approve_unconfirmed("Photos checked")
        install = self._approved(self.agent_a, "installation")
        bill = self._settle().move_ids
        statement = (
            self.env["aftersales.agent.statement"]
            .with_user(self.settler)
            ._statement(
                self.agent_a, self.today - timedelta(days=1), self.today + timedelta(days=1)
            )
        )
        totals = {total["entry_type"]: total["amount"] for total in statement["totals"]}
        self.assertEqual(
            totals,
            {
                "installation_fee": install.fee_total,
                "warranty_fee": first.fee_total + repeat.fee_total,
                "chargeback": -first.fee_total,
            },
        )
        self.assertEqual(statement["closing_balance"], install.fee_total + repeat.fee_total)
        self.assertEqual(
            statement["closing_balance"] - statement["opening_balance"],
            sum(self._agent_moves().mapped("amount_total_signed")) * -1,
        )
        self.assertEqual(len(bill), 1)
