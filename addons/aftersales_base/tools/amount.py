"""Amounts in words for printed documents (Rial amounts in Persian).

Odoo 18 pins num2words 0.5.10 for Python 3.11, which has no Persian; Persian
numerals are regular enough that a few tables do it exactly, for every install.
"""

_ONES = ("", "یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه")
_TEENS = (
    "ده",
    "یازده",
    "دوازده",
    "سیزده",
    "چهارده",
    "پانزده",
    "شانزده",
    "هفده",
    "هجده",
    "نوزده",
)
_TENS = ("", "", "بیست", "سی", "چهل", "پنجاه", "شصت", "هفتاد", "هشتاد", "نود")
_HUNDREDS = ("", "یکصد", "دویست", "سیصد", "چهارصد", "پانصد", "ششصد", "هفتصد", "هشتصد", "نهصد")
_SCALES = ("", "هزار", "میلیون", "میلیارد", "هزار میلیارد", "میلیون میلیارد")
_AND = " و "


def _below_thousand(number):
    hundreds, rest = divmod(number, 100)
    parts = []
    if hundreds:
        parts.append(_HUNDREDS[hundreds])
    if 10 <= rest < 20:
        parts.append(_TEENS[rest - 10])
    else:
        tens, ones = divmod(rest, 10)
        if tens:
            parts.append(_TENS[tens])
        if ones:
            parts.append(_ONES[ones])
    return _AND.join(parts)


def number_to_words_fa(number):
    """Persian words of a whole number: ``1250000`` -> ``یک میلیون و دویست و پنجاه هزار``."""
    number = int(number)
    if number == 0:
        return "صفر"
    if number < 0:
        return "منفی " + number_to_words_fa(-number)
    groups = []
    scale = 0
    while number:
        number, group = divmod(number, 1000)
        if group:
            if scale >= len(_SCALES):
                raise ValueError("number too large")
            words = _below_thousand(group)
            if _SCALES[scale]:
                words = f"{words} {_SCALES[scale]}"
            groups.append(words)
        scale += 1
    return _AND.join(reversed(groups))


def amount_to_words_fa(amount, currency_name="ریال"):
    """``1250000`` -> ``"یک میلیون و دویست و پنجاه هزار ریال"``.

    Rial has no subunit in practice: the amount is rounded to a whole number.
    """
    words = number_to_words_fa(round(amount or 0))
    return f"{words} {currency_name}".strip()
