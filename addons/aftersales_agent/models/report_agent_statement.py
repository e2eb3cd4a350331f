"""Values of the printed agent statement (R-AGT-5): the period comes in ``data``
(``date_from``, ``date_to`` as ISO dates, optional ``lang``), the agents in ``docids``."""

from odoo import api, models


class ReportAgentStatement(models.AbstractModel):
    _name = "report.aftersales_agent.report_agent_statement"
    _description = "Agent Statement Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        Report = self.env["ir.actions.report"]
        Statement = self.env["aftersales.agent.statement"]
        agents = self.env["res.partner"].browse(docids)
        statements, langs, words = {}, {}, {}
        for agent in agents:
            lang = Report._aftersales_lang(data.get("lang") or agent.lang or self.env.lang)
            statement = Statement.with_context(lang=lang)._statement(
                agent, data.get("date_from"), data.get("date_to")
            )
            statements[agent.id] = statement
            langs[agent.id] = lang
            words[agent.id] = Statement._amount_in_words(statement["closing_balance"], lang)
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": agents,
            "statements": statements,
            "langs": langs,
            "words": words,
            "currency": self.env.company.currency_id,
        }
