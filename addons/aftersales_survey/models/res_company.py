from odoo import api, fields, models
from odoo.exceptions import ValidationError

WEIGHT_FIELDS = {
    "satisfaction": "aftersales_weight_satisfaction",
    "complaints": "aftersales_weight_complaints",
    "workload": "aftersales_weight_workload",
    "repeats": "aftersales_weight_repeats",
    "confirmed": "aftersales_weight_confirmed",
    "sla": "aftersales_weight_sla",
    "cores": "aftersales_weight_cores",
}


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_happy_call_survey_id = fields.Many2one(
        "survey.survey",
        string="Default Happy-Call Questionnaire",
        help="Used for service types without their own questionnaire.",
    )
    aftersales_happy_call_share = fields.Float(
        "Agent Jobs Called (%)",
        default=20.0,
        help="Share of the done jobs of each agent that get a happy call; in-house jobs "
        "are always called. An agent may have its own share.",
    )
    aftersales_happy_call_gap_days = fields.Integer(
        "Days Between Calls to a Customer",
        default=90,
        help="A customer called within these days is not called again (0: no limit).",
    )
    aftersales_happy_call_threshold = fields.Float(
        "Unhappy Below (%)",
        default=60.0,
        help="A happy call scored under this percentage opens a complaint.",
    )
    aftersales_crm_device_age_years = fields.Integer(
        "Offer a New Device After (years)",
        default=7,
        help="A happy call on a device out of warranty and at least this old creates a CRM "
        "opportunity.",
    )
    aftersales_weight_satisfaction = fields.Float("Weight: Satisfaction", default=40.0)
    aftersales_weight_complaints = fields.Float("Weight: Complaints", default=20.0)
    aftersales_weight_workload = fields.Float("Weight: Workload", default=10.0)
    aftersales_weight_repeats = fields.Float("Weight: Repeat Repairs", default=10.0)
    aftersales_weight_confirmed = fields.Float("Weight: Confirmed Visits", default=5.0)
    aftersales_weight_sla = fields.Float("Weight: SLA", default=10.0)
    aftersales_weight_cores = fields.Float("Weight: Core Returns", default=5.0)

    @api.constrains(*WEIGHT_FIELDS.values())
    def _check_aftersales_weights(self):
        for company in self:
            weights = company._aftersales_weights()
            if any(weight < 0 for weight in weights.values()):
                raise ValidationError(self.env._("Scorecard weights cannot be negative."))
            if not sum(weights.values()):
                raise ValidationError(
                    self.env._("The scorecard weights sum to zero: give at least one weight.")
                )

    def _aftersales_weights(self):
        self.ensure_one()
        return {metric: self[field] or 0.0 for metric, field in WEIGHT_FIELDS.items()}
