"""Download center (R-AGT-9): files the company publishes to every agent or to some.

Agents read them on the portal (``/my/downloads``); the portal record rule gives an
agent's users the published documents meant for every agent or for their own agent.
"""

from odoo import api, fields, models

CATEGORIES = [
    ("manual", "Manual"),
    ("price_list", "Price List"),
    ("form", "Form"),
    ("circular", "Circular"),
    ("other", "Other"),
]


class AftersalesAgentDocument(models.Model):
    _name = "aftersales.agent.document"
    _description = "Agent Download"
    _inherit = ["mail.thread"]
    _order = "publication_date desc, id desc"
    _check_company_auto = True

    name = fields.Char("Title", required=True, tracking=True)
    category = fields.Selection(
        CATEGORIES, required=True, default="other", index=True, tracking=True
    )
    file = fields.Binary(required=True, attachment=True)
    file_name = fields.Char()
    description = fields.Text()
    published = fields.Boolean(
        index=True, copy=False, tracking=True, help="Only published documents reach the agents."
    )
    publication_date = fields.Date(
        copy=False,
        tracking=True,
        help="Shown to the agents; set to today when the document is published without one.",
    )
    agent_ids = fields.Many2many(
        "res.partner",
        "aftersales_agent_document_partner_rel",
        "document_id",
        "partner_id",
        string="Agents",
        domain="[('is_aftersales_agent', '=', True)]",
        tracking=True,
        help="Agents who get the document; empty: every agent.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)

    @api.model_create_multi
    def create(self, vals_list):
        today = fields.Date.context_today(self)
        for vals in vals_list:
            if vals.get("published") and not vals.get("publication_date"):
                vals["publication_date"] = today
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("published") and "publication_date" not in vals:
            undated = self.filtered(lambda doc: not doc.publication_date)
            if undated:
                super(AftersalesAgentDocument, undated).write(
                    {"publication_date": fields.Date.context_today(self)}
                )
        return super().write(vals)

    def action_publish(self):
        self.write({"published": True})

    def action_unpublish(self):
        self.write({"published": False})

    @api.model
    def _aftersales_portal_domain(self, agent):
        """Documents ``agent`` may read: published, for every agent or for this one."""
        if not agent:
            return [(0, "=", 1)]
        return [
            ("published", "=", True),
            "|",
            ("agent_ids", "=", False),
            ("agent_ids", "in", agent.ids),
        ]
