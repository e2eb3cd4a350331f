"""Printouts in the fonts shipped with the addon (the warranty card's Vazirmatn).

The unpatched wkhtmltopdf of Debian and Ubuntu draws text in web fonts (CSS ``@font-face``)
as shapes: not selectable, not searchable, and not listed as fonts of the PDF. It writes
text only in fonts it finds through fontconfig. wkhtmltopdf is therefore run with a
fontconfig file that adds the addon's ``static/fonts`` to the system's fonts; the card's
stylesheet names the system family first and the web font after it, for browsers.
"""

import os

from odoo import api, models
from odoo.tools.misc import file_path

FONTCONFIG_FILE = "aftersales_warranty/static/fonts/fonts.conf"
CARD_REPORT = "aftersales_warranty.report_warranty_card"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.model
    def _run_wkhtmltopdf(self, *args, **kwargs):
        self._aftersales_expose_fonts()
        return super()._run_wkhtmltopdf(*args, **kwargs)

    @api.model
    def _aftersales_expose_fonts(self):
        # Set once for the server process, inherited by every wkhtmltopdf it starts (never
        # unset, so no race between threads). The fontconfig file includes the system's
        # configuration: nothing is lost. A FONTCONFIG_FILE chosen by the administrator wins.
        if "FONTCONFIG_FILE" not in os.environ:
            os.environ["FONTCONFIG_FILE"] = file_path(FONTCONFIG_FILE)

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """Every printed warranty card leaves a line in its history (who, when): a second
        paper card for the same serial is known."""
        result = super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        report = self._get_report(report_ref)
        if report.report_name == CARD_REPORT and res_ids:
            ids = [res_ids] if isinstance(res_ids, int) else res_ids
            self.env["aftersales.warranty.card"].browse(ids).exists()._log_events("print")
        return result
