"""Settlement gate (R-AGT-6): the fee of a report whose cores are not all back and
accepted (or charged to the agent) stays out of settlement."""

from odoo import models
from odoo.exceptions import UserError


class AftersalesAgentSettlement(models.Model):
    _inherit = "aftersales.agent.settlement"

    def _report_domain(self):
        return [*super()._report_domain(), ("aftersales_cores_held", "=", False)]

    def _check_selection(self, reports):
        result = super()._check_selection(reports)
        held = reports.filtered("aftersales_cores_held")
        if held:
            raise UserError(
                self.env._(
                    "The fees of %(names)s are held until their defective cores are "
                    "returned and accepted.",
                    names=", ".join(held.mapped("name")),
                )
            )
        return result
