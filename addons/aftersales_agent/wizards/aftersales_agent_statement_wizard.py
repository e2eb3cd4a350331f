"""The accountant prints an agent's statement (R-AGT-5): the same PDF and XLSX as the
agent's own, from the agent's form or the Agents menu."""

import base64

from odoo import api, fields, models

STATEMENT_REPORT = "aftersales_agent.action_report_agent_statement"


class AftersalesAgentStatementWizard(models.TransientModel):
    _name = "aftersales.agent.statement.wizard"
    _description = "Print an Agent Statement"

    agent_id = fields.Many2one(
        "res.partner",
        string="Service Agent",
        required=True,
        domain="[('is_aftersales_agent', '=', True), ('is_company', '=', True)]",
    )
    date_from = fields.Date("From", required=True, default=lambda s: s._default_from())
    date_to = fields.Date("To", required=True, default=fields.Date.context_today)
    lang = fields.Selection(
        "_lang_selection",
        string="Language",
        help="Language of the printout; empty: the agent's.",
    )
    xlsx_file = fields.Binary("Spreadsheet", readonly=True, attachment=False)
    xlsx_name = fields.Char(readonly=True)

    @api.model
    def _default_from(self):
        return self.env["aftersales.agent.statement"]._default_period()[0]

    @api.model
    def _lang_selection(self):
        return self.env["res.lang"].get_installed()

    def _print_lang(self):
        return self.env["ir.actions.report"]._aftersales_lang(
            self.lang or self.agent_id.lang or self.env.lang
        )

    def _check_period(self):
        self.env["aftersales.agent.statement"]._parse_period(self.date_from, self.date_to)

    def action_print_pdf(self):
        self.ensure_one()
        self._check_period()
        return self.env.ref(STATEMENT_REPORT).report_action(
            self.agent_id,
            data={
                "date_from": fields.Date.to_string(self.date_from),
                "date_to": fields.Date.to_string(self.date_to),
                "lang": self._print_lang(),
            },
        )

    def action_export_xlsx(self):
        self.ensure_one()
        lang = self._print_lang()
        Statement = self.env["aftersales.agent.statement"].with_context(lang=lang)
        statement = Statement._statement(self.agent_id, self.date_from, self.date_to)
        code = self.agent_id.aftersales_agent_code or self.agent_id.name
        name = f"{code} {self.date_from} {self.date_to}.xlsx"
        self.write(
            {
                "xlsx_file": base64.b64encode(Statement._statement_xlsx(statement, lang)),
                "xlsx_name": name,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/xlsx_file/{name}?download=true",
            "target": "self",
        }
