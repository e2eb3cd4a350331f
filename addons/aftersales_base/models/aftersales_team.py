from odoo import fields, models


def technician_domain(model):
    """Users who can be given jobs: members of the technician group (or above)."""
    return [("groups_id", "in", model.env.ref("aftersales_base.group_aftersales_technician").id)]


class AftersalesTeam(models.Model):
    _name = "aftersales.team"
    _description = "Technician Team"
    _inherit = ["mail.thread"]
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    leader_id = fields.Many2one(
        "res.users", string="Dispatcher", domain="[('share', '=', False)]", tracking=True
    )
    member_ids = fields.Many2many(
        "res.users",
        string="Technicians",
        domain=technician_domain,
    )
