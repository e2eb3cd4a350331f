"""One-time codes the customer gives the agent to confirm a visit.

The code is sent to the customer's mobile and never stored in clear: the report keeps a
keyed hash. Codes are digits (easy to read out on the phone), compared in constant time,
in any digits the customer types (Persian, Arabic or Latin).
"""

import hashlib
import hmac
import secrets

CODE_LENGTH = 6
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def new_code(length=CODE_LENGTH):
    """A random code of ``length`` digits (leading zeros kept)."""
    return "".join(secrets.choice("0123456789") for _ in range(length))


def _clean(code):
    return "".join((code or "").translate(_DIGITS).split())


def code_hash(secret, salt, code):
    """Keyed hash of ``code`` for one report (``salt``), hex."""
    message = f"{salt}:{_clean(code)}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def same_code(secret, salt, code, expected_hash):
    """Whether ``code`` (as typed) matches ``expected_hash``, in constant time."""
    if not code or not expected_hash or not _clean(code).isdigit():
        return False
    return hmac.compare_digest(code_hash(secret, salt, code), expected_hash)
