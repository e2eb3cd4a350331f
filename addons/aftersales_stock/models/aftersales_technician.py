"""In-house technicians owe the warranty parts they fitted until the cores are back
(R-AGT-7): an obligation per core-return part on a warranty job, counted per technician."""

from odoo import api, fields, models


class AftersalesTechnicianJobPart(models.Model):
    _inherit = "aftersales.technician.job.part"

    aftersales_core_ids = fields.One2many("aftersales.core", "technician_part_id", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        parts = super().create(vals_list)
        parts._aftersales_open_cores()
        return parts

    def _aftersales_open_cores(self):
        parts = self.filtered(
            lambda p: (
                p.product_id.aftersales_core_required
                and p.request_id.is_warranty
                and p.request_id.technician_id
                and not p.aftersales_core_ids
            )
        )
        if not parts:
            return
        today = fields.Date.context_today(self)
        self.env["aftersales.core"].sudo().create(
            [
                {
                    "company_id": part.company_id.id,
                    "technician_id": part.request_id.technician_id.id,
                    "request_id": part.request_id.id,
                    "technician_part_id": part.id,
                    "product_id": part.product_id.id,
                    "device_lot_id": part.request_id.line_ids[:1].lot_id.id,
                    "quantity": part.quantity,
                    "due_date": part.product_id._aftersales_core_due(today, part.company_id),
                    "cost": part.cost_unit,
                }
                for part in parts
            ]
        )


class AftersalesTechnician(models.Model):
    _inherit = "aftersales.technician"

    cores_owed_count = fields.Integer("Cores Owed", compute="_compute_cores_owed")
    cores_owed_value = fields.Monetary(
        "Parts Owed",
        compute="_compute_cores_owed",
        help="Cost of the warranty parts fitted whose cores are not back yet.",
    )

    def _compute_cores_owed(self):
        groups = self.env["aftersales.core"]._read_group(
            [("technician_id", "in", self.user_id.ids), ("state", "in", ("pending", "shipped"))],
            ["technician_id"],
            ["__count", "cost:sum"],
        )
        by_user = {user: (count, cost) for user, count, cost in groups}
        for technician in self:
            count, cost = by_user.get(technician.user_id, (0, 0.0))
            technician.cores_owed_count = count
            technician.cores_owed_value = cost

    def action_view_cores_owed(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_stock.aftersales_core_action"
        )
        action["domain"] = [("technician_id", "=", self.user_id.id)]
        action["context"] = {"search_default_filter_owed": 1}
        return action
