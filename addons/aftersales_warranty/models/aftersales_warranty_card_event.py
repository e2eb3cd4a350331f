"""History of a warranty card: issue, start, extensions, transfers, voiding, replacement,
expiry; who, when, from what to what, and why."""

from odoo import api, fields, models

EVENT_TYPES = [
    ("issue", "Issued"),
    ("activate", "Started"),
    ("extend", "Extended"),
    ("transfer", "Ownership Transferred"),
    ("void", "Voided"),
    ("replace", "Replaced"),
    ("expire", "Expired"),
    ("print", "Printed"),
    ("extend_cancel", "Extension Cancelled"),
]


class AftersalesWarrantyCardEvent(models.Model):
    _name = "aftersales.warranty.card.event"
    _description = "Warranty Card Event"
    _order = "date desc, id desc"

    card_id = fields.Many2one(
        "aftersales.warranty.card", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="card_id.company_id", store=True, index=True)
    event_type = fields.Selection(EVENT_TYPES, string="Event", required=True, readonly=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="By", default=lambda self: self.env.user, readonly=True
    )
    old_value = fields.Char("Before", readonly=True)
    new_value = fields.Char("After", readonly=True)
    reason = fields.Text(readonly=True)

    @api.depends("event_type", "card_id")
    def _compute_display_name(self):
        labels = dict(self._fields["event_type"]._description_selection(self.env))
        for event in self:
            event.display_name = f"{event.card_id.name}: {labels.get(event.event_type, '')}"
