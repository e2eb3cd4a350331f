"""SMS through the company's panel, against a real HTTP server on loopback."""

import json
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import AftersalesCase


class FakeKavenegar(BaseHTTPRequestHandler):
    mode = "ok"
    calls = []

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        form = parse_qs(self.rfile.read(length).decode())
        FakeKavenegar.calls.append((self.path, form))
        if FakeKavenegar.mode == "down":
            status, payload = 503, {"error": "maintenance"}
        elif FakeKavenegar.mode == "credit":
            status, payload = 200, {"return": {"status": 418, "message": "credit"}, "entries": None}
        else:
            receptors = json.loads(form["receptor"][0])
            entries = [
                {"messageid": 5000 + i, "receptor": r, "status": 1} for i, r in enumerate(receptors)
            ]
            status, payload = 200, {"return": {"status": 200, "message": "ok"}, "entries": entries}
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class SmsServerMixin:
    @classmethod
    def _start_panel(cls):
        FakeKavenegar.mode = "ok"
        FakeKavenegar.calls = []
        cls.panel = ThreadingHTTPServer(("127.0.0.1", 0), FakeKavenegar)
        threading.Thread(target=cls.panel.serve_forever, daemon=True).start()
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
                "max_attempts": 2,
            }
        )
        cls.tech_a.partner_id.mobile = "0912 000 1111"

    def setUp(self):
        super().setUp()
        FakeKavenegar.mode = "ok"
        FakeKavenegar.calls = []

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

    def test_provider_down_keeps_messages_queued_then_errors(self):
        FakeKavenegar.mode = "down"
        sms = self._queue(2)
        sms.send()
        self.assertEqual(set(sms.mapped("state")), {"outgoing"}, "nothing lost")
        self.assertIn("503", sms[0].aftersales_error)
        self.assertEqual(sms[0].aftersales_attempts, 1)
        sms.send()  # the cron's next run
        self.assertEqual(set(sms.mapped("state")), {"error"})
        self.assertEqual(sms[0].failure_type, "sms_server")
        FakeKavenegar.mode = "ok"
        sms.resend_failed()
        # Kept (not garbage-collected) so that the delivery report can find them.
        self.assertEqual(set(sms.mapped("state")), {"pending"})
        self.assertTrue(all(sms.mapped("aftersales_provider_ref")))

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
