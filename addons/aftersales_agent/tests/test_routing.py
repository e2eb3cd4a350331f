from odoo import Command
from odoo.tests import tagged

from .common import AgentCase


@tagged("post_install", "-at_install")
class TestRouting(AgentCase):
    def _new_request(self, state, city, service_type=None):
        return self.env["aftersales.request"].create(
            {
                "partner_id": self.customer.id,
                "service_type_id": (service_type or self.type_warranty).id,
                "state_id": state.id,
                "city": city,
                "line_ids": [Command.create({"product_id": self.heater.id, "serial_number": "X1"})],
            }
        )

    def test_coverage_routes_to_the_agent_and_logs_the_assignment(self):
        request = self._new_request(self.isfahan, "Kashan")
        self.assertEqual(request.agent_id, self.agent_b)
        self.assertEqual(request.agent_state, "new")
        self.assertEqual(request.agent_assignment_ids.mapped("outcome"), ["assigned"])
        self.assertEqual(request.agent_assignment_ids.agent_id, self.agent_b)

    def test_agent_at_capacity_is_passed_over_with_the_reason(self):
        # A second agent covers Tehran too, after A.
        # City rules (they beat the province rules of other data); C after A.
        backup = self._agent("Agent C Tehran", "AG-C", self.tehran, "Tehran")
        backup.aftersales_coverage_ids.write({"sequence": 20, "city": "Tehran"})
        self.agent_a.aftersales_coverage_ids.city = "Tehran"
        self.agent_a.aftersales_daily_capacity = 2
        first, second = (self._new_request(self.tehran, "Tehran") for _ in range(2))
        self.assertEqual((first | second).agent_id, self.agent_a)
        third = self._new_request(self.tehran, "Tehran")
        self.assertEqual(third.agent_id, backup)
        self.assertIn("Agent A Tehran is at capacity (2 jobs today)", third.agent_routing_note)
        self.assertFalse(first.agent_routing_note)

    def test_agent_without_the_service_type_is_passed_over(self):
        self.agent_b.aftersales_service_type_ids = self.type_install
        request = self._new_request(self.isfahan, "Isfahan", self.type_warranty)
        self.assertFalse(request.agent_id)
        self.assertIn("does not do", request.agent_routing_note)
        installation = self._new_request(self.isfahan, "Isfahan", self.type_install)
        self.assertEqual(installation.agent_id, self.agent_b)

    def test_decline_and_reassignment_keep_the_history(self):
        job = self._job(self.agent_a)
        job._agent_accept(self.agent_a)
        with self.assertRaisesRegex(Exception, "not a job of yours"):
            job._agent_accept(self.agent_b)
        with self.assertRaisesRegex(Exception, "Say why"):
            job._agent_decline(self.agent_a, "  ")
        job._agent_decline(self.agent_a, "No technician free this week")
        self.assertFalse(job.agent_id)
        self.assertFalse(job.agent_state)
        job.agent_id = self.agent_b
        self.assertEqual(job.agent_state, "new")
        history = job.agent_assignment_ids.sorted("id")
        self.assertEqual(
            [(h.agent_id.name, h.outcome) for h in history],
            [
                ("Agent A Tehran", "assigned"),
                ("Agent A Tehran", "accepted"),
                ("Agent A Tehran", "declined"),
                ("Agent B Isfahan", "assigned"),
            ],
        )
        self.assertEqual(history[2].reason, "No technician free this week")

    def test_routing_again_after_a_move_is_history_too(self):
        self.agent_a.aftersales_coverage_ids.city = "Tehran"
        request = self._new_request(self.isfahan, "Isfahan")
        self.assertEqual(request.agent_id, self.agent_b)
        request.agent_state = "accepted"
        request.write({"state_id": self.tehran.id, "city": "Tehran"})
        self.assertEqual(request.agent_id, self.agent_a)
        self.assertEqual(request.agent_state, "new")
        self.assertEqual(
            [(h.agent_id, h.outcome) for h in request.agent_assignment_ids.sorted("id")],
            [(self.agent_b, "assigned"), (self.agent_b, "reassigned"), (self.agent_a, "assigned")],
        )
