"""SMS adapters against a real HTTP server on loopback that answers like the provider."""

import json
import threading
from collections import Counter
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import load_tools

load_tools("aftersales_base")
import aftersales_base_tools.sms_gateway as gw  # noqa: E402


class FakePanel(BaseHTTPRequestHandler):
    mode = "ok"
    calls = []
    # mode "busy": answer ``status`` with ``Retry-After: retry_after`` (if set) to the
    # first ``busy_calls`` requests, then take the messages.
    status = 429
    retry_after = None
    busy_calls = 0
    fail_after = None  # answer 503 once this many requests were received
    delivered = Counter()

    def log_message(self, *args):
        pass

    def _answer(self, status, payload, headers=None):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        form = parse_qs(self.rfile.read(length).decode())
        FakePanel.calls.append((self.path, form))
        if FakePanel.mode == "down" or (
            FakePanel.fail_after is not None and len(FakePanel.calls) > FakePanel.fail_after
        ):
            self._answer(503, {"error": "maintenance"})
        elif FakePanel.mode == "busy" and len(FakePanel.calls) <= FakePanel.busy_calls:
            headers = {}
            if FakePanel.retry_after is not None:
                headers["Retry-After"] = FakePanel.retry_after
            self._answer(FakePanel.status, {"error": "busy"}, headers)
        elif FakePanel.mode == "badkey":
            self._answer(200, {"return": {"status": 401, "message": "bad key"}, "entries": None})
        elif "/sms/sendarray.json" in self.path:
            receptors = json.loads(form["receptor"][0])
            entries = [
                {"messageid": 1000 + i, "receptor": r, "status": 1} for i, r in enumerate(receptors)
            ]
            self._answer(200, {"return": {"status": 200, "message": "ok"}, "entries": entries})
        else:
            number = form.get("to", [""])[0]
            status = {"bad": 400, "nokey": 401, "broke": 402}.get(number, 200)
            if status == 200:
                FakePanel.delivered[number] += 1
            self._answer(status, {"id": 7})

    def do_GET(self):
        FakePanel.calls.append((self.path, parse_qs(urlparse(self.path).query)))
        self._answer(200, {"id": 8})


@pytest.fixture
def panel():
    FakePanel.mode = "ok"
    FakePanel.calls = []
    FakePanel.status = 429
    FakePanel.retry_after = None
    FakePanel.busy_calls = 0
    FakePanel.fail_after = None
    FakePanel.delivered = Counter()
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakePanel)
    # A short poll: shutdown() waits for it, once per test.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
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
    ("status", "transient"),
    [
        (200, False),
        (400, False),
        (401, False),
        (402, False),
        (404, False),
        (408, True),
        (418, False),
        (425, True),
        (429, True),
        (500, True),
        (502, True),
        (503, True),
        (599, True),
    ],
)
def test_transient_statuses(status, transient):
    assert gw.is_transient_status(status) is transient


NOW = datetime(2025, 5, 1, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Thu, 01 May 2025 12:05:00 GMT", 300.0),
        ("Thursday, 01-May-25 12:00:30 GMT", 30.0),  # obsolete RFC 850 form
        ("Thu, 01 May 2025 11:00:00 GMT", 0.0),  # in the past: now
        ("Thu, 01 May 2025 15:35:00 +0330", 300.0),  # Tehran time
        (None, None),
        ("", None),
        ("soon", None),
        ("-5", None),
        ("1.5", None),
    ],
)
def test_parse_retry_after(header, seconds):
    assert gw.parse_retry_after(header, now=NOW) == seconds


def test_retry_delays_grow_to_a_cap_and_honour_retry_after():
    assert [gw.retry_delay(n) for n in range(1, 10)] == [
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
        3600,
    ]
    assert gw.retry_delay(10**6) == 3600, "no overflow after many tries"
    assert gw.retry_delay(1, retry_after=600) == 600, "the panel asked for longer"
    assert gw.retry_delay(5, retry_after=10) == 960, "never sooner than the schedule"


def test_next_try_until_the_deadline():
    first = datetime(2025, 5, 1, 0, 0)
    assert gw.next_try_at(first, first, 1, 24) == first + timedelta(minutes=1)
    later = first + timedelta(hours=10)
    assert gw.next_try_at(later, first, 12, 24) == later + timedelta(hours=1)
    # The last try falls on the deadline, not after it; then the message is given up.
    near = first + timedelta(hours=23, minutes=50)
    assert gw.next_try_at(near, first, 30, 24) == first + timedelta(hours=24)
    assert gw.next_try_at(first + timedelta(hours=24), first, 31, 24) is None
    # A Retry-After beyond the deadline still ends at the deadline.
    assert gw.next_try_at(first, first, 1, 2, retry_after=86400) == first + timedelta(hours=2)


