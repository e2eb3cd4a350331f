"""In-house technicians (R-AGT-7): commissions posted to a technician payable, cash they
collect posted to a technician receivable, both per technician, read back from the
journal items against figures computed by hand."""

from datetime import date, datetime

from psycopg2 import errors

from odoo import Command
from odoo.addons.aftersales_warranty.tests.common import TwoTransactionsCase
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import AgentCase


@tagged("post_install", "-at_install")
class TestTechnician(AgentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        Account = env["account.account"]
        cls.expense = Account.create(
            {"name": "T Technician Commissions", "code": "T6101", "account_type": "expense"}
        )
        cls.payable = Account.create(
            {
                "name": "T Technicians Payable",
                "code": "T2101",
                "account_type": "liability_payable",
                "reconcile": True,
            }
        )
        cls.receivable = Account.create(
            {
                "name": "T Cash Held by Technicians",
                "code": "T1301",
                "account_type": "asset_receivable",
                "reconcile": True,
            }
        )
        cls.journal = env["account.journal"].create(
            {"name": "T Technicians", "code": "TTEC", "type": "general"}
        )
        cls.cash_journal = env["account.journal"].create(
            {"name": "T Cash Box", "code": "TCSH", "type": "cash"}
        )
        cls.company.write(
            {
                "aftersales_technician_journal_id": cls.journal.id,
                "aftersales_technician_commission_account_id": cls.expense.id,
                "aftersales_technician_payable_account_id": cls.payable.id,
                "aftersales_technician_receivable_account_id": cls.receivable.id,
            }
        )
        cls.tech_1 = cls.technician
        cls.tech_2 = cls._user("tt_technician_2", "aftersales_base.group_aftersales_technician")
        cls.tech_3 = cls._user("tt_technician_3", "aftersales_base.group_aftersales_technician")
        Technician = env["aftersales.technician"]
        cls.rates_1 = Technician.create(
            {
                "user_id": cls.tech_1.id,
                "job_amount": 200000,
                "job_fee_percent": 10,
                "part_margin_percent": 20,
            }
        )
        cls.rates_2 = Technician.create(
            {"user_id": cls.tech_2.id, "job_amount": 150000, "part_margin_percent": 50}
        )
        cls.valve = env["product.product"].create(
            {"name": "T Gas Valve", "is_storable": True, "list_price": 500000}
        )
        cls.valve.standard_price = 300000
        cls.fan = env["product.product"].create(
            {"name": "T Fan", "is_storable": True, "list_price": 100000}
        )
        cls.fan.standard_price = 150000
        cls.stage_done = env.ref("aftersales_base.stage_done")

    @classmethod
    def _tech_job(cls, technician, fee=0.0, done=datetime(2025, 3, 10, 9, 0), parts=()):
        """A done in-house job of ``technician`` (no agent), with the parts it used."""
        job = cls._job(
            technician_id=technician.id,
            agent_id=False,
            service_type=cls.type_paid,
            technician_job_fee=fee,
            request_date=datetime(2025, 2, 20, 9, 0),
            technician_part_ids=[
                Command.create({"product_id": product.id, "quantity": qty})
                for product, qty in parts
            ],
        )
        job.stage_id = cls.stage_done
        job.done_date = done
        return job

    def _run(self, date_from=date(2025, 3, 1), date_to=date(2025, 3, 31), user=None):
        with Form(
            self.env["aftersales.technician.commission.run"].with_user(user or self.manager)
        ) as wizard:
            wizard.date_from = date_from
            wizard.date_to = date_to
        wizard = wizard.record
        wizard.action_run()
        return self.env["account.move"].search([("journal_id", "=", self.journal.id)])

    def _balances(self, rates):
        rates.invalidate_recordset(["payable_balance", "receivable_balance"])
        return rates.payable_balance, rates.receivable_balance

    def assertBalanced(self, move):
        self.assertEqual(sum(move.line_ids.mapped("debit")), sum(move.line_ids.mapped("credit")))

    # ------------------------------------------------------------------
    # Commissions
    # ------------------------------------------------------------------

    def test_commission_run_posts_per_technician(self):
        # Technician 1: 200,000 + 10% of 3,000,000 = 500,000 on job 1; part margin
        # (500,000 - 300,000) x 2 = 400,000 at 20% = 80,000; job 2: 200,000 only.
        job_1 = self._tech_job(self.tech_1, fee=3000000, parts=[(self.valve, 2)])
        job_2 = self._tech_job(self.tech_1, done=datetime(2025, 3, 31, 19, 0))
        # Technician 2: 150,000 per job, no fee percentage; the fan sold under cost
        # (margin -50,000) earns nothing on parts.
        job_3 = self._tech_job(self.tech_2, fee=1000000, parts=[(self.fan, 1)])
        # Not commissioned: an agent's job, a job of another month, a job not done.
        agent_job = self._tech_job(self.tech_1, fee=900000)
        agent_job.agent_id = self.agent_a
        other_month = self._tech_job(self.tech_1, done=datetime(2025, 4, 5, 9, 0))
        not_done = self._job(technician_id=self.tech_1.id, agent_id=False)
        self.assertEqual(job_1.technician_part_ids.cost_unit, 300000)
        self.assertEqual(job_1.technician_part_ids.price_unit, 500000)

        moves = self._run()

        self.assertEqual(len(moves), 2)
        self.assertEqual(set(moves.mapped("state")), {"posted"})
        move_1 = moves.filtered(lambda m: self.tech_1.partner_id in m.line_ids.partner_id)
        move_2 = moves - move_1
        for move in moves:
            self.assertBalanced(move)
        rows = sorted(
            (
                line.account_id.code,
                line.partner_id.id,
                line.aftersales_technician_request_id.id,
                line.aftersales_technician_entry_type,
                line.debit,
                line.credit,
            )
            for line in move_1.line_ids
        )
        partner_1 = self.tech_1.partner_id.id
        self.assertEqual(
            rows,
            sorted(
                [
                    ("T6101", partner_1, job_1.id, "job_commission", 500000, 0),
                    ("T6101", partner_1, job_1.id, "part_commission", 80000, 0),
                    ("T6101", partner_1, job_2.id, "job_commission", 200000, 0),
                    ("T2101", partner_1, False, "commission_total", 0, 780000),
                ]
            ),
        )
        payable_2 = move_2.line_ids.filtered(lambda line: line.account_id == self.payable)
        self.assertEqual(payable_2.partner_id, self.tech_2.partner_id)
        self.assertEqual(payable_2.credit, 150000)
        self.assertEqual(len(move_2.line_ids), 2, "no line for a negative part margin")
        self.assertEqual((job_1 | job_2).technician_commission_move_id, move_1)
        self.assertEqual(job_3.technician_commission_move_id, move_2)
        self.assertFalse(
            (agent_job | other_month | not_done).mapped("technician_commission_move_id")
        )
        self.assertEqual(self._balances(self.rates_1), (780000, 0))
        self.assertEqual(self._balances(self.rates_2), (150000, 0))

        # Paying the technician (a standard payment) brings what is owed back to zero.
        payment = self.env["account.payment"].create(
            {
                "payment_type": "outbound",
                "partner_type": "supplier",
                "partner_id": self.tech_1.partner_id.id,
                "amount": 780000,
                "journal_id": self.cash_journal.id,
                "destination_account_id": self.payable.id,
            }
        )
        payment.action_post()
        (payment.move_id.line_ids | move_1.line_ids).filtered(
            lambda line: line.account_id == self.payable
        ).reconcile()
        self.assertEqual(self._balances(self.rates_1), (0, 0))

    def test_job_commissioned_once(self):
        job = self._tech_job(self.tech_1, fee=1000000, parts=[(self.valve, 1)])
        [move] = self._run()
        with self.assertRaisesRegex(UserError, "No job to commission"):
            self._run()
        with self.assertRaisesRegex(UserError, f"{job.name} was already commissioned"):
            self.env["aftersales.technician"].with_user(self.manager)._post_commissions(job)
        self.assertEqual(
            self.env["account.move"].search([("journal_id", "=", self.journal.id)]), move
        )
        # What was posted no longer changes on the job.
        with self.assertRaisesRegex(UserError, "commissioned: its parts can no longer change"):
            job.technician_part_ids.quantity = 3
        with self.assertRaisesRegex(UserError, "commissioned: its parts can no longer change"):
            self.env["aftersales.technician.job.part"].create(
                {"request_id": job.id, "product_id": self.fan.id}
            )
        with self.assertRaisesRegex(UserError, "can no longer change"):
            job.technician_job_fee = 5000000
        self.assertEqual(self._balances(self.rates_1), (200000 + 100000 + 40000, 0))

    def test_commission_refused_without_settings_or_rates(self):
        job = self._tech_job(self.tech_1, fee=1000000)
        self.company.aftersales_technician_journal_id = False
        self.company.aftersales_technician_payable_account_id = False
        with self.assertRaisesRegex(
            UserError, "Set the Technician Journal, Technician Payable Account in After-Sales"
        ):
            self._run()
        self.assertFalse(job.technician_commission_move_id)
        self.company.aftersales_technician_journal_id = self.journal
        self.company.aftersales_technician_payable_account_id = self.payable
        # A technician without rates is named, not silently skipped.
        job_3 = self._tech_job(self.tech_3, fee=1000000)
        with self.assertRaisesRegex(UserError, "Set the commission rates of tt_technician_3"):
            self.env["aftersales.technician"].with_user(self.manager)._post_commissions(job | job_3)
        self.assertFalse((job | job_3).technician_commission_move_id)
        self.assertFalse(self.env["account.move"].search([("journal_id", "=", self.journal.id)]))
        # Only managers post commissions.
        with self.assertRaises(AccessError):
            self.env["aftersales.technician"].with_user(self.operator)._post_commissions(job)

    def test_technician_records_fee_and_parts_on_the_form(self):
        job = self._job(
            technician_id=self.tech_1.id,
            agent_id=False,
            service_type=self.type_paid,
            request_date=datetime(2025, 2, 20, 9, 0),
        )
        with Form(job.with_user(self.tech_1)) as form:
            form.technician_job_fee = 1200000
            with form.technician_part_ids.new() as part:
                part.product_id = self.valve
                part.quantity = 3
                self.assertEqual(part.price_unit, 500000)
        part = job.technician_part_ids
        self.assertEqual(job.technician_job_fee, 1200000)
        self.assertEqual((part.product_id, part.quantity), (self.valve, 3))
        self.assertEqual((part.price_unit, part.cost_unit, part.margin), (500000, 300000, 600000))
        # Another technician does not reach the job's parts.
        with self.assertRaises(AccessError):
            part.with_user(self.tech_2).read(["quantity"])

    def test_bad_rates_and_parts_refused(self):
        with self.assertRaisesRegex(UserError, "percentage between 0 and 100"):
            self.rates_2.job_fee_percent = 120
        with self.assertRaisesRegex(UserError, "percentage between 0 and 100"):
            self.env["aftersales.technician"].create(
                {"user_id": self.tech_3.id, "part_margin_percent": -5}
            )
        job = self._tech_job(self.tech_1)
        with self.assertRaisesRegex(UserError, "quantity of a part must be positive"):
            self.env["aftersales.technician.job.part"].create(
                {"request_id": job.id, "product_id": self.valve.id, "quantity": -1}
            )
        agent_job = self._job()
        with self.assertRaisesRegex(UserError, "belongs to a service agent"):
            self.env["aftersales.technician.job.part"].create(
                {"request_id": agent_job.id, "product_id": self.valve.id}
            )
        with self.assertRaisesRegex(UserError, "is not a part"):
            self.env["aftersales.technician.job.part"].create(
                {"request_id": job.id, "product_id": self.labour.id}
            )

    # ------------------------------------------------------------------
    # Cash collected
    # ------------------------------------------------------------------

    def test_cash_collected_then_handed_in(self):
        job = self._tech_job(self.tech_1, fee=2000000, parts=[(self.valve, 1)])
        customer_account = self.customer.property_account_receivable_id
        self.assertTrue(customer_account)
        # The technician records and posts it on their own job.
        Cash = self.env["aftersales.technician.cash"].with_user(self.tech_1)
        with Form(Cash) as form:
            form.request_id = job.with_user(self.tech_1)
            form.amount = 2500000
        cash = form.record
        self.assertEqual(cash.technician_id, self.tech_1)
        cash.action_post()
        self.assertEqual(cash.state, "posted")
        move = cash.sudo().move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.journal_id, self.journal)
        self.assertBalanced(move)
        self.assertEqual(
            sorted(
                (line.account_id.id, line.partner_id.id, line.debit, line.credit)
                for line in move.line_ids
            ),
            sorted(
                [
                    (self.receivable.id, self.tech_1.partner_id.id, 2500000, 0),
                    (customer_account.id, self.customer.id, 0, 2500000),
                ]
            ),
        )
        self.assertEqual(set(move.line_ids.mapped("aftersales_technician_request_id")), {job})
        self.assertEqual(self._balances(self.rates_1), (0, 2500000))
        self.assertFalse(cash.is_handed_in)
        with self.assertRaisesRegex(UserError, "Posted cash cannot change"):
            cash.amount = 100

        # Handing the cash in is a standard customer payment of the technician.
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.tech_1.partner_id.id,
                "amount": 2500000,
                "journal_id": self.cash_journal.id,
                "destination_account_id": self.receivable.id,
            }
        )
        payment.action_post()
        (payment.move_id.line_ids | move.line_ids).filtered(
            lambda line: line.account_id == self.receivable
        ).reconcile()
        self.assertEqual(self._balances(self.rates_1), (0, 0))
        cash.invalidate_recordset(["is_handed_in"])
        self.assertTrue(cash.is_handed_in)

    def test_bad_cash_refused(self):
        job = self._tech_job(self.tech_1, fee=2000000)
        Cash = self.env["aftersales.technician.cash"].with_user(self.tech_1)
        for amount in (-1000, 0):
            with self.assertRaisesRegex(UserError, "must be a positive amount"):
                Cash.create({"request_id": job.id, "amount": amount})
        # Another technician's job: not theirs to declare.
        with self.assertRaises(AccessError):
            self.env["aftersales.technician.cash"].with_user(self.tech_2).create(
                {"request_id": job.id, "amount": 1000}
            )
        with self.assertRaisesRegex(UserError, "not an in-house technician's job"):
            Cash.sudo().create({"request_id": self._job().id, "amount": 1000})
        # Without the receivable account nothing is posted, and the message says what to set.
        cash = Cash.create({"request_id": job.id, "amount": 1000})
        self.company.aftersales_technician_receivable_account_id = False
        with self.assertRaisesRegex(UserError, "Set the Technician Receivable Account"):
            cash.action_post()
        self.assertEqual(cash.state, "draft")
        self.assertFalse(cash.sudo().move_id)
        self.assertFalse(self.env["account.move"].search([("journal_id", "=", self.journal.id)]))


