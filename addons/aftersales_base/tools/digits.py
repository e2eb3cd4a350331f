"""Persian and Arabic-Indic digits.

Users type numbers with a Persian keyboard (U+06F0..U+06F9), copy them from Arabic
sources (U+0660..U+0669), or in ASCII; everything we store is ASCII.
"""

_PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC = "٠١٢٣٤٥٦٧٨٩"
_ASCII = "0123456789"

_TO_ASCII = str.maketrans(_PERSIAN + _ARABIC, _ASCII * 2)
_TO_PERSIAN = str.maketrans(_ASCII, _PERSIAN)


def to_ascii_digits(text):
    """Return ``text`` with Persian and Arabic-Indic digits replaced by ASCII ones."""
    if not text:
        return text
    return str(text).translate(_TO_ASCII)


def to_persian_digits(text):
    """Return ``text`` with ASCII digits replaced by Persian ones (for display)."""
    if text is None:
        return text
    return str(text).translate(_TO_PERSIAN)