def test_schedule_covers_an_outage_of_hours_with_few_tries():
    first = now = datetime(2025, 5, 1, 0, 0)
    tries = 1
    while (now := gw.next_try_at(now, first, tries, 24)) is not None:
        tries += 1
    assert 25 < tries < 40, "about hourly once the delays reach the cap"


def test_rate_limited_panel_is_not_hammered(panel):
    """429 with Retry-After: no immediate retry, and the rest of the run waits too."""
    FakePanel.mode, FakePanel.busy_calls, FakePanel.retry_after = "busy", 1, "90"
    adapter = gw.GenericHttpAdapter(f"{panel}/send", "KEY", "3000", timeout=2, retries=2)
    results = adapter.send(MESSAGES)
    assert [(r.state, r.error, r.retry_after) for r in results] == [
        ("retry", "HTTP 429", 90.0),
        ("retry", "HTTP 429", 90.0),
    ]
    assert len(FakePanel.calls) == 1, "one request, then the panel is left alone"
    assert adapter.send(MESSAGES[:1])[0].state == "retry", "same adapter: same queue run"
    assert len(FakePanel.calls) == 1
    fresh = gw.GenericHttpAdapter(f"{panel}/send", "KEY", "3000", timeout=2)
    assert [r.state for r in fresh.send(MESSAGES)] == ["sent", "sent"]
    assert FakePanel.delivered == Counter({"09121234567": 1, "09351112233": 1})


@pytest.mark.parametrize("status", [408, 425, 429, 500, 503])
def test_generic_transient_statuses_are_retried_not_failed(panel, status):
    FakePanel.mode, FakePanel.status, FakePanel.busy_calls = "busy", status, 1
    adapter = gw.GenericHttpAdapter(f"{panel}/send", "KEY", "3000", timeout=2, retries=1, backoff=0)
    results = adapter.send(MESSAGES)
    assert [r.state for r in results] == ["sent", "sent"], "retried within the call"
    assert len(FakePanel.calls) == 3
    FakePanel.calls, FakePanel.busy_calls = [], 5
    adapter = gw.GenericHttpAdapter(f"{panel}/send", "KEY", "3000", timeout=2, retries=1, backoff=0)
    results = adapter.send(MESSAGES)
    assert [(r.state, r.error, r.retry_after) for r in results] == [
        ("retry", f"HTTP {status}", None),
        ("retry", f"HTTP {status}", None),
    ]
    assert len(FakePanel.calls) == 2, "two tries for the first message, none for the second"


def test_generic_keeps_what_was_sent_before_the_panel_failed(panel):
    FakePanel.fail_after = 1
    adapter = gw.GenericHttpAdapter(f"{panel}/send", "KEY", "3000", timeout=2, retries=0)
    results = adapter.send([*MESSAGES, gw.SmsMessage(3, "09120000003", "x")])
    assert [r.state for r in results] == ["sent", "retry", "retry"]
    assert len(FakePanel.calls) == 2, "the third message is not offered to a failing panel"
    assert FakePanel.delivered == Counter({"09121234567": 1})


def test_kavenegar_rate_limit_is_transient_with_retry_after(panel):
    FakePanel.mode, FakePanel.busy_calls, FakePanel.retry_after = "busy", 1, "30"
    adapter = gw.KavenegarAdapter(panel, "KEY", "1000", timeout=2, retries=2)
    adapter.batch_size = 1
    results = adapter.send(MESSAGES)
    assert [(r.state, r.retry_after) for r in results] == [("retry", 30.0), ("retry", 30.0)]
    assert len(FakePanel.calls) == 1, "the second batch is not offered to a busy panel"


@pytest.mark.parametrize(
    ("number", "error"),
    [("nokey", "invalid API key"), ("broke", "not enough credit"), ("bad", "HTTP 400")],
)
def test_generic_permanent_errors_fail_at_once(panel, number, error):
    adapter = gw.GenericHttpAdapter(f"{panel}/send", "KEY", "3000", timeout=2, retries=2)
    result = adapter.send([gw.SmsMessage(1, number, "x")])[0]
    assert (result.state, result.error) == ("error", error)
    assert len(FakePanel.calls) == 1, "no retry of a permanent error"


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