@tagged("post_install", "-at_install")
class TestTechnicianCommissionRace(TwoTransactionsCase):
    """Two managers commission the same job at the same time: the second waits on the
    job's row, then is refused; one entry is posted."""

    def _commit_setup(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            company = env.company
            Account = env["account.account"]
            ids = {
                "saved": {
                    name: company[name].id
                    for name in (
                        "aftersales_technician_journal_id",
                        "aftersales_technician_commission_account_id",
                        "aftersales_technician_payable_account_id",
                    )
                },
                "expense": Account.create(
                    {"name": "TR Commissions", "code": "TR6101", "account_type": "expense"}
                ).id,
                "payable": Account.create(
                    {
                        "name": "TR Technicians Payable",
                        "code": "TR2101",
                        "account_type": "liability_payable",
                        "reconcile": True,
                    }
                ).id,
                "journal": env["account.journal"]
                .create({"name": "TR Technicians", "code": "TRTC", "type": "general"})
                .id,
            }
            company.write(
                {
                    "aftersales_technician_journal_id": ids["journal"],
                    "aftersales_technician_commission_account_id": ids["expense"],
                    "aftersales_technician_payable_account_id": ids["payable"],
                }
            )
            # The administrator is an after-sales manager, hence a technician too.
            admin = env.ref("base.user_admin")
            ids["rates"] = (
                env["aftersales.technician"].create({"user_id": admin.id, "job_amount": 250000}).id
            )
            ids["product"] = env["product.product"].create({"name": "TR Heater"}).id
            ids["partner"] = env["res.partner"].create({"name": "TR Customer"}).id
            job = env["aftersales.request"].create(
                {
                    "partner_id": ids["partner"],
                    "service_type_id": env.ref("aftersales_base.service_type_prp").id,
                    "technician_id": admin.id,
                    "agent_id": False,
                    "request_date": datetime(2025, 3, 1, 9, 0),
                    "line_ids": [Command.create({"product_id": ids["product"]})],
                }
            )
            job.done_date = datetime(2025, 3, 2, 9, 0)
            ids["job"] = job.id
            return ids

    def _drop_setup(self, ids):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            job = env["aftersales.request"].browse(ids["job"])
            moves = env["account.move"].search([("journal_id", "=", ids["journal"])])
            job.technician_commission_move_id = False
            moves.button_draft()
            moves.with_context(force_delete=True).unlink()
            job.unlink()
            env["res.partner"].browse(ids["partner"]).unlink()
            product = env["product.product"].browse(ids["product"])
            template = product.product_tmpl_id
            product.unlink()
            template.unlink()
            env["aftersales.technician"].browse(ids["rates"]).unlink()
            env.company.write(ids["saved"])
            env["account.journal"].browse(ids["journal"]).unlink()
            env["account.account"].browse([ids["expense"], ids["payable"]]).unlink()

    def test_two_runs_post_one_entry(self):
        ids = self._commit_setup()
        try:
            with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
                env_a, env_b = self._env(cr_a), self._env(cr_b)
                [move] = env_a["aftersales.technician"]._post_commissions(
                    env_a["aftersales.request"].browse(ids["job"])
                )

                def in_b():
                    return env_b["aftersales.technician"]._post_commissions(
                        env_b["aftersales.request"].browse(ids["job"])
                    )

                b_waited, outcome = self._race(cr_a, cr_b, in_b)
                self.assertTrue(b_waited, "the second run waits for the first one's lock")
                # Once A commits, B's lock fails as a serialization error: Odoo retries
                # such a request in a new transaction (odoo.service.model.retrying), and
                # the retry finds the job commissioned.
                if isinstance(outcome, errors.SerializationFailure):
                    with self.assertRaisesRegex(UserError, "already commissioned"):
                        in_b()
                    cr_b.rollback()
                else:
                    self.assertIsInstance(outcome, UserError)
                    self.assertIn("already commissioned", str(outcome))
            with self.registry.cursor() as cr:
                env = self._env(cr)
                moves = env["account.move"].search([("journal_id", "=", ids["journal"])])
                self.assertEqual(moves.ids, [move.id])
                self.assertEqual(
                    env["aftersales.request"].browse(ids["job"]).technician_commission_move_id,
                    moves,
                )
                self.assertEqual(sum(moves.line_ids.mapped("credit")), 250000)
        finally:
            self._drop_setup(ids)
