from odoo import fields, models


class AftersalesServiceType(models.Model):
    _inherit = "aftersales.service.type"

    happy_call_survey_id = fields.Many2one(
        "survey.survey",
        string="Happy-Call Questionnaire",
        help="Questionnaire of the happy calls of this service type; the company's default "
        "when empty.",
    )
