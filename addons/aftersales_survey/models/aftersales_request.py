from odoo import fields, models
from odoo.exceptions import UserError


class AftersalesRequest(models.Model):
    _inherit = "aftersales.request"

    happy_call_ids = fields.One2many("aftersales.happy.call", "request_id", readonly=True)

    def _sync_closing_dates(self):
        result = super()._sync_closing_dates()
        done = self.filtered(lambda r: r.is_closed and r.done_date and not r.stage_id.is_cancel)
        if done:
            self.env["aftersales.happy.call"]._queue_for(done)
        return result

    def _aftersales_happy_call_survey(self):
        self.ensure_one()
        return (
            self.service_type_id.happy_call_survey_id
            or self.company_id.aftersales_happy_call_survey_id
            or self.env.ref("aftersales_survey.survey_happy_call", raise_if_not_found=False)
        )

    def action_queue_happy_call(self):
        """Queue the happy call of done jobs by hand (no sampling)."""
        not_done = self.filtered(lambda r: not r.done_date or not r.is_closed)
        if not_done:
            raise UserError(
                self.env._(
                    "Job %(jobs)s is not done: no happy call for it yet.",
                    jobs=", ".join(not_done.mapped("name")),
                )
            )
        Call = self.env["aftersales.happy.call"].sudo()
        have = Call.search([("request_id", "in", self.ids)]).request_id
        Call.create(
            [
                Call._values_for(request, request._aftersales_happy_call_survey())
                for request in self - have
            ]
        )
        return True
