"""Happy calls on Odoo's survey: scored answers, an answer flag for the customer's
interest in buying, and answers locked once submitted."""

from odoo import api, fields, models
from odoo.exceptions import UserError


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    is_aftersales_happy_call = fields.Boolean(
        "Happy-Call Questionnaire", help="Used for after-sales happy calls."
    )


class SurveyQuestionAnswer(models.Model):
    _inherit = "survey.question.answer"

    aftersales_interest = fields.Boolean(
        "Shows Interest in Buying",
        help="A customer choosing this answer gets a CRM opportunity.",
    )


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    aftersales_happy_call_id = fields.Many2one(
        "aftersales.happy.call", string="Happy Call", index="btree_not_null", readonly=True
    )

    def _mark_done(self):
        result = super()._mark_done()
        calls = self.sudo().aftersales_happy_call_id
        if calls:
            calls._on_answered()
        return result

    def write(self, vals):
        # A submitted happy call is not reopened (answers are locked: see the lines).
        if vals.get("state") in ("new", "in_progress"):
            self._aftersales_check_open()
        return super().write(vals)

    def _aftersales_check_open(self):
        if self.sudo().filtered(lambda i: i.aftersales_happy_call_id and i.state == "done"):
            raise UserError(self.env._("The answers of a happy call are locked once submitted."))


class SurveyUserInputLine(models.Model):
    _inherit = "survey.user_input.line"

    @api.model_create_multi
    def create(self, vals_list):
        inputs = self.env["survey.user_input"].browse(
            [vals.get("user_input_id") for vals in vals_list if vals.get("user_input_id")]
        )
        inputs._aftersales_check_open()
        return super().create(vals_list)

    def write(self, vals):
        self.user_input_id._aftersales_check_open()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_locked(self):
        self.user_input_id._aftersales_check_open()
