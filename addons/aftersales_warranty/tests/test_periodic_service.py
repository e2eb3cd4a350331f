from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TwoTransactionsCase, WarrantyCase


@tagged("post_install", "-at_install")
class TestPeriodicService(WarrantyCase):
    """Periodic service plans raise one request per device when a visit is due (R-WAR-11)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # SMS are queued only for a company that sends through its own panel.
        cls.env["aftersales.sms.provider"].create(
            {
                "name": "Periodic test panel",
                "endpoint": "http://127.0.0.1:9/v1",
                "api_key": "KEY",
                "sender": "10004346",
                "company_id": cls.company.id,
            }
        )
        cls.psv = cls.env.ref("aftersales_base.service_type_psv")
        cls.Plan = cls.env["aftersales.warranty.service.plan"]
        cls.Visit = cls.env["aftersales.warranty.service.visit"]
        cls.plan = cls.Plan.create(
            {
                "name": "Heater service every 3 months",
                "product_tmpl_id": cls.heater.product_tmpl_id.id,
                "interval_number": 3,
                "first_visit_delay": 3,
                "lead_days": 7,
            }
        )
        # 12 months from delivery: in warranty 2025-01-10 .. 2026-01-09
        cls.lot = cls._lots(cls.heater, "PS-0001")
        cls.card = cls._issue(cls.lot, partner=cls.customer, date=date(2025, 1, 10))

    def _run(self, day, **kwargs):
        with freeze_time(day):
            return self.Plan._cron_periodic_service(**kwargs)

    def _visits(self, cards=None):
        return self.Visit.search(
            [("card_id", "in", (cards or self.card).ids)], order="visit_number"
        )

    def test_due_visit_raises_a_request_and_an_sms(self):
        self.customer.lang = "en_US"  # the SMS is in the customer's language
        self.assertEqual(self.card.end_date, date(2026, 1, 9))
        self._run("2025-04-04")  # visit 1 on 2025-04-10, raised 7 days before
        visit = self._visits()
        self.assertEqual(len(visit), 1)
        self.assertEqual(
            (visit.plan_id, visit.visit_number, visit.planned_date, visit.state),
            (self.plan, 1, date(2025, 4, 10), "requested"),
        )
        request = visit.request_id
        self.assertEqual(request.partner_id, self.customer)
        self.assertEqual(request.service_type_id, self.psv)
        self.assertEqual(request.company_id, self.card.company_id)
        self.assertEqual(len(request.line_ids), 1, "one request per device")
        self.assertEqual(request.line_ids.product_id, self.heater)
        self.assertEqual(request.line_ids.serial_number, "PS-0001")
        self.assertEqual(request.line_ids.lot_id, self.lot)
        self.assertEqual(request.line_ids.warranty_card_id, self.card)
        self.assertEqual(self.card.periodic_visit_count, 1)
        self.assertEqual(
            self.env["aftersales.request"].search([("periodic_visit_ids", "!=", False)]), request
        )
        sms = self.env["sms.sms"].search([("mail_message_id.res_id", "=", request.id)])
        self.assertEqual(len(sms), 1, "the periodic-service SMS instead of the registration one")
        self.assertEqual(sms.number, "+989125551234")
        self.assertEqual(sms.state, "outgoing")
        self.assertIn("periodic service", sms.body)
        self.assertIn(request.name, sms.body)
        self.assertIn("PS-0001", sms.body)
        # the visit follows its request
        request.stage_id = self.env.ref("aftersales_base.stage_done")
        self.assertEqual(visit.state, "done")

    def test_second_run_raises_nothing_again(self):
        self.assertEqual(self._run("2025-04-04"), 0)
        self.assertEqual(self._run("2025-04-04"), 0)
        self._run("2025-04-12")
        self.assertEqual(len(self._visits()), 1)
        requests = self.env["aftersales.request"].search([("line_ids.lot_id", "=", self.lot.id)])
        self.assertEqual(len(requests), 1)
        # the next visit, three months later
        self._run("2025-07-05")
        self._run("2025-07-06")
        self.assertEqual(self._visits().mapped("visit_number"), [1, 2])
        self.assertEqual(self._visits()[1].planned_date, date(2025, 7, 10))
        self.assertEqual(self.card.periodic_visit_count, 2)

    def test_a_visit_is_raised_once_whatever_inserts_it(self):
        self._run("2025-04-04")
        visit = self._visits()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.Visit.create(
                {
                    "card_id": self.card.id,
                    "plan_id": self.plan.id,
                    "visit_number": 1,
                    "planned_date": visit.planned_date,
                }
            )

    def test_not_due_yet_nothing(self):
        self.assertEqual(self._run("2025-04-02"), 0)  # 8 days before the visit
        self.assertFalse(self._visits())
        self.assertFalse(
            self.env["aftersales.request"].search([("line_ids.lot_id", "=", self.lot.id)])
        )

    def test_only_cards_in_warranty(self):
        voided_lot, dealer_lot, draft_lot = self._lots(self.heater, "PS-V", "PS-D", "PS-W")
        voided = self._issue(voided_lot, partner=self.customer, date=date(2025, 1, 10))
        voided.with_user(self.manager)._void(
            self.env.ref("aftersales_warranty.void_reason_physical_damage"), "Dropped"
        )
        at_dealer = self._issue(dealer_lot, dealer=self.dealer, date=date(2025, 1, 10))
        replaced = self._issue(draft_lot, partner=self.customer, date=date(2025, 1, 10))
        replaced.with_user(self.manager)._replace(self._lots(self.heater, "PS-R2"), "Faulty")
        self._run("2025-04-04")
        self.assertFalse(self._visits(voided | at_dealer | replaced))
        self.assertEqual(len(self._visits()), 1, "the card in warranty is served")
        # nor after the end of the warranty: visit 4 would fall on 2026-01-10
        self._run("2025-07-05")
        self._run("2025-10-05")
        self._run("2026-01-08")
        self.assertEqual(self._visits().mapped("visit_number"), [1, 2, 3])
        # an expired card is not served either
        with freeze_time("2026-04-05"):
            self.Card._cron_warranty_dates()
        self.assertEqual(self.card.state, "expired")
        self._run("2026-04-05")
        self.assertEqual(len(self._visits()), 3)

    def test_number_of_visits(self):
        self.plan.visit_count = 2
        for day in ("2025-04-04", "2025-07-05", "2025-10-05"):
            self._run(day)
        self.assertEqual(self._visits().mapped("visit_number"), [1, 2])
        self.assertEqual(self.card.periodic_visit_count, 2)

    def test_missed_visits_are_not_raised_late(self):
        # a card whose warranty started long before the plan was made
        old = self._issue(self._lots(self.heater, "PS-OLD"), partner=self.customer)
        old.sudo().write({"start_date": date(2024, 6, 1), "issue_date": date(2024, 6, 1)})
        self._run("2025-03-01")  # visits 1-3 (Sep, Dec, Mar) are all past or due
        visits = self._visits(old)
        self.assertEqual(len(visits), 1, "one request per device, not a pile")
        self.assertEqual((visits.visit_number, visits.planned_date), (3, date(2025, 3, 1)))
        self._run("2025-03-02")
        self.assertEqual(len(self._visits(old)), 1)

    def test_contract_plan_for_one_card(self):
        other_lot, stranger_lot = self._lots(self.heater, "PS-C2", "PS-C3")
        self._issue(other_lot, partner=self.customer, date=date(2025, 1, 10))
        stranger = self.env["res.partner"].create({"name": "Stranger", "mobile": "09121112233"})
        self._issue(stranger_lot, partner=stranger, date=date(2025, 1, 10))
        self.plan.active = False
        contract = self.Plan.create(
            {
                "name": "Contract: monthly",
                "scope": "contract",
                "partner_id": self.customer.id,
                "card_id": self.card.id,
                "interval_number": 30,
                "interval_type": "days",
                "first_visit_delay": 30,
                "lead_days": 0,
            }
        )
        self._run("2025-02-09")
        self.assertEqual(self.Visit.search([]).card_id, self.card)
        self.assertEqual(self._visits().planned_date, date(2025, 2, 9))
        self.assertEqual(self._visits().plan_id, contract)

    def test_batches(self):
        lots = self._lots(self.heater, "PS-B1", "PS-B2")
        cards = self._issue(lots, partner=self.customer, date=date(2025, 1, 10))
        self.assertEqual(self._run("2025-04-04", batch_size=2), 1)
        self.assertEqual(self._run("2025-04-04", batch_size=2), 0)
        self.assertEqual(len(self._visits(cards | self.card)), 3)

    def test_access(self):
        plan = self.plan.with_user(self.operator)
        self.assertEqual(plan.name, "Heater service every 3 months")
        with self.assertRaises(AccessError):
            plan.interval_number = 1
        with self.assertRaises(AccessError):
            self.Plan.with_user(self.technician).search([])
        self.Plan.with_user(self.manager).create(
            {"name": "Manager's plan", "product_tmpl_id": self.heater.product_tmpl_id.id}
        )


@tagged("post_install", "-at_install")
class TestPeriodicServiceConcurrency(TwoTransactionsCase):
    """Two transactions run the job at once: one request per due visit (R-WAR-11)."""

    def test_two_transactions_one_request(self):
        # Both transactions must see the card: it is committed, and removed at the end.
        ids = self._commit_serial("T-PS-RACE", "Periodic Race Boiler", "PS-RACE-1")
        with self.registry.cursor() as cr:
            env = self._env(cr)
            product = env["product.product"].browse(ids["product"])
            partner = env["res.partner"].create({"name": "Race Customer", "mobile": "09120009988"})
            card = env["aftersales.warranty.card"]._issue_for_lots(
                env["stock.lot"].browse(ids["lot"]), partner=partner
            )
            plan = env["aftersales.warranty.service.plan"].create(
                {
                    "name": "Race plan",
                    "product_tmpl_id": product.product_tmpl_id.id,
                    "interval_number": 30,
                    "interval_type": "days",
                    "first_visit_delay": 0,
                    "lead_days": 0,
                }
            )
            ids.update(partner=partner.id, card=card.id, plan=plan.id)
        try:
            with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
                env_a, env_b = self._env(cr_a), self._env(cr_b)
                env_a["aftersales.warranty.service.plan"]._cron_periodic_service()
                self.assertEqual(
                    env_a["aftersales.warranty.service.visit"].search_count(
                        [("card_id", "=", ids["card"])]
                    ),
                    1,
                )
                # B does not see A's uncommitted visit: the unique constraint decides.
                b_waited, outcome = self._race(
                    cr_a,
                    cr_b,
                    lambda: (
                        env_b["aftersales.warranty.service.plan"]
                        .search([("id", "=", ids["plan"])])
                        ._cron_periodic_service()
                    ),
                    muted=("odoo.sql_db", "odoo.addons.aftersales_warranty"),
                )
            self.assertTrue(b_waited, "B waits for A's visit")
            self.assertEqual(outcome, 0, "B gives up its batch without an error")
            with self.registry.cursor() as cr:
                env = self._env(cr)
                visits = env["aftersales.warranty.service.visit"].search(
                    [("card_id", "=", ids["card"])]
                )
                self.assertEqual(len(visits), 1)
                requests = env["aftersales.request"].search([("partner_id", "=", ids["partner"])])
                self.assertEqual(requests, visits.request_id, "one request, the visit's")
        finally:
            with self.registry.cursor() as cr:
                env = self._env(cr)
                visits = env["aftersales.warranty.service.visit"].search(
                    [("plan_id", "=", ids["plan"])]
                )
                requests = visits.request_id | env["aftersales.request"].search(
                    [("partner_id", "=", ids["partner"])]
                )
                visits.unlink()
                requests.unlink()
                env["aftersales.warranty.service.plan"].browse(ids["plan"]).unlink()
                self._drop_serial(env, ids)
                env["res.partner"].browse(ids["partner"]).unlink()
