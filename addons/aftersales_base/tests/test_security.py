from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestSecurity(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.job_a = cls._create_request(technician_id=cls.tech_a.id, phone="021 2211 0001")
        cls.job_b = cls._create_request(technician_id=cls.tech_b.id, phone="021 2211 0002")

    def test_technician_sees_only_own_jobs(self):
        Request = self.env["aftersales.request"].with_user(self.tech_a)
        self.assertEqual(Request.search([("id", "in", (self.job_a | self.job_b).ids)]), self.job_a)
        with self.assertRaises(AccessError):
            self.job_b.with_user(self.tech_a).read(["name"])
        with self.assertRaises(AccessError):
            self.job_b.line_ids.with_user(self.tech_a).read(["serial_number"])
        # but can work on their own job
        self.job_a.with_user(self.tech_a).scheduled_date = "2025-05-01 08:00:00"

    def test_technician_cannot_create_or_delete(self):
        with self.assertRaises(AccessError):
            self._create_request(user=self.tech_a)
        with self.assertRaises(AccessError):
            self.job_a.with_user(self.tech_a).unlink()

    def test_operator_sees_all_but_cannot_delete(self):
        Request = self.env["aftersales.request"].with_user(self.operator)
        self.assertEqual(
            Request.search([("id", "in", (self.job_a | self.job_b).ids)]), self.job_a | self.job_b
        )
        with self.assertRaises(AccessError):
            self.job_a.with_user(self.operator).unlink()
        self.job_a.with_user(self.manager).unlink()
        self.assertFalse(self.job_a.exists())

    def test_only_manager_edits_base_data(self):
        with self.assertRaises(AccessError):
            self.type_install.with_user(self.operator).sla_hours = 1
        with self.assertRaises(AccessError):
            self.env["aftersales.routing.rule"].with_user(self.operator).create(
                {"state_id": self.tehran.id, "technician_id": self.tech_a.id}
            )
        self.type_install.with_user(self.manager).sla_hours = 10
        self.assertEqual(self.type_install.sla_hours, 10)

    def test_multi_company_isolation(self):
        other_company = self.env["res.company"].create(
            {"name": "Other Co", "country_id": self.env.ref("base.ir").id}
        )
        other_operator = new_test_user(
            self.env,
            login="as_other_operator",
            groups="aftersales_base.group_aftersales_operator",
            company_id=other_company.id,
            company_ids=[other_company.id],
        )
        foreign = self._create_request(company_id=other_company.id, phone="021 2211 0003")
        self.assertFalse(
            self.env["aftersales.request"]
            .with_user(self.operator)
            .search([("id", "=", foreign.id)])
        )
        with self.assertRaises(AccessError):
            foreign.with_user(self.operator).read(["name"])
        self.assertEqual(
            self.env["aftersales.request"]
            .with_user(other_operator)
            .search([("id", "in", (foreign | self.job_b).ids)]),
            foreign,
        )
