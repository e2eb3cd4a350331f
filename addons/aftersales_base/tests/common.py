from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class AftersalesCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env.company.country_id = cls.env.ref("base.ir")
        cls.operator = new_test_user(
            cls.env, login="as_operator", groups="aftersales_base.group_aftersales_operator"
        )
        cls.manager = new_test_user(
            cls.env, login="as_manager", groups="aftersales_base.group_aftersales_manager"
        )
        cls.tech_a = new_test_user(
            cls.env, login="as_tech_a", groups="aftersales_base.group_aftersales_technician"
        )
        cls.tech_b = new_test_user(
            cls.env, login="as_tech_b", groups="aftersales_base.group_aftersales_technician"
        )
        cls.type_install = cls.env.ref("aftersales_base.service_type_ins")
        cls.type_warranty = cls.env.ref("aftersales_base.service_type_wrp")
        cls.type_workshop = cls.env.ref("aftersales_base.service_type_wsr")
        cls.tehran = cls.env.ref("aftersales_base.state_ir_23")
        cls.isfahan = cls.env.ref("aftersales_base.state_ir_10")
        cls.device_type = cls.env["product.category"].create(
            {"name": "Test Heaters", "is_aftersales_device_type": True}
        )
        cls.other_type = cls.env["product.category"].create(
            {"name": "Test Washers", "is_aftersales_device_type": True}
        )
        cls.heater = cls.env["product.product"].create(
            {
                "name": "Test Heater",
                "categ_id": cls.device_type.id,
                # Aban..Esfand: the heating season
                "aftersales_season_start": "8",
                "aftersales_season_end": "12",
                "aftersales_season_sla_hours": 12,
            }
        )
        cls.washer = cls.env["product.product"].create(
            {"name": "Test Washer", "categ_id": cls.other_type.id}
        )
        cls.fault_heater = cls.env["aftersales.fault.code"].create(
            {
                "code": "TH1",
                "name": "Pilot goes out",
                "categ_ids": [Command.link(cls.device_type.id)],
            }
        )
        cls.fault_any = cls.env.ref("aftersales_base.fault_code_f01")

    @classmethod
    def _request_vals(cls, **overrides):
        vals = {
            "partner_name": "Test Customer",
            "phone": "021 8877 6655",
            "service_type_id": cls.type_install.id,
            "line_ids": [Command.create({"product_id": cls.washer.id, "serial_number": "wm-001"})],
        }
        vals.update(overrides)
        return vals

    @classmethod
    def _create_request(cls, user=None, **overrides):
        env = cls.env(user=user) if user else cls.env
        return env["aftersales.request"].create(cls._request_vals(**overrides))


def prepare_portal(env):
    """An Iranian company with English and Persian active: what every portal test reads."""
    env.company.country_id = env.ref("base.ir")
    for code in ("en_US", "fa_IR"):
        env["res.lang"]._activate_lang(code)


def portal_customer(env, login, lang="en_US", **values):
    """A portal user whose password is its login (for ``authenticate`` and browser tests)."""
    return new_test_user(
        env, login=login, password=login, groups="base.group_portal", lang=lang, **values
    )
