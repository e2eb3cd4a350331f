from contextlib import contextmanager

from odoo.tests import TransactionCase, new_test_user


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
