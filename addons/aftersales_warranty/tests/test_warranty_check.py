from datetime import date

from odoo.tests import Form, tagged

from .common import WarrantyCase


@tagged("post_install", "-at_install")
class TestWarrantyCheck(WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.card = cls._issue(
            cls._lots(cls.heater, "GH-12 0042"), partner=cls.customer, date=date(2025, 1, 10)
        )

    def test_any_spelling_finds_the_card(self):
        for spelling in (
            "GH-120042",
            " gh-12 0042 ",
            "gh-12\t00 42",
            "GH-۱۲۰۰۴۲",  # Persian digits
            "gh-١٢٠٠٤٢",  # Arabic-Indic digits
        ):
            result = self.Card._check_warranty(spelling, date=date(2025, 6, 1))
            self.assertEqual(result.card, self.card, spelling)
            self.assertEqual(result.status, "in_warranty", spelling)
            self.assertTrue(result.covered)
            self.assertEqual(result.serial, "GH-120042")
            self.assertIn(self.card.name, result.reason)

    def test_status_at_a_date(self):
        check = self.Card._check_warranty
        self.assertEqual(check("GH-120042", date=date(2025, 1, 9)).status, "not_active")
        self.assertEqual(check("GH-120042", date=date(2026, 1, 9)).status, "in_warranty")
        expired = check("GH-120042", date=date(2026, 1, 10))
        self.assertEqual(expired.status, "expired")
        self.assertFalse(expired.covered)
        self.assertIn("expired", expired.reason)
        self.assertEqual(expired.end_date, date(2026, 1, 9))
        unknown = check("NO-SUCH-1")
        self.assertEqual(unknown.status, "unknown_serial")
        self.assertFalse(unknown.card)
        self.assertIn("NO-SUCH-1", unknown.reason)
        self.assertEqual(check("").status, "unknown_serial")

    def test_dealer_and_waiting_cards(self):
        lot_d, lot_w = self._lots(self.air_conditioner, "AC-D", "AC-W")
        self._issue(lot_d, dealer=self.dealer, date=date(2025, 1, 10))
        self._issue(lot_w, partner=self.customer, date=date(2025, 1, 10))
        at_dealer = self.Card._check_warranty("ac-d", date=date(2025, 3, 1))
        self.assertEqual(at_dealer.status, "dealer_period")
        self.assertTrue(at_dealer.covered)
        self.assertIn("W Dealer", at_dealer.reason)
        # the dealer period ran out and the daily job has not run yet: dates decide
        after = self.Card._check_warranty("ac-d", date=date(2025, 8, 1))
        self.assertEqual(after.status, "in_warranty")
        self.assertEqual(after.start_date, date(2025, 7, 10))
        waiting = self.Card._check_warranty("AC-W", date=date(2025, 3, 1))
        self.assertEqual(waiting.status, "not_active")
        self.assertIn("installation", waiting.reason)

    def test_many_serials_in_one_query(self):
        serials = [f"MQ-{i}" for i in range(30)]
        self._issue(self._lots(self.heater, *serials), partner=self.customer)
        counts = []
        for batch in (serials[:3], serials):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            results = self.Card._check_warranty_many([s.lower() for s in batch] + ["UNKNOWN-9"])
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual([r.status for r in results[:-1]], ["in_warranty"] * len(batch))
            self.assertEqual(results[-1].status, "unknown_serial")
        self.assertEqual(counts[0], counts[1], "queries do not depend on the number of serials")

    def test_same_serial_on_two_products(self):
        twin = self._issue(self._lots(self.air_conditioner, "GH-12 0042"), dealer=self.dealer)
        self.assertEqual(
            self.Card._check_warranty("GH-120042", product=self.heater).card, self.card
        )
        self.assertEqual(
            self.Card._check_warranty("GH-120042", product=self.air_conditioner).card, twin
        )

    def test_check_screen(self):
        form = Form(self.env["aftersales.warranty.check"].with_user(self.technician))
        form.serial = "gh-12 ۰۰۴۲"
        form.date = date(2025, 6, 1)
        self.assertEqual(form.status, "in_warranty")
        self.assertEqual(form.card_id, self.card)
        self.assertEqual(form.end_date, date(2026, 1, 9))
