"""Phone numbers as Iranian customers type them, parsed with ``phonenumbers``.

One person must be one contact: ``021-8877 6655``, ``+98 21 88776655``,
``۰۲۱۸۸۷۷۶۶۵۵`` and ``00982188776655`` are the same landline, stored as E.164.
A landline tells the province through its area code; a mobile does not, and we say
so instead of guessing.
"""

from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType

from .digits import to_ascii_digits
from .regions import province_for_area_code

KIND_MOBILE = "mobile"
KIND_LANDLINE = "landline"
KIND_OTHER = "other"
FALLBACK_REGION = "IR"

_MOBILE_TYPES = {PhoneNumberType.MOBILE}
_LANDLINE_TYPES = {PhoneNumberType.FIXED_LINE}


class PhoneError(ValueError):
    """The text is not a valid phone number. ``code`` says why, for translation."""

    def __init__(self, code, number):
        super().__init__(f"{code}: {number!r}")
        self.code = code
        self.number = number


@dataclass(frozen=True)
class PhoneInfo:
    e164: str
    kind: str
    country_code: int
    area_code: str | None = None
    province_code: str | None = None

    @property
    def national(self):
        """``021 8877 6655`` style, as printed on Iranian documents."""
        number = phonenumbers.parse(self.e164)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def _clean(text):
    text = to_ascii_digits(str(text)).strip()
    # "0098..." is how Iranians dial abroad; phonenumbers wants "+98..."
    if text.startswith("00"):
        text = "+" + text[2:]
    return text


def _parse_valid(text, regions):
    for region in regions:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return number
    return None


@lru_cache(maxsize=8192)
def parse_phone(text, default_region="IR"):
    """Parse and validate ``text``; return a :class:`PhoneInfo`.

    A number without country prefix is read in ``default_region`` (the company's
    country) and, failing that, as an Iranian number: the suite serves Iranian
    customers even when a company's country is set elsewhere.
    Raises :class:`PhoneError` with ``code`` ``"invalid"`` for anything that is not a
    valid number (too short, a landline without its area code, letters).
    Results are cached: a request parses the same numbers for the contact look-up,
    the region, the search keys and the validation.
    """
    if not text or not str(text).strip():
        raise PhoneError("empty", text)
    regions = list(dict.fromkeys(filter(None, [default_region, FALLBACK_REGION])))
    number = _parse_valid(_clean(text), regions)
    if number is None:
        raise PhoneError("invalid", text)
    number_type = phonenumbers.number_type(number)
    if number_type in _MOBILE_TYPES:
        kind = KIND_MOBILE
    elif number_type in _LANDLINE_TYPES:
        kind = KIND_LANDLINE
    else:
        kind = KIND_OTHER
    area_code = province_code = None
    if kind == KIND_LANDLINE and number.country_code == 98:
        national = phonenumbers.national_significant_number(number)
        area_code = "0" + national[:2]
        province_code = province_for_area_code(area_code)
    return PhoneInfo(
        e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        kind=kind,
        country_code=number.country_code,
        area_code=area_code,
        province_code=province_code,
    )


def normalize_phone(text, default_region="IR"):
    """E.164 of ``text``, or ``False`` when it cannot be parsed (for search keys)."""
    try:
        return parse_phone(text, default_region).e164
    except PhoneError:
        return False
