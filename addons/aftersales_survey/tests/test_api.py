"""Happy-call and scorecard rules over XML-RPC (``execute_kw``) with only the keys a client
sends: refused with the user's message, nothing written by the refused call."""

import xmlrpc.client

from odoo.tests import HttpCase, new_test_user, tagged

from .common import SurveyCase


@tagged("post_install", "-at_install")
class TestSurveyApi(SurveyCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_operator = new_test_user(
            cls.env,
            login="svapi_operator",
            password="svapi_operator",
            groups="aftersales_base.group_aftersales_operator",
        )
        cls.api_admin = new_test_user(
            cls.env,
            login="svapi_admin",
            password="svapi_admin",
            groups="base.group_system,aftersales_base.group_aftersales_manager,"
            "survey.group_survey_manager",
        )

    def rpc(self, user, model, method, args, kwargs=None):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, user.login, model, method, args, kwargs or {}
        )

    def assertRefused(self, text, user, model, method, args):
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.rpc(user, model, method, args)
        self.assertIn(text, caught.exception.faultString)

    def test_call_for_a_job_not_done(self):
        job = self._job(self.agent_a)
        self.assertRefused(
            "is not done",
            self.api_operator,
            "aftersales.request",
            "action_queue_happy_call",
            [job.ids],
        )
        self.assertFalse(job.happy_call_ids)

    def test_locked_answers(self):
        job = self._done_job(technician=self.technician)
        call = job.happy_call_ids
        self._answer(call, [4, 3, 2])
        line = call.user_input_id.user_input_line_ids[:1]
        self.assertRefused(
            "locked once submitted",
            self.api_admin,
            "survey.user_input.line",
            "write",
            [line.ids, {"answer_score": 0}],
        )
        self.assertRefused(
            "are closed", self.api_operator, "aftersales.happy.call", "action_answer", [call.ids]
        )
        self.assertAlmostEqual(call.score, 75.0)
        self.assertEqual(call.state, "done")

    def test_weights_that_sum_to_zero(self):
        zero = {
            "aftersales_weight_satisfaction": 0,
            "aftersales_weight_complaints": 0,
            "aftersales_weight_workload": 0,
            "aftersales_weight_repeats": 0,
            "aftersales_weight_confirmed": 0,
            "aftersales_weight_sla": 0,
            "aftersales_weight_cores": 0,
        }
        self.assertRefused(
            "sum to zero", self.api_admin, "res.company", "write", [self.company.ids, zero]
        )
        self.company.invalidate_recordset()
        self.assertEqual(self.company.aftersales_weight_satisfaction, 40.0)
