"""The agent's own statement (R-AGT-5) and performance statistics (R-AGT-8) on the portal.

Always the user's own agent (``res.partner._aftersales_agent_of``): no route takes an
agent, so no URL can select another one; users of no agent get 404. Figures are read
through ``sudo()`` for that agent only, and the templates get plain values.
"""

from urllib.parse import urlencode

from odoo import fields, http
from odoo.addons.aftersales_base.controllers.portal import AftersalesPortal
from odoo.exceptions import UserError
from odoo.http import content_disposition, request

STATEMENT_REPORT = "aftersales_agent.action_report_agent_statement"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AftersalesAgentStatementPortal(AftersalesPortal):
    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _agent_statement_agent(self):
        """The user's agent, or 404."""
        agent = request.env["res.partner"]._aftersales_agent_of()
        if not agent:
            raise request.not_found()
        return agent.sudo()

    def _agent_statement_period(self, date_from, date_to):
        """``(date_from, date_to, error)``: the asked period, or the default one with the
        reason when it cannot be read."""
        Statement = request.env["aftersales.agent.statement"]
        try:
            return (*Statement._parse_period(date_from, date_to), None)
        except UserError as error:
            return (*Statement._parse_period(), error.args[0])

    def _agent_statement_lang(self):
        return request.env["ir.actions.report"]._aftersales_lang(request.env.lang or "en_US")

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values["aftersales_is_agent"] = bool(request.env["res.partner"]._aftersales_agent_of())
        return values

    # ------------------------------------------------------------------
    # Routes
    # ------------------------------------------------------------------

    @http.route("/my/statement", type="http", auth="user", website=True)
    def portal_agent_statement(self, date_from=None, date_to=None, **kw):
        agent = self._agent_statement_agent()
        date_from, date_to, error = self._agent_statement_period(date_from, date_to)
        lang = self._agent_statement_lang()
        Statement = request.env["aftersales.agent.statement"].sudo()
        statement = Statement._statement(agent, date_from, date_to)
        query = urlencode(
            {
                "date_from": fields.Date.to_string(date_from),
                "date_to": fields.Date.to_string(date_to),
            }
        )
        currency = request.env.company.sudo().currency_id
        closing = statement["closing_balance"]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "aftersales_agent_statement",
                "statement": statement,
                "currency": currency,
                "closing_sign": currency.compare_amounts(closing, 0),
                "closing_words": Statement._amount_in_words(closing, lang),
                "date_from_iso": fields.Date.to_string(date_from),
                "date_to_iso": fields.Date.to_string(date_to),
                "error": error,
                "pdf_url": f"/my/statement/pdf?{query}",
                "xlsx_url": f"/my/statement/xlsx?{query}",
            }
        )
        return request.render("aftersales_agent.portal_agent_statement", values)

    @http.route("/my/statement/pdf", type="http", auth="user", website=True)
    def portal_agent_statement_pdf(self, date_from=None, date_to=None, **kw):
        agent = self._agent_statement_agent()
        date_from, date_to, _error = self._agent_statement_period(date_from, date_to)
        pdf, _type = (
            request.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf(
                STATEMENT_REPORT,
                [agent.id],
                data={
                    "date_from": fields.Date.to_string(date_from),
                    "date_to": fields.Date.to_string(date_to),
                    "lang": self._agent_statement_lang(),
                },
            )
        )
        name = f"{agent.aftersales_agent_code or agent.id} {date_from} {date_to}.pdf"
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", content_disposition(name)),
            ],
        )

    @http.route("/my/statement/xlsx", type="http", auth="user", website=True)
    def portal_agent_statement_xlsx(self, date_from=None, date_to=None, **kw):
        agent = self._agent_statement_agent()
        date_from, date_to, _error = self._agent_statement_period(date_from, date_to)
        lang = self._agent_statement_lang()
        Statement = request.env["aftersales.agent.statement"].sudo().with_context(lang=lang)
        data = Statement._statement_xlsx(Statement._statement(agent, date_from, date_to), lang)
        name = f"{agent.aftersales_agent_code or agent.id} {date_from} {date_to}.xlsx"
        return request.make_response(
            data,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Length", len(data)),
                ("Content-Disposition", content_disposition(name)),
            ],
        )

    @http.route("/my/performance", type="http", auth="user", website=True)
    def portal_agent_performance(self, date_from=None, date_to=None, **kw):
        agent = self._agent_statement_agent()
        Statement = request.env["aftersales.agent.statement"].sudo()
        if not date_from and not date_to:
            # A year of work by default: the service mix by month needs more than one.
            date_to = fields.Date.context_today(Statement)
            date_from = fields.Date.subtract(date_to, days=364)
        date_from, date_to, error = self._agent_statement_period(date_from, date_to)
        try:
            stats = Statement._performance(agent, date_from, date_to, self._agent_statement_lang())
        except UserError as exc:
            error = exc.args[0]
            date_to = fields.Date.context_today(Statement)
            date_from = fields.Date.subtract(date_to, days=364)
            stats = Statement._performance(agent, date_from, date_to, self._agent_statement_lang())
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "aftersales_agent_performance",
                "stats": stats,
                "date_from_iso": fields.Date.to_string(date_from),
                "date_to_iso": fields.Date.to_string(date_to),
                "error": error,
            }
        )
        return request.render("aftersales_agent.portal_agent_performance", values)
