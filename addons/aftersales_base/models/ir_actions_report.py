import re
import unicodedata

import lxml.html
from lxml import etree
from markupsafe import Markup

from odoo import fields, models
from odoo.tools.misc import get_lang

from ..tools import amount_to_words_fa, format_jalali

# Class of the page of every printout made with aftersales_base.report_layout.
REPORT_CLASS = "o_aftersales_report"
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_ZWNJ = "\u200c"
_ZWJ = "\u200d"


def _arabic_text_tokens(text):
    """Cut ``text`` into (kind, chunk): whitespace, ZWNJ, a word of one script, or one
    punctuation mark.

    Words of Arabic script stay whole (letters, marks, digits, ZWJ), so cutting never
    changes how letters join; a ZWNJ already stops them joining.
    """
    tokens = []
    for char in text:
        if char.isspace():
            kind = "space"
        elif char == _ZWNJ:
            kind = "zwnj"
        elif unicodedata.category(char)[0] in "LMN" or char == _ZWJ:
            kind = "arabic" if _ARABIC_SCRIPT.match(char) else "word"
        else:
            kind = None  # punctuation: one mark per token
        if tokens and kind and tokens[-1][0] == kind:
            tokens[-1][1] += char
        else:
            tokens.append([kind, char])
    return tokens


def _wrap_arabic_words(parent):
    """Put every word and punctuation mark of Arabic-script text under ``parent`` in its own
    ``<span>``, whitespace and ZWNJ staying between them as text.

    The QtWebKit 5.212 of Debian's and Ubuntu's wkhtmltopdf 0.12.6 measures a text node of
    Arabic script wrongly as soon as it holds more than one word or a punctuation mark: the
    text is never wrapped, and is drawn wider than it was measured, past the edge of the
    page (the right edge in a right-to-left page, first letters lost). One word per element,
    it wraps and fits. The bidi order stays the paragraph's, as spans without
    ``unicode-bidi`` take no part in it; browsers and the patched wkhtmltopdf print the same.
    """
    for element in list(parent.iter()):
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            continue
        for attribute in ("text", "tail"):
            text = getattr(element, attribute)
            if element is parent and attribute == "tail":
                continue
            if not text or not _ARABIC_SCRIPT.search(text):
                continue
            lead, spans = "", []
            for kind, chunk in _arabic_text_tokens(text):
                if kind in ("space", "zwnj"):
                    if spans:
                        spans[-1].tail = (spans[-1].tail or "") + chunk
                    else:
                        lead += chunk
                else:
                    span = etree.Element("span")
                    span.text = chunk
                    spans.append(span)
            if attribute == "text":
                element.text = lead
                for index, span in enumerate(spans):
                    element.insert(index, span)
            else:
                # The tail belongs to the element: set it once the spans follow it.
                element.tail = None
                container = element.getparent()
                index = container.index(element)
                for offset, span in enumerate(spans, start=1):
                    container.insert(index + offset, span)
                element.tail = lead


def _prepare_aftersales_body(body):
    """Make one page body of a suite printout print inside the page with every wkhtmltopdf."""
    document = lxml.html.document_fromstring(body)
    pages = document.xpath(
        f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {REPORT_CLASS} ')]"
    )
    if not pages:
        return body
    # Right-to-left is set on the report's own container (aftersales_base.report_layout);
    # the page's root stays left to right, as wkhtmltopdf fits a page to the paper from its
    # root and has been reported to shrink and shift right-to-left roots (Debian's build
    # prints the same either way). Odoo's right-to-left stylesheets set the direction of
    # html and body: an inline style wins.
    body_node = document.find("body")
    for node in (document, body_node):
        if node is None:
            continue
        style = (node.get("style") or "").strip().rstrip(";")
        node.set("style", f"{style}; direction: ltr;" if style else "direction: ltr;")
    if body_node is not None:
        body_node.set("dir", "ltr")
    for page in pages:
        _wrap_arabic_words(page)
    return Markup(lxml.html.tostring(document, encoding="unicode", doctype="<!DOCTYPE html>"))


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _get_rendering_context(self, report, docids, data):
        data = super()._get_rendering_context(report, docids, data)
        # Every QWeb report of the suite prints dates the reader's way: Jalali with
        # Persian digits for Persian, Odoo's own format otherwise.
        data["aftersales_date"] = self._aftersales_format_date
        data["aftersales_amount_words"] = amount_to_words_fa
        data["aftersales_lang"] = self._aftersales_lang
        return data

    def _prepare_html(self, html, report_model=False):
        result = super()._prepare_html(html, report_model=report_model)
        if not result:
            return result
        bodies, *others = result
        bodies = [
            _prepare_aftersales_body(body) if REPORT_CLASS in body else body for body in bodies
        ]
        return (bodies, *others)

    def _aftersales_lang(self, lang):
        """The language to print in for a reader whose language is ``lang``.

        Odoo refuses to render in a language that is not active, except English, its source
        language: the reader's language when it is active or English, otherwise an active
        one (the printing user's, the company's, English, any), as Odoo falls back."""
        if lang == "en_US":
            return lang
        return get_lang(self.env, lang).code

    def _aftersales_format_date(self, value, lang=None, with_time=False):
        if not value:
            return ""
        lang = lang or self.env.context.get("lang") or self.env.user.lang or "en_US"
        if with_time:
            # Datetimes are stored in UTC: print the reader's local time.
            value = fields.Datetime.context_timestamp(self, value).replace(tzinfo=None)
        if lang.startswith("fa"):
            return format_jalali(value, with_time=with_time)
        # Otherwise the reader's own Odoo formats, as in the web client.
        date_format, time_format = self._aftersales_lang_formats(lang)
        return value.strftime(f"{date_format} {time_format}" if with_time else date_format)

    def _aftersales_lang_formats(self, lang):
        """(date format, short time format) of the language ``lang``.

        Odoo's cached data of a language that is not active reads False for every format
        (dates printed "False False"); the language's own record still holds them, e.g.
        English in a Persian-only database. An unknown code takes an active language's."""
        Lang = self.env["res.lang"]
        lang_data = Lang._get_data(code=lang)
        if not lang_data.date_format:
            lang_data = Lang.with_context(active_test=False).search_fetch(
                [("code", "=", lang)], ["date_format", "short_time_format"], limit=1
            )
        if not lang_data.date_format:
            lang_data = get_lang(self.env, lang)
        return lang_data.date_format, lang_data.short_time_format
