"""SMS panels of Iranian providers, as plain Python (no ORM), behind Odoo's ``sms.sms``.

One ``requests.Session`` per adapter (one connection pool), timeouts always, retries on
network errors and 5xx answers, and per-message results that the ORM layer maps to
``sms.sms`` states: ``sent``, ``error`` (permanent: bad key, no credit, bad number) or
``retry`` (the provider is down: the message stays queued, nothing is lost).
"""

import json
import math
import re
import time
from dataclasses import dataclass

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


class TransientError(Exception):
    """The provider could not be reached or failed on its side: try again later."""


class SmsAdapter:
    """Common transport: pooled session, timeout, retries with a short back-off."""

    batch_size = 100

    def __init__(self, endpoint, api_key, sender, timeout=10.0, retries=2, backoff=0.2):
        self.endpoint = endpoint.rstrip("/")
        self.api_key = api_key
        self.sender = sender
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
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
                if response.status_code < 500:
                    return response
                last = TransientError(f"HTTP {response.status_code}")
            if attempt < self.retries:
                time.sleep(self.backoff * (2**attempt))
        raise last

    def send(self, messages):
        """Send ``SmsMessage`` objects; return one ``SmsResult`` per message, in order."""
        results = []
        for start in range(0, len(messages), self.batch_size):
            batch = messages[start : start + self.batch_size]
            try:
                results.extend(self._send_batch(batch))
            except TransientError as exc:
                results.extend(SmsResult(m.uid, RETRY, error=str(exc)) for m in batch)
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
    """Any panel with a plain HTTP call per message, configured by parameter names."""

    batch_size = 50

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
                results.append(SmsResult(message.uid, RETRY, error=str(exc)))
                continue
            if 200 <= response.status_code < 300:
                results.append(
                    SmsResult(message.uid, SENT, provider_ref=response.text[:64].strip())
                )
            else:
                results.append(SmsResult(message.uid, ERROR, error=f"HTTP {response.status_code}"))
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
