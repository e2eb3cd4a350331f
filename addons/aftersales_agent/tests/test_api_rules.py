"""Work report rules sent over XML-RPC (``execute_kw``) with only the keys a client
sends: refused with the user's message, and nothing written by the refused call."""

import xmlrpc.client

from odoo.tests import HttpCase, new_test_user, tagged

from .common import AgentCase


@tagged("post_install", "-at_install")
class TestAgentApiRules(AgentCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_operator = new_test_user(
            cls.env,
            login="agapi_operator",
            password="agapi_operator",
            groups="aftersales_base.group_aftersales_operator",
        )
        cls.api_manager = new_test_user(
            cls.env,
            login="agapi_manager",
            password="agapi_manager",
            groups="aftersales_base.group_aftersales_manager",
        )
        cls.job = cls._job(cls.agent_a)

    def rpc(self, user, model, method, args, kwargs=None):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, user.login, model, method, args, kwargs or {}
        )

    def assertRefused(self, text, user, model, method, args):
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.rpc(user, model, method, args)
        self.assertIn(text, caught.exception.faultString)

    def _reports(self):
        return self.env["aftersales.work.report"].search([("request_id", "=", self.job.id)])

    def test_report_for_the_jobs_agent_only(self):
        self.assertRefused(
            "is not assigned to Agent B",
            self.api_operator,
            "aftersales.work.report",
            "create",
            [
                {
                    "request_id": self.job.id,
                    "agent_id": self.agent_b.id,
                    "report_type": "paid_repair",
                }
            ],
        )
        self.assertFalse(self._reports())
        # Without agent: the job's agent; the fee from its rate card.
        report_id = self.rpc(
            self.api_operator,
            "aftersales.work.report",
            "create",
            [{"request_id": self.job.id, "report_type": "paid_repair"}],
        )
        report = self.env["aftersales.work.report"].browse(report_id)
        self.assertEqual((report.agent_id, report.fee_amount), (self.agent_a, 300000))

    def test_bad_parts_and_adjustments(self):
        self.assertRefused(
            "quantity must be positive",
            self.api_operator,
            "aftersales.work.report",
            "create",
            [
                {
                    "request_id": self.job.id,
                    "report_type": "paid_repair",
                    "part_ids": [(0, 0, {"product_id": self.part.id, "quantity": -2})],
                }
            ],
        )
        self.assertFalse(self._reports())
        report = self._report(self.job, "paid_repair")
        self.assertRefused(
            "Only an after-sales manager may adjust a fee",
            self.api_operator,
            "aftersales.work.report",
            "write",
            [[report.id], {"fee_adjustment": 10000, "fee_adjustment_reason": "x"}],
        )
        self.assertRefused(
            "reason of the fee adjustment",
            self.api_manager,
            "aftersales.work.report",
            "write",
            [[report.id], {"fee_adjustment": 10000}],
        )
        self.assertFalse(report.fee_adjustment)

    def test_decisions_need_a_manager_and_a_reason(self):
        report = self._report(self.job, "paid_repair")
        report.action_submit()
        self.assertRefused(
            "Only an after-sales manager may approve",
            self.api_operator,
            "aftersales.work.report",
            "action_reject",
            [[report.id], "Photos missing"],
        )
        self.assertRefused(
            "Give the reason of the rejection",
            self.api_manager,
            "aftersales.work.report",
            "action_reject",
            [[report.id], " "],
        )
        self.assertRefused(
            "has not confirmed the visit",
            self.api_manager,
            "aftersales.work.report",
            "action_approve",
            [[report.id]],
        )
        self.assertEqual(report.state, "submitted")
        self.rpc(
            self.api_manager, "aftersales.work.report", "action_reject", [[report.id], "No photos"]
        )
        self.assertEqual((report.state, report.rejection_reason), ("rejected", "No photos"))
