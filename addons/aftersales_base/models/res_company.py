from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_complaint_ack_hours = fields.Integer(
        "Complaint Acknowledgement (hours)",
        default=24,
        help="Time to acknowledge a complaint to the customer (ISO 10002).",
    )
    aftersales_complaint_resolution_days = fields.Integer(
        "Complaint Resolution (days)",
        default=14,
        help="Time to resolve a complaint and inform the customer.",
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_complaint_ack_hours = fields.Integer(
        related="company_id.aftersales_complaint_ack_hours", readonly=False
    )
    aftersales_complaint_resolution_days = fields.Integer(
        related="company_id.aftersales_complaint_resolution_days", readonly=False
    )
