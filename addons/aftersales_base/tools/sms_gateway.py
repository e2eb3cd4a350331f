"""SMS panels of Iranian providers, as plain Python (no ORM), behind Odoo's ``sms.sms``.

One ``requests.Session`` per adapter (one connection pool), timeouts always, short
retries within a call on network errors and transient HTTP answers, and per-message
results that the ORM layer maps to ``sms.sms`` states: ``sent``, ``error`` (permanent: bad
key, no credit, bad number) or ``retry`` (the provider is down, failing or rate-limiting:
the message stays queued and is tried again later, see ``next_try_at``; nothing is lost).
"""

import json
import math
import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import requests
from requests.adapters import HTTPAdapter

from .digits import to_ascii_digits

# GSM 03.38 basic alphabet; the extension table costs two septets a character.
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")

SENT, ERROR, RETRY = "sent", "error", "retry"

# 408 Request Timeout, 425 Too Early, 429 Too Many Requests: the panel may take the same
# request later. Every 5xx is the panel's own failure. Any other answer is final.
TRANSIENT_STATUSES = frozenset({408, 425, 429})

# Waits between queue tries of a message: 1, 2, 4 ... minutes, at most an hour apart.
RETRY_BASE_SECONDS = 60
RETRY_CAP_SECONDS = 3600


def is_transient_status(status):
    """Whether an HTTP status means "try again later" rather than "this will never work"."""
    return status in TRANSIENT_STATUSES or 500 <= status <= 599


def parse_retry_after(value, now=None):
    """Seconds to wait from a ``Retry-After`` header (RFC 9110: delay-seconds or an HTTP
    date), ``None`` when the header is absent or unreadable. A date in the past gives 0.
    """
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:  # "-0000": the RFC says the date is in UTC
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())


def retry_delay(attempts, retry_after=None, base=RETRY_BASE_SECONDS, cap=RETRY_CAP_SECONDS):
    """Seconds before the next try of a message that failed ``attempts`` times (>= 1):
    doubling from ``base`` up to ``cap``, and never sooner than the panel's ``Retry-After``.
    """
    delay = min(cap, base * 2 ** min(max(attempts - 1, 0), 30))
    if retry_after is not None:
        delay = max(delay, retry_after)
    return float(delay)


def next_try_at(now, first_try, attempts, deadline_hours, retry_after=None):
    """When to try a message again (naive UTC datetimes, like Odoo's), or ``None`` when
    its deadline (``deadline_hours`` after ``first_try``) has passed: give up.

    The last try falls on the deadline itself, so that a panel back just in time still
    gets the message.
    """
    deadline = first_try + timedelta(hours=deadline_hours)
    if now >= deadline:
        return None
    return min(now + timedelta(seconds=retry_delay(attempts, retry_after)), deadline)


def sms_parts(text):
    """``(encoding, parts)`` of a message: Persian text is UCS-2, 70 characters a part."""
    text = text or ""
    if all(char in GSM7_BASIC or char in GSM7_EXTENDED for char in text):
        septets = sum(2 if char in GSM7_EXTENDED else 1 for char in text)
        return "GSM-7", 1 if septets <= 160 else math.ceil(septets / 153)
    # UTF-16 code units: a character outside the BMP (an emoji) takes two.
    units = len(text.encode("utf-16-le")) // 2
    return "UCS-2", 1 if units <= 70 else math.ceil(units / 67)


@dataclass(frozen=True)
class SmsMessage:
    uid: int
    number: str
    text: str


@dataclass(frozen=True)
class SmsResult:
    uid: int
    state: str
    provider_ref: str | None = None
    error: str | None = None
    # For ``retry``: the seconds the panel asked us to wait (``Retry-After``), if it did.
    retry_after: float | None = None


class TransientError(Exception):
    """The provider could not be reached or failed on its side: try again later.

    ``retry_after``: seconds the panel asked to wait; ``results``: the messages of the
    failing batch that were settled before the failure (a per-message panel).
    """

    def __init__(self, message, retry_after=None, results=()):
        super().__init__(message)
        self.retry_after = retry_after
        self.results = list(results)


