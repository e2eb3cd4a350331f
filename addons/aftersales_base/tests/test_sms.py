"""SMS through the company's panel, against a real HTTP server on loopback."""

import json
import threading
from collections import Counter
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import AftersalesCase


class FakeKavenegar(BaseHTTPRequestHandler):
    """A panel: Kavenegar-style batches, or one message per call on ``/send`` (generic).

    ``delivered`` counts, per (number, text), the times the panel took a message.
    """

    mode = "ok"  # ok | down (503) | credit | badkey (generic: 401) | busy
    calls = []
    busy_calls = 0  # mode "busy": the first busy_calls requests get 429
    retry_after = None  # Retry-After header of those 429 answers
    delivered = Counter()

    @classmethod
    def reset(cls):
        cls.mode, cls.calls, cls.busy_calls, cls.retry_after = "ok", [], 0, None
        cls.delivered = Counter()

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        form = parse_qs(self.rfile.read(length).decode())
        FakeKavenegar.calls.append((self.path, form))
        headers = {}
        generic = self.path.endswith("/send")
        if FakeKavenegar.mode == "down":
            status, payload = 503, {"error": "maintenance"}
        elif FakeKavenegar.mode == "busy" and len(FakeKavenegar.calls) <= FakeKavenegar.busy_calls:
            status, payload = 429, {"error": "too many requests"}
            if FakeKavenegar.retry_after:
                headers["Retry-After"] = FakeKavenegar.retry_after
        elif FakeKavenegar.mode == "credit":
            status, payload = 200, {"return": {"status": 418, "message": "credit"}, "entries": None}
        elif FakeKavenegar.mode == "badkey":
            status, payload = 401, {"error": "unknown key"}
        elif generic:
            FakeKavenegar.delivered[(form["to"][0], form["text"][0])] += 1
            status, payload = 200, {"id": len(FakeKavenegar.calls)}
        else:
            receptors = json.loads(form["receptor"][0])
            texts = json.loads(form["message"][0])
            FakeKavenegar.delivered.update(zip(receptors, texts, strict=True))
            entries = [
                {"messageid": 5000 + i, "receptor": r, "status": 1} for i, r in enumerate(receptors)
            ]
            status, payload = 200, {"return": {"status": 200, "message": "ok"}, "entries": entries}
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class SmsServerMixin:
    @classmethod
    def _start_panel(cls):
        FakeKavenegar.reset()
        cls.panel = ThreadingHTTPServer(("127.0.0.1", 0), FakeKavenegar)
        threading.Thread(
            target=cls.panel.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        cls.addClassCleanup(cls.panel.server_close)
        cls.addClassCleanup(cls.panel.shutdown)
        return f"http://127.0.0.1:{cls.panel.server_address[1]}/v1"


@tagged("post_install", "-at_install")
class TestSmsProvider(AftersalesCase, SmsServerMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.env["aftersales.sms.provider"].create(
            {
                "name": "Test panel",
                "endpoint": cls._start_panel(),
                "api_key": "KEY",
                "sender": "10004346",
                "timeout": 2,
                "retries": 1,
            }
        )
        cls.tech_a.partner_id.mobile = "0912 000 1111"

    def setUp(self):
        super().setUp()
        FakeKavenegar.reset()

    def _queue(self, count=3):
        return self.env["sms.sms"].create(
            [{"number": f"+98912000{2000 + i}", "body": f"پیام {i}"} for i in range(count)]
        )

    def test_queue_goes_through_the_panel_in_one_call(self):
        sms = self._queue()
        sms.send(unlink_sent=False)
        self.assertEqual(set(sms.mapped("state")), {"pending"})
        self.assertEqual(sms.mapped("aftersales_provider_ref"), ["5000", "5001", "5002"])
        self.assertEqual(len(FakeKavenegar.calls), 1)
        self.assertEqual(json.loads(FakeKavenegar.calls[0][1]["message"][0])[0], "پیام 0")

    def test_provider_down_keeps_messages_queued(self):
        FakeKavenegar.mode = "down"
        sms = self._queue(2)
        with freeze_time("2025-05-01 08:00:00"):
            sms.send()
        self.assertEqual(set(sms.mapped("state")), {"outgoing"}, "nothing lost")
        self.assertIn("503", sms[0].aftersales_error)
        self.assertEqual(sms[0].aftersales_attempts, 1)
        self.assertEqual(sms[0].aftersales_first_try, datetime(2025, 5, 1, 8, 0))
        self.assertEqual(sms[0].aftersales_next_try, datetime(2025, 5, 1, 8, 1))
        self.assertEqual(len(FakeKavenegar.calls), 2, "one try and one retry for the batch")
        FakeKavenegar.mode = "ok"
        with freeze_time("2025-05-01 08:00:10"):
            sms.send()  # "Send Now" by hand does not wait for the next try
        self.assertEqual(set(sms.mapped("state")), {"pending"})
        self.assertFalse(any(sms.mapped("aftersales_next_try")))
        self.assertEqual(set(FakeKavenegar.delivered.values()), {1})

    def test_no_credit_is_a_clear_error(self):
        FakeKavenegar.mode = "credit"
        sms = self._queue(1)
        sms.send()
        self.assertEqual(sms.state, "error")
        self.assertEqual(sms.failure_type, "sms_credit")

    def test_persian_part_count(self):
        sms = self.env["sms.sms"].create({"number": "+989120002000", "body": "س" * 71})
        self.assertEqual(sms.aftersales_parts, 2)

    def test_request_notifies_customer_and_technician(self):
        request = self._create_request(
            phone=False, mobile="0912 345 6789", technician_id=self.tech_a.id
        )
        queued = self.env["sms.sms"].search([("mail_message_id.res_id", "=", request.id)])
        self.assertEqual(set(queued.mapped("number")), {"+989123456789", "+989120001111"})
        self.assertTrue(any(request.name in body for body in queued.mapped("body")))
        self.assertEqual(set(queued.mapped("state")), {"outgoing"}, "queued, sent by the cron")

    def test_dispatch_digest_one_sms_per_technician(self):
        with freeze_time("2025-05-01 12:00:00"):
            for hour in (8, 11):
                self._create_request(
                    technician_id=self.tech_a.id,
                    scheduled_date=datetime(2025, 5, 2, hour),
                    phone=f"021 2233 44{hour:02d}",
                )
            self._create_request(
                technician_id=self.tech_a.id, scheduled_date=datetime(2025, 5, 4, 9)
            )
            digest = self.env["aftersales.request"]._cron_send_dispatch_digest()
        self.assertEqual(len(digest), 1)
        self.assertEqual(digest.number, "0912 000 1111")
        self.assertEqual(digest.body.count("AS"), 2)
        self.provider.active = False
        with freeze_time("2025-05-01 12:00:00"):
            self.assertFalse(
                self.env["aftersales.request"]._cron_send_dispatch_digest(),
                "no SMS at all without the company's own panel",
            )


T0 = datetime(2025, 5, 1, 8, 0)


@tagged("post_install", "-at_install")
class TestSmsRetry(AftersalesCase, SmsServerMixin):
    """No SMS lost when the panel is slow or down: Odoo's queue run, time moved forward."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.endpoint = cls._start_panel()
        cls.provider = cls.env["aftersales.sms.provider"].create(
            {
                "name": "Retry panel",
                "endpoint": cls.endpoint,
                "api_key": "KEY",
                "sender": "10004346",
                "timeout": 2,
                "retries": 0,
            }
        )
        cls.cron = cls.env.ref("sms.ir_cron_sms_scheduler_action")
        cls.cron.write({"active": True, "nextcall": T0 + timedelta(days=1)})
        cls.Sms = cls.env["sms.sms"]

    def setUp(self):
        super().setUp()
        FakeKavenegar.reset()
        self.frozen = freeze_time(T0)
        self.frozen.start()
        self.addCleanup(self.frozen.stop)

    def _queue(self, count=3, prefix="0912000"):
        return self.Sms.create(
            [{"number": f"+98{prefix[1:]}{3000 + i}", "body": f"پیام {i}"} for i in range(count)]
        )

    def _run_queue(self, at):
        self.frozen.stop()
        self.frozen = freeze_time(at)
        self.frozen.start()
        self.Sms._process_queue()

    def _each_once(self, sms):
        """What the panel must have taken: each message exactly once."""
        return Counter(dict.fromkeys(zip(sms.mapped("number"), sms.mapped("body"), strict=True), 1))

    def _waiting(self, sms):
        return sms.filtered(lambda s: s.state == "outgoing")

    def _triggers(self):
        return self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)])

    def _use_generic_panel(self):
        self.provider.write({"provider_type": "generic", "endpoint": f"{self.endpoint}/send"})

    def test_outage_longer_than_the_old_budget_then_each_message_sent_once(self):
        FakeKavenegar.mode = "down"
        sms = self._queue(3)
        self._run_queue(T0)
        self.assertEqual(set(sms.mapped("state")), {"outgoing"})
        self.assertEqual(set(sms.mapped("aftersales_next_try")), {T0 + timedelta(minutes=1)})
        self.assertEqual(set(sms.mapped("aftersales_first_try")), {T0})
        self.assertEqual(self._triggers().mapped("call_at"), [T0 + timedelta(minutes=1)])

        self._run_queue(T0 + timedelta(seconds=30))
        self.assertEqual(len(FakeKavenegar.calls), 1, "waiting messages are not offered")
        self.assertEqual(len(self._triggers()), 1, "the pending trigger serves")

        delays = []
        for _run in range(8):  # the old budget was 5 tries
            now = sms[0].aftersales_next_try
            self._run_queue(now)
            self.assertEqual(set(sms.mapped("state")), {"outgoing"})
            delays.append((sms[0].aftersales_next_try - now).total_seconds() / 60)
            self.assertIn(sms[0].aftersales_next_try, self._triggers().mapped("call_at"))
        self.assertEqual(delays, [2, 4, 8, 16, 32, 60, 60, 60], "minutes between tries")
        self.assertEqual(sms[0].aftersales_attempts, 9)
        self.assertEqual(len(FakeKavenegar.calls), 9, "one call per run: the batch")

        FakeKavenegar.mode = "ok"
        self._run_queue(sms[0].aftersales_next_try)
        self.assertEqual(set(sms.mapped("state")), {"pending"})
        self.assertFalse(any(sms.mapped("aftersales_next_try")))
        self.assertEqual(sms.mapped("aftersales_provider_ref"), ["5000", "5001", "5002"])
        self._run_queue(sms[0].write_date + timedelta(days=1))
        self.assertEqual(
            FakeKavenegar.delivered,
            self._each_once(sms),
            "every message delivered exactly once",
        )
        self.assertFalse(self.provider.activity_ids)

    def test_rate_limited_panel_delivers_every_message(self):
        self._use_generic_panel()
        FakeKavenegar.mode, FakeKavenegar.busy_calls, FakeKavenegar.retry_after = "busy", 2, "150"
        sms = self._queue(3)
        self._run_queue(T0)
        self.assertEqual(len(FakeKavenegar.calls), 1, "a 429 ends the run: no hammering")
        self.assertEqual(set(sms.mapped("state")), {"outgoing"})
        self.assertEqual(set(sms.mapped("aftersales_error")), {"HTTP 429"})
        self.assertEqual(
            set(sms.mapped("aftersales_next_try")),
            {T0 + timedelta(seconds=150)},
            "Retry-After is honoured over the first one-minute delay",
        )
        self._run_queue(T0 + timedelta(seconds=100))
        self.assertEqual(len(FakeKavenegar.calls), 1)
        self._run_queue(T0 + timedelta(seconds=150))
        self.assertEqual(len(FakeKavenegar.calls), 2)
        self.assertEqual(set(sms.mapped("state")), {"outgoing"})
        self._run_queue(sms[0].aftersales_next_try)
        self.assertEqual(set(sms.mapped("state")), {"pending"})
        self.assertEqual(len(FakeKavenegar.calls), 5)
        self.assertEqual(
            FakeKavenegar.delivered,
            self._each_once(sms),
        )

    def test_permanent_errors_fail_at_once(self):
        self._use_generic_panel()
        self.provider.retries = 2
        FakeKavenegar.mode = "badkey"
        sms = self._queue(2)
        self._run_queue(T0)
        self.assertEqual(set(sms.mapped("state")), {"error"})
        self.assertEqual(set(sms.mapped("failure_type")), {"sms_acc"})
        self.assertFalse(any(sms.mapped("aftersales_next_try")))
        self.assertEqual(len(FakeKavenegar.calls), 2, "no retry of a wrong key")
        self.provider.write({"provider_type": "kavenegar", "endpoint": self.endpoint})
        FakeKavenegar.mode = "credit"
        credit = self._queue(2, prefix="0935000")
        self._run_queue(T0 + timedelta(minutes=5))
        self.assertEqual(set(credit.mapped("failure_type")), {"sms_credit"})
        self.assertEqual(len(FakeKavenegar.calls), 3)
        self.assertFalse(self._triggers(), "nothing to come back for")
        self.assertFalse(self.provider.activity_ids, "a visible error already, no to-do")

    def test_one_panel_failure_does_not_cost_every_batch(self):
        FakeKavenegar.mode = "down"
        sms = self._queue(450)  # three batches of the Kavenegar-style panel
        self._run_queue(T0)
        self.assertEqual(len(FakeKavenegar.calls), 1)
        self.assertEqual(set(sms.mapped("state")), {"outgoing"})
        self.assertEqual(set(sms.mapped("aftersales_attempts")), {1})

    def test_after_the_deadline_one_todo_lists_the_messages(self):
        self.provider.write({"retry_deadline_hours": 2, "responsible_id": self.operator.id})
        FakeKavenegar.mode = "down"
        early = self._queue(2)
        self._run_queue(T0)
        late = self._queue(1, prefix="0935000")
        self._run_queue(T0 + timedelta(minutes=30))
        sms = early | late
        while early.filtered(lambda s: s.state == "outgoing"):
            self._run_queue(min(self._waiting(sms).mapped("aftersales_next_try")))
        self.assertEqual(early.mapped("aftersales_next_try"), [False, False])
        self.assertEqual(fields.Datetime.now(), T0 + timedelta(hours=2), "last try on the deadline")
        self.assertEqual(set(early.mapped("failure_type")), {"sms_expired"})
        self.assertIn("HTTP 503", early[0].aftersales_error, "the panel's last answer is kept")
        self.assertEqual(late.state, "outgoing", "its own deadline is later")

        activity = self.provider.activity_ids
        self.assertEqual(len(activity), 1, "one to-do for the run, not one per message")
        self.assertEqual(activity.user_id, self.operator)
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))
        operator_env = self.env["res.users"].with_context(lang=self.operator.lang).env
        self.assertEqual(activity.summary, operator_env._("SMS not delivered"))
        for number in early.mapped("number"):
            self.assertIn(number, activity.note)
        self.assertNotIn(late.number, activity.note)
        self.assertTrue(activity.with_user(self.operator).read(["summary"]))

        while late.state == "outgoing":
            self._run_queue(late.aftersales_next_try)
        self.assertEqual(late.failure_type, "sms_expired")
        self.assertEqual(self.provider.activity_ids, activity, "added to the open to-do")
        self.assertIn(late.number, activity.note)
        calls = len(FakeKavenegar.calls)
        self._run_queue(T0 + timedelta(days=1))
        self.assertEqual(len(FakeKavenegar.calls), calls, "given up: not offered again")

        activity.action_feedback(feedback="panel renewed")
        FakeKavenegar.mode = "ok"
        sms.resend_failed()
        self.assertEqual(set(sms.mapped("state")), {"pending"}, "a new window, sent")
        self.assertEqual(
            FakeKavenegar.delivered,
            self._each_once(sms),
        )

        FakeKavenegar.mode = "down"
        again = self._queue(1, prefix="0936000")
        self._run_queue(T0 + timedelta(days=2))
        while again.state == "outgoing":
            self._run_queue(again.aftersales_next_try)
        new_activity = self.provider.activity_ids
        self.assertEqual(len(new_activity), 1)
        self.assertNotEqual(new_activity, activity, "the done to-do is not reopened")
        self.assertIn(again.number, new_activity.note)
        self.assertNotIn(early[0].number, new_activity.note)

    def test_retry_by_hand_starts_a_new_window(self):
        FakeKavenegar.mode = "down"
        sms = self._queue(1)
        self._run_queue(T0)
        sms.action_set_canceled()
        sms.action_set_outgoing()
        self.assertFalse(sms.aftersales_first_try)
        self.assertFalse(sms.aftersales_next_try)
        self.assertEqual(sms.aftersales_attempts, 0)
        self.assertIn(T0 + timedelta(minutes=1), self._triggers().mapped("call_at"))

    def test_responsible_user(self):
        manager_group = self.env.ref("aftersales_base.group_aftersales_manager")
        default = self.provider._get_responsible()
        self.assertIn(manager_group, default.groups_id, "an after-sales manager")
        self.assertIn(self.env.company, default.company_ids)
        self.provider.responsible_id = self.operator
        self.assertEqual(self.provider._get_responsible(), self.operator)
        self.operator.active = False
        self.assertEqual(self.provider._get_responsible(), default)

        other = self.env["res.company"].create({"name": "Branch without a manager"})
        creator = new_test_user(
            self.env,
            login="sms_creator",
            groups="aftersales_base.group_aftersales_manager",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        provider = (
            self.env["aftersales.sms.provider"]
            .with_user(creator)
            .create(
                {
                    "name": "Branch panel",
                    "endpoint": self.endpoint,
                    "api_key": "K",
                    "sender": "1",
                    "company_id": other.id,
                }
            )
        )
        self.assertEqual(provider._get_responsible(), creator, "the branch's manager")
        creator.groups_id = [Command.unlink(manager_group.id)]
        self.assertNotIn(manager_group, creator.groups_id)
        self.assertEqual(provider._get_responsible(), creator)


@tagged("post_install", "-at_install")
class TestSmsInbound(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.ir")
        cls.provider = cls.env["aftersales.sms.provider"].create(
            {
                "name": "Inbound panel",
                "endpoint": "http://127.0.0.1:9/v1",
                "api_key": "K",
                "sender": "1",
            }
        )
        cls.token = cls.provider.inbound_token
        technician = cls.env["res.users"].create(
            {
                "name": "SMS Technician",
                "login": "sms_tech",
                "groups_id": [
                    Command.link(cls.env.ref("aftersales_base.group_aftersales_technician").id)
                ],
            }
        )
        technician.partner_id.mobile = "0912 999 8877"
        device = cls.env["product.product"].create({"name": "SMS Device"})
        cls.request = (
            cls.env["aftersales.request"]
            .with_context(aftersales_no_sms=True)
            .create(
                {
                    "partner_name": "SMS Customer",
                    "mobile": "0935 222 3344",
                    "service_type_id": cls.env.ref("aftersales_base.service_type_ins").id,
                    "technician_id": technician.id,
                    "line_ids": [Command.create({"product_id": device.id})],
                }
            )
        )

    def _post(self, token, **data):
        return self.url_open(f"/aftersales/sms/inbound/{token}", data=data)

    def test_wrong_token_is_refused_and_touches_nothing(self):
        before = self.env["aftersales.sms.inbound"].search_count([])
        response = self._post("not-the-token", **{"from": "09129998877", "message": "x 1"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.env["aftersales.sms.inbound"].search_count([]), before)

    def test_malformed_payload_is_refused(self):
        response = self._post(self.token, message="no sender")
        self.assertEqual(response.status_code, 400)

    def test_status_reply_from_the_technician_moves_the_request(self):
        response = self._post(
            self.token, **{"from": "+989129998877", "message": f"{self.request.name} 3"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.request.stage_id, self.env.ref("aftersales_base.stage_progress"))
        inbound = self.env["aftersales.sms.inbound"].search([("request_id", "=", self.request.id)])
        self.assertEqual(inbound.state, "applied")

    def test_status_reply_from_a_stranger_is_not_applied(self):
        stage = self.request.stage_id
        self._post(self.token, **{"from": "09121110000", "message": f"{self.request.name} 7"})
        self.assertEqual(self.request.stage_id, stage)
        inbound = self.env["aftersales.sms.inbound"].search([("sender", "=", "09121110000")])
        self.assertEqual(inbound.state, "unmatched")

    def test_customer_message_lands_on_the_request(self):
        self._post(self.token, **{"from": "09352223344", "message": "When will you come?"})
        inbound = self.env["aftersales.sms.inbound"].search([("sender", "=", "09352223344")])
        self.assertEqual(inbound.state, "attached")
        self.assertEqual(inbound.request_id, self.request)
        self.assertIn("When will you come?", self.request.message_ids[0].body)

    def test_delivery_report_marks_the_sms_delivered(self):
        sms = self.env["sms.sms"].create(
            {
                "number": "+989352223344",
                "body": "x",
                "state": "pending",
                "aftersales_provider_ref": "777",
            }
        )
        response = self._post(self.token, messageid="777", status="10")
        self.assertEqual(response.text, "delivered")
        self.assertEqual(sms.state, "sent")
