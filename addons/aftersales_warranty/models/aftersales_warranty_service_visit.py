"""A periodic-service visit of a device (R-WAR-11): one row per card, plan and visit
number, created by the daily job together with the visit's service request."""

from odoo import api, fields, models

VISIT_STATES = [
    ("planned", "Planned"),
    ("requested", "Requested"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
# The claim of a visit: a second run, or a second transaction, cannot raise it again.
VISIT_UNIQUE = "aftersales_warranty_service_visit_card_plan_number_uniq"


class AftersalesWarrantyServiceVisit(models.Model):
    _name = "aftersales.warranty.service.visit"
    _description = "Periodic Service Visit"
    _order = "planned_date desc, id desc"
    _check_company_auto = True
    _rec_name = "card_id"

    card_id = fields.Many2one(
        "aftersales.warranty.card",
        string="Warranty Card",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    plan_id = fields.Many2one(
        "aftersales.warranty.service.plan",
        required=True,
        ondelete="restrict",
        index=True,
    )
    visit_number = fields.Integer("Visit", required=True)
    planned_date = fields.Date(required=True, index=True)
    request_id = fields.Many2one(
        "aftersales.request",
        string="Service Request",
        ondelete="set null",
        index="btree_not_null",
        check_company=True,
    )
    company_id = fields.Many2one(related="card_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="card_id.partner_id", string="Customer")
    product_id = fields.Many2one(related="card_id.product_id", string="Product")
    serial_number = fields.Char(related="card_id.serial_number")
    state = fields.Selection(
        VISIT_STATES,
        compute="_compute_state",
        store=True,
        index=True,
        help="From the service request: requested while it is open, done or cancelled "
        "when it is closed.",
    )

    _sql_constraints = [
        (
            VISIT_UNIQUE.removeprefix("aftersales_warranty_service_visit_"),
            "unique(card_id, plan_id, visit_number)",
            "A visit of a plan is raised once per device.",
        ),
        ("visit_number_positive", "CHECK(visit_number > 0)", "Visits are numbered from 1."),
    ]

    @api.depends("card_id.display_name", "visit_number")
    def _compute_display_name(self):
        for visit in self:
            visit.display_name = self.env._(
                "%(card)s, visit %(number)s",
                card=visit.card_id.display_name or "",
                number=visit.visit_number,
            )

    @api.depends("request_id", "request_id.is_closed", "request_id.stage_id.is_cancel")
    def _compute_state(self):
        for visit in self:
            request = visit.request_id
            if not request:
                visit.state = "planned"
            elif not request.is_closed:
                visit.state = "requested"
            elif request.stage_id.is_cancel:
                visit.state = "cancelled"
            else:
                visit.state = "done"