class SmsAdapter:
    """Common transport: pooled session, timeout, retries with a short back-off.

    Once the panel failed (after the short retries), the messages given to this adapter
    afterwards are not offered to it: they are answered ``retry`` at once (``failure``),
    so that a panel that is down costs one batch's time-outs per queue run, not every
    batch's, and a rate-limited panel is not hammered. Use one adapter per queue run.
    """

    batch_size = 100

    def __init__(self, endpoint, api_key, sender, timeout=10.0, retries=2, backoff=0.2):
        self.endpoint = endpoint.rstrip("/")
        self.api_key = api_key
        self.sender = sender
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.failure = None
        self.session = requests.Session()
        self.session.mount("http://", HTTPAdapter(pool_connections=1, pool_maxsize=8))
        self.session.mount("https://", HTTPAdapter(pool_connections=1, pool_maxsize=8))

    def close(self):
        self.session.close()

    def _request(self, method, url, **kwargs):
        last = None
        for attempt in range(self.retries + 1):
            try:
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            except (requests.ConnectionError, requests.Timeout) as exc:
                last = TransientError(f"{type(exc).__name__}: {exc}")
            else:
                if not is_transient_status(response.status_code):
                    return response
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                last = TransientError(f"HTTP {response.status_code}", retry_after=retry_after)
                if retry_after is not None:
                    break  # the panel said when: the queue waits that long, not this call
            if attempt < self.retries:
                time.sleep(self.backoff * (2**attempt))
        raise last

    def send(self, messages):
        """Send ``SmsMessage`` objects; return one ``SmsResult`` per message, in order."""
        results = []
        for start in range(0, len(messages), self.batch_size):
            batch = messages[start : start + self.batch_size]
            settled = {}
            if self.failure is None:
                try:
                    results.extend(self._send_batch(batch))
                    continue
                except TransientError as exc:
                    self.failure = exc
                    settled = {result.uid: result for result in exc.results}
            failure = self.failure
            results.extend(
                settled.get(m.uid)
                or SmsResult(m.uid, RETRY, error=str(failure), retry_after=failure.retry_after)
                for m in batch
            )
        return results

    def _send_batch(self, batch):
        raise NotImplementedError


class KavenegarAdapter(SmsAdapter):
    """Kavenegar-style REST API: ``/<key>/sms/sendarray.json`` with JSON-encoded arrays."""

    batch_size = 200
    PERMANENT = {
        400: "invalid parameters",
        401: "invalid API key",
        403: "API key not allowed",
        411: "invalid receptor",
        412: "invalid sender line",
        418: "not enough credit",
    }

    def _send_batch(self, batch):
        response = self._request(
            "POST",
            f"{self.endpoint}/{self.api_key}/sms/sendarray.json",
            data={
                "receptor": json.dumps([m.number for m in batch]),
                "sender": json.dumps([self.sender] * len(batch)),
                "message": json.dumps([m.text for m in batch], ensure_ascii=False),
                "localmessageids": json.dumps([str(m.uid) for m in batch]),
            },
        )
        try:
            payload = response.json()
            status = int(payload["return"]["status"])
        except (ValueError, KeyError, TypeError):
            raise TransientError(f"unreadable answer (HTTP {response.status_code})") from None
        if status != 200:
            error = self.PERMANENT.get(status, payload["return"].get("message") or str(status))
            if status in self.PERMANENT:
                return [SmsResult(m.uid, ERROR, error=error) for m in batch]
            raise TransientError(error)
        entries = payload.get("entries") or []
        if len(entries) != len(batch):
            raise TransientError("the answer does not list every message")
        return [
            SmsResult(m.uid, SENT, provider_ref=str(entry.get("messageid")))
            for m, entry in zip(batch, entries, strict=True)
        ]


class GenericHttpAdapter(SmsAdapter):
    """Any panel with a plain HTTP call per message, configured by parameter names.

    2xx is sent; 408, 425, 429 and 5xx are transient; any other status is final, with the
    usual meaning of 401/403 (the key) and 402 (payment: no credit).
    """

    batch_size = 50
    PERMANENT = {
        401: "invalid API key",
        402: "not enough credit",
        403: "API key not allowed",
    }

    def __init__(self, endpoint, api_key, sender, method="POST", params=None, **kwargs):
        super().__init__(endpoint, api_key, sender, **kwargs)
        self.method = method.upper()
        names = {"to": "to", "text": "text", "sender": "from", "key": "apikey"}
        names.update(params or {})
        self.names = names

    def _send_batch(self, batch):
        results = []
        for message in batch:
            values = {
                self.names["to"]: message.number,
                self.names["text"]: message.text,
                self.names["sender"]: self.sender,
                self.names["key"]: self.api_key,
            }
            kwargs = {"params": values} if self.method == "GET" else {"data": values}
            try:
                response = self._request(self.method, self.endpoint, **kwargs)
            except TransientError as exc:
                exc.results = results
                raise
            status = response.status_code
            if 200 <= status < 300:
                results.append(
                    SmsResult(message.uid, SENT, provider_ref=response.text[:64].strip())
                )
            else:
                error = self.PERMANENT.get(status, f"HTTP {status}")
                results.append(SmsResult(message.uid, ERROR, error=error))
        return results


_REPLY = re.compile(r"^\s*([A-Za-z]{2,4}\d{3,})\s*[-:,\s]\s*([A-Za-z0-9]{1,6})\s*$")


def parse_status_reply(text):
    """``"AS0000123 3"`` (any digits, any spacing, any case) -> ``("AS0000123", "3")``.

    Technicians and agents text a tracking number and a status code; anything else
    gives ``None``.
    """
    match = _REPLY.match(to_ascii_digits(text or ""))
    if not match:
        return None
    return match.group(1).upper(), match.group(2).upper()
