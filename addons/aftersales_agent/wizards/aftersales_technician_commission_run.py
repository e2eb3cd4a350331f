"""Commission run of in-house technicians for a period (R-AGT-7)."""

import jdatetime

from odoo import api, fields, models

from .. import tools as atools


class AftersalesTechnicianCommissionRun(models.TransientModel):
    _name = "aftersales.technician.commission.run"
    _description = "Technician Commission Run"

    date_from = fields.Date("From", required=True)
    date_to = fields.Date("To", required=True)
    date = fields.Date(
        "Accounting Date", help="Date of the entries; the end of the period when empty."
    )
    technician_ids = fields.Many2many(
        "aftersales.technician",
        string="Technicians",
        help="Leave empty to commission every technician.",
    )

    @api.model
    def default_get(self, fields_list):
        """The last Jalali month that has ended: jobs of a closed period."""
        values = super().default_get(fields_list)
        today = jdatetime.date.fromgregorian(date=fields.Date.context_today(self))
        year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
        date_from, date_to = atools.jalali_month_bounds(year, month)
        values.setdefault("date_from", date_from)
        values.setdefault("date_to", date_to)
        return values

    def action_run(self):
        self.ensure_one()
        moves = self.env["aftersales.technician"]._run_commissions(
            self.date_from,
            self.date_to,
            technicians=self.technician_ids or None,
            date=self.date,
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_agent.aftersales_technician_action"
        )
        if moves.has_access("read"):
            action = {
                "type": "ir.actions.act_window",
                "name": self.env._("Technician Commissions"),
                "res_model": "account.move",
                "view_mode": "list,form",
                "domain": [("id", "in", moves.ids)],
            }
        return action
