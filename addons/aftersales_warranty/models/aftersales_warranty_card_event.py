"""History of a warranty card: issue, start, extensions, transfers, voiding, replacement,
expiry; who, when, from what to what, and why."""

from odoo import api, fields, models
from odoo.tools import SQL

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
    # Append-only: ``date`` and ``user_id`` say who and when; no log columns (nor their
    # two foreign keys to check on each of the thousands of rows of a batch issue).
    _log_access = False

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

    @api.model
    def _insert_rows(self, rows):
        """History rows ``(card, event_type, date, user_id, old_value, new_value, reason)``
        written in one INSERT; returns the new events.

        History is append-only and only the card's own methods write it: one statement
        for a batch instead of the ORM's defaults and checks per row (thousands of rows
        when cards are issued in batch). The values are those ``create`` would store.
        """
        if not rows:
            return self.browse()
        types = dict(EVENT_TYPES)
        if any(row[1] not in types for row in rows):
            raise ValueError(f"Unknown warranty card event types in {rows!r}")
        self.env["aftersales.warranty.card"].flush_model(["company_id"])
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO aftersales_warranty_card_event
                    (card_id, company_id, event_type, date, user_id, old_value, new_value,
                     reason)
                SELECT r.card_id, c.company_id, r.event_type, r.date, r.user_id, r.old_value,
                       r.new_value, r.reason
                  FROM unnest(%(cards)s::int4[], %(types)s::varchar[], %(dates)s::timestamp[],
                              %(users)s::int4[], %(olds)s::varchar[], %(news)s::varchar[],
                              %(reasons)s::text[])
                       WITH ORDINALITY
                       AS r(card_id, event_type, date, user_id, old_value, new_value, reason, n)
                  JOIN aftersales_warranty_card c ON c.id = r.card_id
                 ORDER BY r.n
             RETURNING id
                """,
                cards=[row[0].id for row in rows],
                types=[row[1] for row in rows],
                dates=[row[2] for row in rows],
                users=[row[3] or None for row in rows],
                olds=[row[4] or None for row in rows],
                news=[row[5] or None for row in rows],
                reasons=[row[6] or None for row in rows],
            )
        )
        events = self.browse(row[0] for row in self.env.cr.fetchall())
        cards = self.env["aftersales.warranty.card"].browse({row[0].id for row in rows})
        cards.invalidate_recordset(["event_ids"])
        return events
