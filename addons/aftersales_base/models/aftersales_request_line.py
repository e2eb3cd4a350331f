"""Device line of a service request (R-REC-1), with the workshop path (R-REC-8)."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import normalize_serial

QC_STATES = [
    ("none", "Not Required"),
    ("pending", "Pending"),
    ("passed", "Passed"),
    ("failed", "Failed"),
]
# Stamped by the QC and delivery actions after their checks, never written by a client.
ACTION_FIELDS = ("qc_state", "qc_user_id", "qc_date", "delivery_date")


class AftersalesRequestLine(models.Model):
    """A device of a service request.

    Quality control and delivery are recorded by ``action_qc_pass``/``action_qc_fail``/
    ``action_deliver`` only: their result fields (``ACTION_FIELDS``) are refused in
    ``create``/``write`` from any client and written by the actions in sudo after their
    checks, so the checks cannot be skipped by writing the result directly.
    """

    _name = "aftersales.request.line"
    _description = "Service Request Device"
    _order = "request_id desc, sequence, id"
    _check_company_auto = True

    request_id = fields.Many2one(
        "aftersales.request", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="request_id.partner_id", store=True, index=True)
    is_workshop = fields.Boolean(related="request_id.is_workshop")
    product_id = fields.Many2one(
        "product.product",
        string="Device",
        required=True,
        index=True,
        check_company=True,
    )
    categ_id = fields.Many2one(related="product_id.categ_id", string="Device Type")
    brand_id = fields.Many2one(
        related="product_id.product_tmpl_id.aftersales_brand_id", string="Brand"
    )
    serial_number = fields.Char(
        index=True, help="Stored upper-case without spaces, as printed on the device."
    )
    serial_to_verify = fields.Boolean(
        help="Given by the customer on the portal and not checked yet against the sales.",
    )
    fault_code_ids = fields.Many2many(
        "aftersales.fault.code",
        string="Reported Faults",
        domain="['|', ('categ_ids', '=', False), ('categ_ids', 'parent_of', categ_id)]",
    )
    notes = fields.Text()
    # Workshop: diagnosis, quality control, delivery
    diagnosis = fields.Text()
    estimated_repair_hours = fields.Float()
    diagnosis_date = fields.Datetime(readonly=True, copy=False)
    estimated_ready_date = fields.Datetime(
        compute="_compute_estimated_ready_date", store=True, readonly=False
    )
    qc_state = fields.Selection(
        QC_STATES,
        string="Quality Control",
        compute="_compute_qc_state",
        store=True,
        readonly=True,
        precompute=True,
        copy=False,
    )
    qc_user_id = fields.Many2one("res.users", string="Checked By", readonly=True, copy=False)
    qc_date = fields.Datetime("Checked On", readonly=True, copy=False)
    qc_note = fields.Text("QC Note")
    delivery_date = fields.Datetime(readonly=True, copy=False)

    @api.depends("product_id", "serial_number")
    def _compute_display_name(self):
        for line in self:
            name = line.product_id.display_name or ""
            line.display_name = f"{name} ({line.serial_number})" if line.serial_number else name

    @api.depends("request_id.is_workshop")
    def _compute_qc_state(self):
        for line in self:
            if line.request_id.is_workshop:
                line.qc_state = line.qc_state if line.qc_state not in (False, "none") else "pending"
            else:
                line.qc_state = "none"

    @api.depends("diagnosis_date", "estimated_repair_hours")
    def _compute_estimated_ready_date(self):
        for line in self:
            if line.diagnosis_date and line.estimated_repair_hours:
                line.estimated_ready_date = line.diagnosis_date + timedelta(
                    hours=line.estimated_repair_hours
                )
            else:
                line.estimated_ready_date = line.estimated_ready_date

    @api.constrains("estimated_repair_hours")
    def _check_estimated_repair_hours(self):
        if any(line.estimated_repair_hours < 0 for line in self):
            raise ValidationError(self.env._("The estimated repair time cannot be negative."))

    @api.constrains("fault_code_ids", "product_id")
    def _check_fault_codes(self):
        for line in self:
            categ = line.product_id.categ_id
            for fault in line.fault_code_ids:
                if fault.categ_ids and not (categ.parent_path or "").startswith(
                    tuple(c.parent_path for c in fault.categ_ids)
                ):
                    raise ValidationError(
                        self.env._(
                            "Fault %(fault)s does not apply to %(device)s (device type %(type)s).",
                            fault=fault.display_name,
                            device=line.product_id.display_name,
                            type=categ.display_name,
                        )
                    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_no_action_fields(vals)
            if "serial_number" in vals:
                vals["serial_number"] = normalize_serial(vals["serial_number"])
            if vals.get("diagnosis") or vals.get("estimated_repair_hours"):
                vals.setdefault("diagnosis_date", fields.Datetime.now())
        return super().create(vals_list)

    def write(self, vals):
        self._check_no_action_fields(vals)
        if "serial_number" in vals:
            vals["serial_number"] = normalize_serial(vals["serial_number"])
        if "diagnosis" in vals or "estimated_repair_hours" in vals:
            vals.setdefault("diagnosis_date", fields.Datetime.now())
        if "request_id" not in vals:
            return super().write(vals)
        # A device moved to another request must not leave its request empty.
        previous = self.request_id
        res = super().write(vals)
        (previous - self.request_id)._check_has_devices()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_last_device(self):
        # A request keeps at least one device (deleting the request itself cascades).
        for request in self.request_id:
            if not request.line_ids - self:
                raise ValidationError(
                    self.env._(
                        "Request %(name)s has no device: add at least one device line.",
                        name=request.name,
                    )
                )

    def _check_no_action_fields(self, vals):
        if self.env.su:
            return
        if any(fname in vals for fname in ACTION_FIELDS):
            raise UserError(
                self.env._(
                    "Quality control and delivery are recorded with the QC Pass, QC Fail and "
                    "Deliver buttons, not written on the device."
                )
            )

    def action_qc_pass(self):
        self._record_qc("passed", self.env._("Quality control passed: %(devices)s"))
        return True

    def action_qc_fail(self):
        self._record_qc("failed", self.env._("Quality control failed: %(devices)s"))
        return True

    def _record_qc(self, state, message):
        self.check_access("write")
        self._check_qc_allowed()
        self.sudo().write(
            {"qc_state": state, "qc_user_id": self.env.uid, "qc_date": fields.Datetime.now()}
        )
        self._post_on_requests(message)

    def action_deliver(self):
        self.check_access("write")
        for line in self:
            if not line.request_id.is_workshop:
                raise UserError(
                    self.env._(
                        "Only devices brought to the workshop are delivered (%(device)s).",
                        device=line.display_name,
                    )
                )
            if line.delivery_date:
                raise UserError(
                    self.env._("%(device)s was already delivered.", device=line.display_name)
                )
            if line.qc_state != "passed":
                raise UserError(
                    self.env._(
                        "%(device)s cannot be delivered before it passes quality control.",
                        device=line.display_name,
                    )
                )
        self.sudo().write({"delivery_date": fields.Datetime.now()})
        self._post_on_requests(self.env._("Delivered to the customer: %(devices)s"))
        return True

    def _check_qc_allowed(self):
        for line in self:
            if not line.request_id.is_workshop:
                raise UserError(
                    self.env._(
                        "Quality control applies to workshop repairs only (%(device)s).",
                        device=line.display_name,
                    )
                )
            if line.delivery_date:
                raise UserError(
                    self.env._("%(device)s was already delivered.", device=line.display_name)
                )
            if line.request_id.technician_id == self.env.user and not self.env.user.has_group(
                "aftersales_base.group_aftersales_manager"
            ):
                raise UserError(
                    self.env._(
                        "The technician who repaired %(device)s cannot pass its quality control.",
                        device=line.display_name,
                    )
                )

    def _post_on_requests(self, message):
        for request in self.request_id:
            lines = self.filtered(lambda line, r=request: line.request_id == r)
            request.message_post(
                body=message % {"devices": ", ".join(lines.mapped("display_name"))}
            )
