"""Values of the management summary of satisfaction (issue 10, Reports): the period and
filters are those of the satisfaction report wizards in ``docids``."""

from odoo import api, models


class ReportSatisfactionSummary(models.AbstractModel):
    _name = "report.aftersales_survey.report_satisfaction_summary"
    _description = "Satisfaction Summary Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        Report = self.env["ir.actions.report"]
        wizards = self.env["aftersales.satisfaction.report.wizard"].browse(docids)
        lang = Report._aftersales_lang(self.env.lang or "en_US")
        summaries = {wizard.id: wizard.with_context(lang=lang)._summary() for wizard in wizards}
        return {
            "doc_ids": docids,
            "doc_model": "aftersales.satisfaction.report.wizard",
            "docs": wizards,
            "summaries": summaries,
            "print_lang": lang,
        }
