import threading

from odoo import SUPERUSER_ID, api
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestConcurrentIssue(TransactionCase):
    """Two transactions card the same serial at once: exactly one card (R-WAR-1)."""

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    def test_two_transactions_one_card(self):
        # Both transactions must see the serial: it is committed, and removed at the end.
        with self.registry.cursor() as cr:
            env = self._env(cr)
            policy = env["aftersales.warranty.policy"].create(
                {"name": "Concurrency", "code": "T-CONC-RACE", "duration_months": 12}
            )
            product = env["product.product"].create(
                {
                    "name": "Concurrency Heater",
                    "is_storable": True,
                    "tracking": "serial",
                    "aftersales_warranty_policy_id": policy.id,
                }
            )
            lot = env["stock.lot"].create({"name": "RACE-0001", "product_id": product.id})
            ids = {"policy": policy.id, "product": product.id, "lot": lot.id}
        outcome = {}
        try:
            with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
                env_a, env_b = self._env(cr_a), self._env(cr_b)
                card_a = env_a["aftersales.warranty.card"]._issue_for_lots(
                    env_a["stock.lot"].browse(ids["lot"])
                )
                self.assertEqual(len(card_a), 1)

                def issue_in_b():
                    # B's check does not see A's uncommitted card: the unique index decides.
                    try:
                        env_b["aftersales.warranty.card"]._issue_for_lots(
                            env_b["stock.lot"].browse(ids["lot"])
                        )
                        outcome["b"] = "issued"
                    except ValidationError as exc:
                        outcome["b"] = str(exc)
                    finally:
                        cr_b.rollback()

                # B's refused INSERT is logged by the cursor: expected here.
                with mute_logger("odoo.sql_db"):
                    thread = threading.Thread(target=issue_in_b)
                    thread.start()
                    thread.join(timeout=3)
                    b_waited = thread.is_alive()
                    cr_a.commit()
                    thread.join(timeout=60)
                self.assertFalse(thread.is_alive())
            self.assertTrue(b_waited, "B waits for A's transaction on the serial")
            self.assertIn("issued meanwhile", outcome["b"])
            self.assertIn("RACE-0001", outcome["b"])
            with self.registry.cursor() as cr:
                cards = self._env(cr)["aftersales.warranty.card"].search(
                    [("lot_id", "=", ids["lot"])]
                )
                self.assertEqual(len(cards), 1)
        finally:
            with self.registry.cursor() as cr:
                env = self._env(cr)
                env["aftersales.warranty.card"].search([("lot_id", "=", ids["lot"])]).unlink()
                env["stock.lot"].browse(ids["lot"]).unlink()
                product = env["product.product"].browse(ids["product"])
                template = product.product_tmpl_id
                product.unlink()
                template.unlink()
                env["aftersales.warranty.policy"].browse(ids["policy"]).unlink()
