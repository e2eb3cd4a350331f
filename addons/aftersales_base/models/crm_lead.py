from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    aftersales_request_id = fields.Many2one(
        "aftersales.request", string="Service Request", index="btree_not_null", copy=False
    )
