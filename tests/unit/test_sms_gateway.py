"""SMS adapters against a real HTTP server on loopback that answers like the provider."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import load_tools

load_tools("aftersales_base")
import aftersales_base_tools.sms_gateway as gw  # noqa: E402


class FakePanel(BaseHTTPRequestHandler):
    mode = "ok"
    calls = []

    def log_message(self, *args):
        pass

    def _answer(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        form = parse_qs(self.rfile.read(length).decode())
        FakePanel.calls.append((self.path, form))
        if FakePanel.mode == "down":
            self._answer(503, {"error": "maintenance"})
        elif FakePanel.mode == "badkey":
            self._answer(200, {"return": {"status": 401, "message": "bad key"}, "entries": None})
        elif "/sms/sendarray.json" in self.path:
            receptors = json.loads(form["receptor"][0])
            entries = [
                {"messageid": 1000 + i, "receptor": r, "status": 1} for i, r in enumerate(receptors)
            ]
            self._answer(200, {"return": {"status": 200, "message": "ok"}, "entries": entries})
        else:
            status = 400 if form.get("to", [""])[0] == "bad" else 200
            self._answer(status, {"id": 7})

    def do_GET(self):
        FakePanel.calls.append((self.path, parse_qs(urlparse(self.path).query)))
        self._answer(200, {"id": 8})


@pytest.fixture
def panel():
    FakePanel.mode = "ok"
    FakePanel.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakePanel)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


MESSAGES = [
    gw.SmsMessage(1, "09121234567", "سلام، درخواست شما ثبت شد"),
    gw.SmsMessage(2, "09351112233", "OK"),
]


def test_kavenegar_batch_sent(panel):
    adapter = gw.KavenegarAdapter(f"{panel}/v1", "KEY", "10004346", timeout=2)
    results = adapter.send(MESSAGES)
    assert [(r.uid, r.state, r.provider_ref) for r in results] == [
        (1, "sent", "1000"),
        (2, "sent", "1001"),
    ]
    assert len(FakePanel.calls) == 1, "one call for the batch"
    path, form = FakePanel.calls[0]
    assert path == "/v1/KEY/sms/sendarray.json"
    assert json.loads(form["message"][0])[0] == "سلام، درخواست شما ثبت شد"


def test_kavenegar_bad_key_is_permanent(panel):
    FakePanel.mode = "badkey"
    results = gw.KavenegarAdapter(panel, "WRONG", "1000", timeout=2).send(MESSAGES)
    assert {r.state for r in results} == {"error"}
    assert results[0].error == "invalid API key"


def test_provider_down_keeps_messages_for_retry(panel):
    FakePanel.mode = "down"
    adapter = gw.KavenegarAdapter(panel, "KEY", "1000", timeout=2, retries=2, backoff=0)
    results = adapter.send(MESSAGES)
    assert {r.state for r in results} == {"retry"}
    assert "503" in results[0].error
    assert len(FakePanel.calls) == 3, "first try and two retries"


def test_unreachable_provider_is_retry_not_error():
    adapter = gw.KavenegarAdapter("http://127.0.0.1:9", "KEY", "1000", timeout=0.5, retries=0)
    assert {r.state for r in adapter.send(MESSAGES)} == {"retry"}


def test_generic_adapter_post_and_get(panel):
    adapter = gw.GenericHttpAdapter(
        f"{panel}/send", "KEY", "3000", params={"to": "to", "text": "msg"}, timeout=2
    )
    results = adapter.send([*MESSAGES, gw.SmsMessage(3, "bad", "x")])
    assert [r.state for r in results] == ["sent", "sent", "error"]
    assert FakePanel.calls[0][1]["msg"] == ["سلام، درخواست شما ثبت شد"]
    assert FakePanel.calls[0][1]["apikey"] == ["KEY"]
    get = gw.GenericHttpAdapter(f"{panel}/send", "KEY", "3000", method="GET", timeout=2)
    assert get.send(MESSAGES[:1])[0].state == "sent"
    assert FakePanel.calls[-1][1]["to"] == ["09121234567"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello", ("GSM-7", 1)),
        ("a" * 160, ("GSM-7", 1)),
        ("a" * 161, ("GSM-7", 2)),
        ("{" * 80, ("GSM-7", 1)),
        ("{" * 81, ("GSM-7", 2)),
        ("س" * 70, ("UCS-2", 1)),
        ("س" * 71, ("UCS-2", 2)),
        ("س" * 134, ("UCS-2", 2)),
        ("س" * 135, ("UCS-2", 3)),
        ("", ("GSM-7", 1)),
    ],
)
def test_sms_parts(text, expected):
    assert gw.sms_parts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AS0000123 3", ("AS0000123", "3")),
        ("  as0000123   done ", ("AS0000123", "DONE")),
        ("AS۰۰۰۰۱۲۳-۵", ("AS0000123", "5")),
        ("AS0000123", None),
        ("Hello, when do you come?", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_status_reply(text, expected):
    assert gw.parse_status_reply(text) == expected
