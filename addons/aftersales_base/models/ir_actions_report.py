from odoo import fields, models

from ..tools import amount_to_words_fa, format_jalali


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _get_rendering_context(self, report, docids, data):
        data = super()._get_rendering_context(report, docids, data)
        # Every QWeb report of the suite prints dates the reader's way: Jalali with
        # Persian digits for Persian, Odoo's own format otherwise.
        data["aftersales_date"] = self._aftersales_format_date
        data["aftersales_amount_words"] = amount_to_words_fa
        return data

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
        lang_data = self.env["res.lang"]._get_data(code=lang) or self.env["res.lang"]._get_data(
            code="en_US"
        )
        fmt = lang_data.date_format
        if with_time:
            fmt = f"{fmt} {lang_data.short_time_format}"
        return value.strftime(fmt)
