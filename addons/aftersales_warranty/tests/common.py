import threading
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, new_test_user
from odoo.tools import mute_logger


class WarrantyCase(TransactionCase):
    """Policies, serial-tracked products, a customer and a dealer; no demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company.country_id = cls.env.ref("base.ir")
        cls.operator = cls._user("wr_operator", "aftersales_base.group_aftersales_operator")
        cls.manager = cls._user("wr_manager", "aftersales_base.group_aftersales_manager")
        cls.technician = cls._user("wr_technician", "aftersales_base.group_aftersales_technician")
        cls.stock_user = cls._user("wr_stock", "stock.group_stock_user")
        Policy = cls.env["aftersales.warranty.policy"]
        cls.policy_delivery = Policy.create(
            {"name": "12 months from delivery", "code": "T-DLV", "duration_months": 12}
        )
        cls.policy_invoice = Policy.create(
            {
                "name": "12 months from invoice",
                "code": "T-INV",
                "duration_months": 12,
                "start_rule": "invoice",
            }
        )
        cls.policy_install = Policy.create(
            {
                "name": "18 months from installation",
                "code": "T-INS",
                "duration_months": 18,
                "start_rule": "installation",
                "dealer_months": 6,
            }
        )
        cls.policy_register = Policy.create(
            {
                "name": "24 months from registration",
                "code": "T-REG",
                "duration_months": 24,
                "start_rule": "registration",
                "dealer_months": 3,
            }
        )
        Category = cls.env["product.category"]
        cls.categ_heaters = Category.create(
            {"name": "W Heaters", "aftersales_warranty_policy_id": cls.policy_delivery.id}
        )
        cls.categ_plain = Category.create({"name": "W Accessories"})
        cls.heater = cls._product("W Heater", cls.categ_heaters)
        cls.air_conditioner = cls._product("W Air Conditioner", policy=cls.policy_install)
        cls.washer = cls._product("W Washer", policy=cls.policy_invoice)
        cls.radio = cls._product("W Radio", policy=cls.policy_register)
        cls.no_policy = cls._product("W Kettle")
        cls.by_lot = cls._product("W Pipes", policy=cls.policy_delivery, tracking="lot")
        cls.customer = cls.env["res.partner"].create(
            {"name": "W Customer", "mobile": "0912 555 1234", "phone": "021 8800 1122"}
        )
        cls.dealer = cls.env["res.partner"].create(
            {"name": "W Dealer", "is_company": True, "is_aftersales_dealer": True}
        )
        cls.Card = cls.env["aftersales.warranty.card"]

    @classmethod
    def _user(cls, login, groups, **kwargs):
        return new_test_user(
            cls.env, login=login, groups=groups, context={"no_reset_password": True}, **kwargs
        )

    @contextmanager
    def assertRaisesRegex(self, exception, regex, msg=None):
        """unittest's version, inside the savepoint of Odoo's ``assertRaises``: what the
        refused call wrote is rolled back before the test goes on."""
        with self.assertRaises(exception, msg=msg) as caught:
            yield caught
        self.assertRegex(str(caught.exception), regex)

    @staticmethod
    def _last_event(card):
        return card.event_ids.sorted("id")[-1:]

    @staticmethod
    def _event_types(card):
        return card.event_ids.sorted("id").mapped("event_type")

    @classmethod
    def _product(cls, name, categ=None, policy=None, tracking="serial"):
        return cls.env["product.product"].create(
            {
                "name": name,
                "is_storable": True,
                "tracking": tracking,
                "categ_id": (categ or cls.categ_plain).id,
                "aftersales_warranty_policy_id": policy.id if policy else False,
            }
        )

    @classmethod
    def _lots(cls, product, *names):
        return cls.env["stock.lot"].create(
            [
                {"name": name, "product_id": product.id, "company_id": cls.company.id}
                for name in names
            ]
        )

    @classmethod
    def _issue(cls, lots, partner=None, dealer=None, date=None, user=None):
        Card = cls.Card.with_user(user) if user else cls.Card
        return Card._issue_for_lots(lots, partner=partner, dealer=dealer, date=date)


class TwoTransactionsCase(TransactionCase):
    """Races between two real transactions: the data both must see is committed (a
    serial-tracked product under a policy, with one serial) and removed at the end."""

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    def _commit_serial(self, code, product_name, serial):
        """Committed policy, product and serial: ``{"policy", "product", "lot"}`` ids."""
        with self.registry.cursor() as cr:
            env = self._env(cr)
            policy = env["aftersales.warranty.policy"].create(
                {"name": code, "code": code, "duration_months": 12}
            )
            product = env["product.product"].create(
                {
                    "name": product_name,
                    "is_storable": True,
                    "tracking": "serial",
                    "aftersales_warranty_policy_id": policy.id,
                }
            )
            lot = env["stock.lot"].create({"name": serial, "product_id": product.id})
            return {"policy": policy.id, "product": product.id, "lot": lot.id}

    def _drop_serial(self, env, ids):
        """Remove what ``_commit_serial`` made (its cards first, started or not)."""
        cards = env["aftersales.warranty.card"].search([("lot_id", "=", ids["lot"])])
        cards.write({"state": "draft"})  # only cards not started are deleted
        cards.unlink()
        env["stock.lot"].browse(ids["lot"]).unlink()
        product = env["product.product"].browse(ids["product"])
        template = product.product_tmpl_id
        product.unlink()
        template.unlink()
        env["aftersales.warranty.policy"].browse(ids["policy"]).unlink()

    def _race(self, cr_a, cr_b, in_b, muted=("odoo.sql_db",)):
        """Run ``in_b()`` in a second thread on ``cr_b`` while transaction A (which did
        its part already) is still open, then commit A. Returns ``(b_waited, outcome)``:
        whether B was blocked by A, and what ``in_b`` returned or raised."""
        outcome = {}

        def run():
            try:
                outcome["b"] = in_b()
            except Exception as exc:
                outcome["b"] = exc
            finally:
                cr_b.rollback()

        # B's refused INSERT is logged by the cursor: expected here.
        with mute_logger(*muted):
            thread = threading.Thread(target=run)
            thread.start()
            thread.join(timeout=3)
            b_waited = thread.is_alive()
            cr_a.commit()
            thread.join(timeout=60)
        self.assertFalse(thread.is_alive())
        return b_waited, outcome.get("b")
