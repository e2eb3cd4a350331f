"""Service requests raised by a periodic service plan (R-WAR-11)."""

from odoo import fields, models

OPERATOR = "aftersales_base.group_aftersales_operator"


# Apart from aftersales_request.py (the warranty check at reception) so that the
# periodic-service pieces stay together; the integrator may merge them.
class AftersalesRequest(models.Model):
    _inherit = "aftersales.request"  # pylint: disable=consider-merging-classes-inherited

    periodic_visit_ids = fields.One2many(
        "aftersales.warranty.service.visit",
        "request_id",
        string="Periodic Service Visits",
        groups=OPERATOR,
    )
