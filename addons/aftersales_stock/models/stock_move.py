"""Stock moves of the after-sales documents (R-STK-2: every movement is a document):
issued for a part request, consumed by a work report, a core received, and the supply
type of what comes into spare parts stock (R-STK-6)."""

from odoo import api, fields, models

SUPPLY_TYPES = [
    ("purchase", "Purchase"),
    ("import", "Import"),
    ("refurbished", "Refurbished"),
]


class StockMove(models.Model):
    _inherit = "stock.move"

    aftersales_part_request_line_id = fields.Many2one(
        "aftersales.part.request.line",
        string="Part Request Line",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
    aftersales_work_report_part_id = fields.Many2one(
        "aftersales.work.report.part",
        string="Work Report Part",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
    aftersales_technician_part_id = fields.Many2one(
        "aftersales.technician.job.part",
        string="Technician's Part",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
    aftersales_core_id = fields.Many2one(
        "aftersales.core", string="Core", index="btree_not_null", readonly=True, copy=False
    )
    aftersales_consignment_item_id = fields.Many2one(
        "aftersales.consignment.item",
        string="Consignment Item",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
    aftersales_supply_type = fields.Selection(
        SUPPLY_TYPES,
        string="Supply Type",
        compute="_compute_aftersales_supply_type",
        store=True,
        index="btree_not_null",
        help="How parts came into stock: bought, imported or refurbished (R-STK-6).",
    )

    @api.depends("purchase_line_id.order_id.aftersales_supply_type", "location_id.usage")
    def _compute_aftersales_supply_type(self):
        for move in self:
            order = move.purchase_line_id.order_id
            if order:
                move.aftersales_supply_type = order.aftersales_supply_type or "purchase"
            elif not move.aftersales_supply_type:
                move.aftersales_supply_type = False

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        done = moves.filtered(lambda m: m.state == "done")
        issued = done.filtered("aftersales_part_request_line_id")
        if issued:
            self.env["aftersales.consignment.item"]._open_for_moves(
                issued.filtered(
                    lambda m: m.aftersales_part_request_line_id.request_type == "consignment"
                )
            )
            issued.aftersales_part_request_line_id.part_request_id._update_done()
        return moves
