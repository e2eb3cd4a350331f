from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import TwoTransactionsCase


@tagged("post_install", "-at_install")
class TestConcurrentIssue(TwoTransactionsCase):
    """Two transactions card the same serial at once: exactly one card (R-WAR-1)."""

    def test_two_transactions_one_card(self):
        ids = self._commit_serial("T-CONC-RACE", "Concurrency Heater", "RACE-0001")
        try:
            with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
                env_a, env_b = self._env(cr_a), self._env(cr_b)
                card_a = env_a["aftersales.warranty.card"]._issue_for_lots(
                    env_a["stock.lot"].browse(ids["lot"])
                )
                self.assertEqual(len(card_a), 1)
                # B's check does not see A's uncommitted card: the unique index decides.
                b_waited, outcome = self._race(
                    cr_a,
                    cr_b,
                    lambda: env_b["aftersales.warranty.card"]._issue_for_lots(
                        env_b["stock.lot"].browse(ids["lot"])
                    ),
                )
            self.assertTrue(b_waited, "B waits for A's transaction on the serial")
            self.assertIsInstance(outcome, ValidationError)
            self.assertIn("issued meanwhile", str(outcome))
            self.assertIn("RACE-0001", str(outcome))
            with self.registry.cursor() as cr:
                cards = self._env(cr)["aftersales.warranty.card"].search(
                    [("lot_id", "=", ids["lot"])]
                )
                self.assertEqual(len(cards), 1)
        finally:
            with self.registry.cursor() as cr:
                self._drop_serial(self._env(cr), ids)
