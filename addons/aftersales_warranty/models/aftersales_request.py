"""Warranty at reception (R-WAR-5): the request proposes warranty or paid repair, and
refuses a warranty repair on a device not covered unless a manager overrides it."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

MANAGER = "aftersales_base.group_aftersales_manager"
OVERRIDE_FIELDS = ("warranty_override_reason", "warranty_override_user_id")
# What can turn an accepted warranty request into one that is not covered.
WARRANTY_KEYS = frozenset(
    {"service_type_id", "line_ids", "request_date", "company_id", "warranty_override_reason"}
)


OPERATOR = "aftersales_base.group_aftersales_operator"


class AftersalesRequest(models.Model):
    _inherit = "aftersales.request"

    is_warranty = fields.Boolean(related="service_type_id.is_warranty", string="Warranty Repair")
    warranty_proposal = fields.Selection(
        [
            ("warranty", "Warranty Repair"),
            ("paid", "Paid Repair"),
            ("check", "To Check"),
        ],
        compute="_compute_warranty_proposal",
        help="From the warranty check of every device at the request date: all covered "
        "(warranty), none covered (paid), or devices without a known card (to check).",
    )
    warranty_summary = fields.Text("Warranty Check", compute="_compute_warranty_proposal")
    warranty_override_reason = fields.Text(
        tracking=True,
        copy=False,
        help="Why an after-sales manager accepts this warranty repair although the device "
        "is not covered.",
    )
    warranty_override_user_id = fields.Many2one(
        "res.users", string="Warranty Overridden By", readonly=True, tracking=True, copy=False
    )

    @api.depends("line_ids.lot_id", "line_ids.serial_number", "line_ids.product_id", "request_date")
    def _compute_warranty_proposal(self):
        checks = self.line_ids._warranty_checks()
        for request in self:
            results = [checks[line] for line in request.line_ids if line in checks]
            if not results:
                request.warranty_proposal = False
                request.warranty_summary = False
                continue
            if all(result.covered for result in results):
                request.warranty_proposal = "warranty"
            elif any(not result.card for result in results):
                request.warranty_proposal = "check"
            elif not any(result.covered for result in results):
                request.warranty_proposal = "paid"
            else:
                request.warranty_proposal = "check"
            request.warranty_summary = "\n".join(
                f"{line.display_name}: {checks[line].reason}"
                for line in request.line_ids
                if line in checks
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._prepare_override_vals(vals)
        requests = super().create(vals_list)
        requests._check_warranty_repair()
        return requests

    def write(self, vals):
        self._prepare_override_vals(vals)
        res = super().write(vals)
        if WARRANTY_KEYS & vals.keys():
            self._check_warranty_repair()
        return res

    @api.model
    def _prepare_override_vals(self, vals):
        """Only an after-sales manager overrides the warranty check; the server records
        who did, whatever the client sends (web form, XML-RPC, import)."""
        if not any(key in vals for key in OVERRIDE_FIELDS):
            return
        if "warranty_override_reason" not in vals:
            # The user is never written by a client without the reason.
            vals.pop("warranty_override_user_id")
            return
        if vals["warranty_override_reason"]:
            if not self.env.su and not self.env.user.has_group(MANAGER):
                raise AccessError(
                    self.env._(
                        "Only an after-sales manager may accept a warranty repair on a device "
                        "that is not under warranty."
                    )
                )
            vals["warranty_override_user_id"] = self.env.uid
        else:
            vals["warranty_override_user_id"] = False

    def _check_warranty_repair(self):
        """Refuse warranty repairs on devices not covered at the request date.

        A device whose card does not cover it is refused. A device without card (or
        without serial) is refused only when the company requires cards; otherwise it
        is accepted and the form says it must be checked.
        """
        requests = self.filtered(
            lambda r: r.service_type_id.is_warranty and not r.warranty_override_reason
        )
        if not requests:
            return
        checks = requests.line_ids._warranty_checks()
        for request in requests:
            strict = request.company_id.aftersales_warranty_strict
            refused = [
                (line, checks[line])
                for line in request.line_ids
                if not checks[line].covered and (strict or checks[line].card)
            ]
            if refused:
                raise ValidationError(
                    self.env._(
                        "Request %(name)s is a warranty repair, but these devices are not "
                        "under warranty:\n%(devices)s\nChoose a paid service type, or ask "
                        "an after-sales manager to accept it with a reason.",
                        name=request.name,
                        devices="\n".join(
                            f"- {line.display_name}: {check.reason}" for line, check in refused
                        ),
                    )
                )

    periodic_visit_ids = fields.One2many(
        "aftersales.warranty.service.visit",
        "request_id",
        string="Periodic Service Visits",
        groups=OPERATOR,
    )
