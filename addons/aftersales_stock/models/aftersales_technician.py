"""In-house technicians owe the warranty parts they fitted until the cores are back
(R-AGT-7): an obligation per core-return part on a warranty job, counted per technician."""

from odoo import Command, api, fields, models


class AftersalesTechnicianJobPart(models.Model):
    _inherit = "aftersales.technician.job.part"

    aftersales_core_ids = fields.One2many("aftersales.core", "technician_part_id", readonly=True)
    aftersales_move_ids = fields.One2many(
        "stock.move", "aftersales_technician_part_id", string="Stock Moves", readonly=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        parts = super().create(vals_list)
        parts._aftersales_move_parts()
        parts._aftersales_open_cores()
        return parts

    def write(self, vals):
        moved = {"product_id", "quantity", "request_id"} & vals.keys()
        if moved:
            self._aftersales_move_parts(back=True)
        result = super().write(vals)
        if moved:
            self._aftersales_move_parts()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_return_parts(self):
        self._aftersales_move_parts(back=True)

    def _aftersales_move_parts(self, back=False):
        """In-house jobs take their parts from the workshop's spare parts stock by real
        stock moves (R-STK-2); a part taken off the job goes back the same way."""
        parts = self.filtered(lambda p: p.product_id.is_storable and p.quantity > 0)
        if back:
            parts = parts.filtered("aftersales_move_ids")
        parts = parts.filtered(lambda p: p.company_id.aftersales_parts_location_id)
        if not parts:
            return
        customers = self.env.ref("stock.stock_location_customers")
        values = []
        for part in parts:
            stock = part.company_id.aftersales_parts_location_id
            source, dest = (customers, stock) if back else (stock, customers)
            values.append(
                {
                    "name": self.env._(
                        "%(part)s on job %(job)s",
                        part=part.product_id.display_name,
                        job=part.request_id.name,
                    ),
                    "product_id": part.product_id.id,
                    "product_uom_qty": part.quantity,
                    "product_uom": part.product_id.uom_id.id,
                    "location_id": source.id,
                    "location_dest_id": dest.id,
                    "company_id": part.company_id.id,
                    "partner_id": part.request_id.partner_id.id,
                    "origin": part.request_id.name,
                    "aftersales_technician_part_id": part.id,
                    "picked": True,
                    "move_line_ids": [
                        Command.create(
                            {
                                "product_id": part.product_id.id,
                                "product_uom_id": part.product_id.uom_id.id,
                                "quantity": part.quantity,
                                "location_id": source.id,
                                "location_dest_id": dest.id,
                                "company_id": part.company_id.id,
                            }
                        )
                    ],
                }
            )
        moves = self.env["stock.move"].sudo().create(values)
        moves._action_done()
        if back:
            # The pair (out and back) stays as the document of what happened; the line
            # no longer counts them as its consumption.
            (moves | parts.aftersales_move_ids).sudo().aftersales_technician_part_id = False

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
