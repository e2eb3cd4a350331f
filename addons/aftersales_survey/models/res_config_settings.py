from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_happy_call_survey_id = fields.Many2one(
        related="company_id.aftersales_happy_call_survey_id", readonly=False
    )
    aftersales_happy_call_share = fields.Float(
        related="company_id.aftersales_happy_call_share", readonly=False
    )
    aftersales_happy_call_gap_days = fields.Integer(
        related="company_id.aftersales_happy_call_gap_days", readonly=False
    )
    aftersales_happy_call_threshold = fields.Float(
        related="company_id.aftersales_happy_call_threshold", readonly=False
    )
    aftersales_crm_device_age_years = fields.Integer(
        related="company_id.aftersales_crm_device_age_years", readonly=False
    )
    aftersales_weight_satisfaction = fields.Float(
        related="company_id.aftersales_weight_satisfaction", readonly=False
    )
    aftersales_weight_complaints = fields.Float(
        related="company_id.aftersales_weight_complaints", readonly=False
    )
    aftersales_weight_workload = fields.Float(
        related="company_id.aftersales_weight_workload", readonly=False
    )
    aftersales_weight_repeats = fields.Float(
        related="company_id.aftersales_weight_repeats", readonly=False
    )
    aftersales_weight_confirmed = fields.Float(
        related="company_id.aftersales_weight_confirmed", readonly=False
    )
    aftersales_weight_sla = fields.Float(related="company_id.aftersales_weight_sla", readonly=False)
    aftersales_weight_cores = fields.Float(
        related="company_id.aftersales_weight_cores", readonly=False
    )
