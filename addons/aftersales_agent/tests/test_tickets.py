"""Agent tickets: raised by an agent's user on the portal, linked to one of its own work
reports, answered in the backend through the chatter, private to the agent."""

import json
import re

from odoo import http
from odoo.addons.aftersales_base.tests.common import prepare_portal
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import AgentCase


class TicketsCase(AgentCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        prepare_portal(cls.env)
        cls.job_a = cls._job(cls.agent_a)
        cls.report_a = cls._report(cls.job_a)
        [lot_b] = cls._lots(cls.heater, "AGH-B-0001")
        cls.job_b = cls._job(cls.agent_b, lot=lot_b)
        cls.report_b = cls._report(cls.job_b)
        cls.ticket_b = cls.env["aftersales.agent.ticket"]._aftersales_create_from_portal(
            cls.user_b,
            {
                "subject": "Isfahan fee question",
                "ticket_type": "fee_dispute",
                "description": "Our installation fee looks low.",
                "work_report_id": cls.report_b.id,
            },
        )

    def _json(self, url, params):
        response = self.url_open(
            url,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def _rpc(self, model, method, args):
        return self._json(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": {}},
        )

    def _form(self, **values):
        data = {
            "csrf_token": http.Request.csrf_token(self),
            "subject": "Fee of my last repair",
            "ticket_type": "fee_dispute",
            "description": "The travel allowance is missing.",
            "work_report_id": self.report_a.id,
        }
        data.update(values)
        return data

    def _raise_as_a(self, **values):
        self.authenticate("agent_a", "agent_a")
        response = self.url_open("/my/tickets/new", data=self._form(**values))
        return response


@tagged("post_install", "-at_install")
class TestTickets(TicketsCase):
    def test_agent_raises_ticket_on_own_report(self):
        self.authenticate("agent_a", "agent_a")
        form_page = self.url_open("/my/tickets/new")
        self.assertEqual(form_page.status_code, 200)
        self.assertIn(f'value="{self.report_a.id}"', form_page.text)
        self.assertNotIn(f'value="{self.report_b.id}"', form_page.text, "only A's reports")
        response = self._raise_as_a()
        self.assertEqual(response.status_code, 200)
        ticket = self.env["aftersales.agent.ticket"].search([("agent_id", "=", self.agent_a.id)])
        self.assertEqual(len(ticket), 1)
        self.assertTrue(response.url.endswith(f"/my/tickets/{ticket.id}"))
        self.assertEqual(ticket.portal_user_id, self.user_a)
        self.assertEqual(ticket.work_report_id, self.report_a)
        self.assertEqual(ticket.ticket_type, "fee_dispute")
        self.assertEqual(ticket.state, "new")
        self.assertRegex(ticket.name, r"^AT\d{6}$")
        # The agent's users follow it, the other agent's do not.
        self.assertIn(self.user_a.partner_id, ticket.message_partner_ids)
        self.assertNotIn(self.user_b.partner_id, ticket.message_partner_ids)
        self.assertNotIn(self.user_a.partner_id, self.ticket_b.message_partner_ids)
        # A to-do for the after-sales managers.
        activity = ticket.activity_ids
        self.assertIn(self.manager, activity.user_id)
        self.assertFalse(activity.user_id.filtered("share"))
        # Listed for A, with the report's number.
        listing = self.url_open("/my/tickets")
        self.assertIn(ticket.name, listing.text)
        self.assertIn(self.report_a.name, listing.text)
        self.assertNotIn(self.ticket_b.name, listing.text)

    @mute_logger("odoo.http")
    def test_agent_cannot_link_another_agents_report(self):
        response = self._raise_as_a(work_report_id=self.report_b.id)
        self.assertEqual(response.status_code, 400)
        self.assertIn("not one of your agent&#39;s reports", response.text)
        self.assertIn("Fee of my last repair", response.text, "the form keeps what was typed")
        response = self._raise_as_a(work_report_id="abc")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(
            self.env["aftersales.agent.ticket"].search([("agent_id", "=", self.agent_a.id)])
        )
        # The model refuses it too, whoever writes.
        with self.assertRaisesRegex(ValidationError, "is not one of"):
            self.env["aftersales.agent.ticket"].create(
                {
                    "subject": "x",
                    "description": "x",
                    "agent_id": self.agent_a.id,
                    "work_report_id": self.report_b.id,
                }
            )

    def test_required_fields_refused(self):
        for values, message in (
            ({"subject": " "}, "Give your ticket a subject."),
            ({"description": ""}, "Describe your question or dispute."),
            ({"ticket_type": "refund"}, "Choose the type of your ticket."),
        ):
            with self.subTest(values=values):
                response = self._raise_as_a(**values)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
        self.assertFalse(
            self.env["aftersales.agent.ticket"].search([("agent_id", "=", self.agent_a.id)])
        )

    @mute_logger("odoo.http")
    def test_agent_cannot_open_another_agents_ticket(self):
        self.authenticate("agent_a", "agent_a")
        response = self.url_open(f"/my/tickets/{self.ticket_b.id}")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Isfahan fee question", response.text)
        self.authenticate("agent_b", "agent_b")
        response = self.url_open(f"/my/tickets/{self.ticket_b.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Isfahan fee question", response.text)

    @mute_logger("odoo.http")
    def test_json_rpc_read_of_another_agents_ticket(self):
        self.authenticate("agent_a", "agent_a")
        payload = self._rpc("aftersales.agent.ticket", "read", [[self.ticket_b.id], ["subject"]])
        self.assertIn("AccessError", payload["error"]["data"]["name"])
        payload = self._rpc("aftersales.agent.ticket", "search_read", [[], ["subject"]])
        self.assertEqual(payload["result"], [])
        payload = self._rpc(
            "aftersales.agent.ticket", "write", [[self.ticket_b.id], {"state": "closed"}]
        )
        self.assertIn("AccessError", payload["error"]["data"]["name"])
        self.assertEqual(self.ticket_b.state, "new")
        # Nor its messages through the chatter routes.
        payload = self._json(
            "/mail/chatter_fetch",
            {
                "thread_model": "aftersales.agent.ticket",
                "thread_id": self.ticket_b.id,
                "token": "x",
            },
        )
        self.assertIn("error", payload)

    @mute_logger("odoo.http")
    def test_backend_answer_shows_on_the_agents_page(self):
        self._raise_as_a()
        ticket = self.env["aftersales.agent.ticket"].search([("agent_id", "=", self.agent_a.id)])
        ticket.with_user(self.manager).message_post(
            body="Internal: check the settlement first.",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.assertEqual(ticket.state, "new", "an internal note answers nothing")
        ticket.with_user(self.manager).message_post(
            body="The travel allowance is added to the next settlement.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual(ticket.state, "answered")
        self.assertTrue(ticket.answered_date)
        self.assertFalse(ticket.activity_ids, "the managers' to-do is done once answered")

        page = self.url_open(f"/my/tickets/{ticket.id}")
        self.assertEqual(page.status_code, 200)
        token = re.search(r'data-token="([^"]+)"', page.text).group(1)
        self.assertIn('data-res_model="aftersales.agent.ticket"', page.text)
        # What the portal chatter loads on that page.
        result = self._json(
            "/mail/chatter_fetch",
            {"thread_model": "aftersales.agent.ticket", "thread_id": ticket.id, "token": token},
        )["result"]
        bodies = " ".join(str(msg["body"]) for msg in result["data"]["mail.message"])
        self.assertIn("The travel allowance is added to the next settlement.", bodies)
        self.assertNotIn("Internal: check the settlement first.", bodies)

        # A replies from the page: the ticket goes back to the company.
        reply = self._json(
            "/mail/message/post",
            {
                "thread_model": "aftersales.agent.ticket",
                "thread_id": ticket.id,
                "post_data": {
                    "body": "Thank you, when is the next one?",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
                "token": token,
            },
        )
        self.assertNotIn("error", reply)
        self.assertEqual(ticket.message_ids[0].author_id, self.user_a.partner_id)
        self.assertEqual(ticket.state, "in_progress")

    def test_state_filter_and_closed_ticket(self):
        self._raise_as_a()
        ticket = self.env["aftersales.agent.ticket"].search([("agent_id", "=", self.agent_a.id)])
        self.assertEqual(self.url_open("/my/tickets?state=closed").text.count(ticket.name), 0)
        self.assertIn(ticket.name, self.url_open("/my/tickets?state=new").text)
        ticket.with_user(self.manager).action_close()
        self.assertEqual(ticket.state, "closed")
        self.assertIn(ticket.name, self.url_open("/my/tickets?state=closed").text)
        self.assertNotIn(ticket.name, self.url_open("/my/tickets?state=open").text)
        page = self.url_open(f"/my/tickets/{ticket.id}")
        self.assertIn('data-allow_composer="0"', page.text)
        # Counted on the home page while open only.
        counters = self._json("/my/counters", {"counters": ["aftersales_agent_ticket_count"]})[
            "result"
        ]
        self.assertEqual(counters["aftersales_agent_ticket_count"], 0)

    def test_operator_starts_agent_is_fixed(self):
        Ticket = self.env["aftersales.agent.ticket"]
        ticket = Ticket.with_user(self.operator).browse(self.ticket_b.id)
        ticket.action_start()
        self.assertEqual(ticket.state, "in_progress")
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            ticket.write({"agent_id": self.agent_a.id})
