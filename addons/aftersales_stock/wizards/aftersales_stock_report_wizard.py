"""Export a parts report (R-STK-7) to Excel for a date range and an agent (R-REP)."""

import base64
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import build_stock_xlsx

REPORTS = [
    ("part_usage", "Most-Used Parts"),
    ("install_repair", "Installations and Repairs"),
    ("core_return", "Core Returns"),
    ("consignment_stock", "Consignment Stock"),
]
MODELS = {
    "part_usage": "aftersales.report.part.usage",
    "install_repair": "aftersales.report.install.repair",
    "core_return": "aftersales.report.core.return",
    "consignment_stock": "aftersales.report.consignment.stock",
}
# Consignment stock is what is at the agents now: no date range.
DATED = ("part_usage", "install_repair", "core_return")


class AftersalesStockReportWizard(models.TransientModel):
    _name = "aftersales.stock.report.wizard"
    _description = "Export a Parts Report"

    report = fields.Selection(REPORTS, required=True, default="part_usage")
    date_from = fields.Date("From", default=lambda s: s._default_date_from())
    date_to = fields.Date("To", default=fields.Date.context_today)
    agent_id = fields.Many2one(
        "res.partner",
        string="Service Agent",
        domain="[('is_aftersales_agent', '=', True)]",
        help="Only this agent's figures; empty: every agent.",
    )
    is_dated = fields.Boolean(compute="_compute_is_dated")

    @api.model
    def _default_date_from(self):
        return fields.Date.context_today(self) - timedelta(days=30)

    @api.depends("report")
    def _compute_is_dated(self):
        for wizard in self:
            wizard.is_dated = wizard.report in DATED

    def _domain(self):
        self.ensure_one()
        domain = []
        if self.report in DATED:
            if not (self.date_from and self.date_to):
                raise UserError(self.env._("Give the first and last day of the period."))
            if self.date_from > self.date_to:
                raise UserError(self.env._("The period ends before it starts."))
            domain += [("date", ">=", self.date_from), ("date", "<=", self.date_to)]
        if self.agent_id:
            domain.append(("agent_id", "=", self.agent_id.id))
        return domain

    def _subtitles(self):
        Report = self.env["ir.actions.report"]
        lines = []
        if self.report in DATED:
            lines.append(
                self.env._(
                    "Period: %(date_from)s to %(date_to)s",
                    date_from=Report._aftersales_format_date(self.date_from),
                    date_to=Report._aftersales_format_date(self.date_to),
                )
            )
        else:
            lines.append(
                self.env._(
                    "As of %(date)s",
                    date=Report._aftersales_format_date(fields.Date.context_today(self)),
                )
            )
        lines.append(
            self.env._("Service Agent: %(agent)s", agent=self.agent_id.display_name)
            if self.agent_id
            else self.env._("Every service agent")
        )
        return lines

    def _xlsx(self):
        """File name and bytes of the chosen report."""
        self.ensure_one()
        domain = self._domain()
        title, columns, rows = self.env[MODELS[self.report]]._aftersales_xlsx_sheet(domain)
        persian = (self.env.lang or "en_US").startswith("fa")
        data = build_stock_xlsx(
            title,
            columns,
            rows,
            subtitles=self._subtitles(),
            totals_label=self.env._("Total"),
            rtl=persian,
        )
        stamp = fields.Date.to_string(self.date_to or fields.Date.context_today(self))
        return f"{title} {stamp}.xlsx", data

    def action_export_xlsx(self):
        self.ensure_one()
        name, data = self._xlsx()
        # Linked to the wizard: deleted with it when Odoo vacuums the wizards.
        attachment = self.env["ir.attachment"].create(
            {
                "name": name,
                "datas": base64.b64encode(data),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
