"""Coded base data (R-BASE): brands, channels, service types, stages, fault codes."""

from odoo import api, fields, models


class AftersalesCodeMixin(models.AbstractModel):
    """Name + unique code, the shape of every base-data list managers edit.

    The code is always searchable (``_rec_names_search``). It is shown in the display
    name ("[F01] No power") only where it helps people pick a record, e.g. fault codes
    read from a service manual; lists read all day (stages on every kanban column and
    status bar, channels, service types) set ``_aftersales_code_in_name = False`` and
    show the name alone. The code stays in the code lists, SMS replies and exports.
    """

    _name = "aftersales.code.mixin"
    _description = "After-Sales Coded Record"
    _order = "sequence, code, id"
    _rec_names_search = ["name", "code"]
    _aftersales_code_in_name = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    @api.depends("name", "code")
    def _compute_display_name(self):
        if not self._aftersales_code_in_name:
            for record in self:
                record.display_name = record.name
            return
        for record in self:
            record.display_name = f"[{record.code}] {record.name}" if record.code else record.name


class AftersalesBrand(models.Model):
    _name = "aftersales.brand"
    _inherit = ["aftersales.code.mixin"]
    _description = "Brand"

    _sql_constraints = [("code_uniq", "unique(code)", "The brand code must be unique.")]


class AftersalesChannel(models.Model):
    _name = "aftersales.channel"
    _inherit = ["aftersales.code.mixin"]
    _description = "Request Channel"
    _aftersales_code_in_name = False

    _sql_constraints = [("code_uniq", "unique(code)", "The channel code must be unique.")]


class AftersalesServiceType(models.Model):
    _name = "aftersales.service.type"
    _inherit = ["aftersales.code.mixin"]
    _description = "Service Type"
    _aftersales_code_in_name = False

    company_id = fields.Many2one("res.company", index=True)
    sla_hours = fields.Float(
        "SLA (hours)",
        default=48.0,
        help="Hours between the request and the SLA deadline for this service type.",
    )
    is_workshop = fields.Boolean(
        "Workshop Repair",
        help="Devices are brought to the workshop: a receipt is printed and a quality "
        "control pass is required before delivery.",
    )
    color = fields.Integer()

    _sql_constraints = [
        ("code_uniq", "unique(code, company_id)", "The service type code must be unique."),
        ("sla_positive", "CHECK(sla_hours >= 0)", "The SLA cannot be negative."),
    ]


class AftersalesStage(models.Model):
    _name = "aftersales.stage"
    _inherit = ["aftersales.code.mixin"]
    _description = "Request Stage"
    _aftersales_code_in_name = False

    fold = fields.Boolean("Folded in Kanban")
    is_closed = fields.Boolean(
        "Closing Stage", help="Requests in this stage are finished (done or cancelled)."
    )
    is_cancel = fields.Boolean("Cancelled Stage")
    sms_code = fields.Char(
        "SMS Status Code",
        index="btree_not_null",
        help="Code a technician or agent texts after the tracking number to move a request "
        "to this stage, e.g. 'AS0000123 3'.",
    )
    description = fields.Text(translate=True)

    _sql_constraints = [("code_uniq", "unique(code)", "The stage code must be unique.")]


class AftersalesFaultCode(models.Model):
    _name = "aftersales.fault.code"
    _inherit = ["aftersales.code.mixin"]
    _description = "Fault Code"

    categ_ids = fields.Many2many(
        "product.category",
        string="Device Types",
        help="Device types (product categories) this fault applies to; empty for all.",
    )

    _sql_constraints = [("code_uniq", "unique(code)", "The fault code must be unique.")]
