"""Approving a work report consumes its parts by real stock moves out of the agent's
consignment location (R-STK-2) and opens the core obligations of its warranty parts
(R-STK-4); its warranty fee is held out of settlement until its cores are accepted
(R-AGT-6)."""

from collections import defaultdict

from odoo import Command, api, fields, models


class AftersalesWorkReport(models.Model):
    _inherit = "aftersales.work.report"

    aftersales_core_ids = fields.One2many("aftersales.core", "report_id", string="Cores")
    aftersales_move_ids = fields.One2many(
        "stock.move", compute="_compute_aftersales_move_ids", string="Stock Moves"
    )
    aftersales_cores_held = fields.Boolean(
        "Fee Held for Cores",
        compute="_compute_aftersales_cores_held",
        store=True,
        index=True,
        help="A core of this report is not back and accepted (nor charged to the agent): "
        "the fee waits out of settlement.",
    )

    @api.depends("aftersales_core_ids.state", "aftersales_core_ids.is_charged")
    def _compute_aftersales_cores_held(self):
        for report in self:
            report.aftersales_cores_held = any(
                core.state != "accepted" and not core.is_charged
                for core in report.aftersales_core_ids
            )

    def _compute_aftersales_move_ids(self):
        moves = self.env["stock.move"].search(
            [("aftersales_work_report_part_id.report_id", "in", self.ids)]
        )
        for report in self:
            report.aftersales_move_ids = moves.filtered(
                lambda m, r=report: m.aftersales_work_report_part_id.report_id == r
            )

    def _approve(self):
        result = super()._approve()
        self._aftersales_consume_parts()
        self.env["aftersales.core"]._open_for_report_parts(self.part_ids)
        return result

    def _aftersales_consume_parts(self):
        """One stock move per part line, from the agent's consignment location to the
        customer, validated together; consignment items settle oldest first."""
        parts = self.part_ids.filtered(lambda p: not p.voided and p.product_id.is_storable)
        if not parts:
            return self.env["stock.move"]
        parts.company_id._aftersales_stock_check()
        customers = self.env.ref("stock.stock_location_customers")
        Lot = self.env["stock.lot"].sudo()
        source_of = {}
        for report in parts.report_id:
            source_of[report] = report.agent_id._aftersales_consignment_location(report.company_id)
        # Lots of serial/lot parts: the ones known, the others made (one search, one create).
        tracked = parts.filtered(lambda p: p.product_id.tracking != "none")
        lots = {}
        if tracked:
            found = Lot.search(
                [
                    ("product_id", "in", tracked.product_id.ids),
                    ("name", "in", [(p.part_serial or "").strip() for p in tracked]),
                ]
            )
            lots = {(lot.product_id, lot.name, lot.company_id): lot for lot in found}
            missing = {}
            for part in tracked:
                key = (part.product_id, part.part_serial.strip(), part.company_id)
                if key not in lots and (key[0], key[1], self.env["res.company"]) not in lots:
                    missing[key] = {
                        "product_id": key[0].id,
                        "name": key[1],
                        "company_id": key[2].id,
                    }
            if missing:
                for key, lot in zip(missing, Lot.create(list(missing.values())), strict=True):
                    lots[key] = lot
        moves = (
            self.env["stock.move"]
            .sudo()
            .create(
                [
                    part._aftersales_consumption_values(source_of[part.report_id], customers, lots)
                    for part in parts
                ]
            )
        )
        moves._action_done()
        used = defaultdict(float)
        for part in parts:
            used[(part.company_id, part.report_id.agent_id, part.product_id)] += part.quantity
        self.env["aftersales.consignment.item"]._settle_used(used)
        return moves

    def action_view_aftersales_cores(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_stock.aftersales_core_action"
        )
        action["domain"] = [("report_id", "=", self.id)]
        return action


class AftersalesWorkReportPart(models.Model):
    _inherit = "aftersales.work.report.part"

    aftersales_move_ids = fields.One2many(
        "stock.move", "aftersales_work_report_part_id", string="Stock Moves", readonly=True
    )

    def _aftersales_consumption_values(self, source, destination, lots):
        self.ensure_one()
        company = self.company_id
        lot = False
        if self.product_id.tracking != "none":
            serial = self.part_serial.strip()
            lot = lots.get((self.product_id, serial, company)) or lots.get(
                (self.product_id, serial, self.env["res.company"])
            )
        return {
            "name": self.env._(
                "%(part)s used on %(report)s",
                part=self.product_id.display_name,
                report=self.report_id.name,
            ),
            "product_id": self.product_id.id,
            "product_uom_qty": self.quantity,
            "product_uom": self.product_id.uom_id.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "company_id": company.id,
            "partner_id": self.report_id.request_id.partner_id.id,
            "origin": self.report_id.name,
            "aftersales_work_report_part_id": self.id,
            "picked": True,
            "move_line_ids": [
                Command.create(
                    {
                        "product_id": self.product_id.id,
                        "product_uom_id": self.product_id.uom_id.id,
                        "quantity": self.quantity,
                        "lot_id": lot.id if lot else False,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                        "company_id": company.id,
                    }
                )
            ],
        }

    def _check_part(self):
        result = super()._check_part()
        for line in self:
            if line.product_id.is_storable:
                line.product_id._aftersales_check_part_quantity(line.quantity)
        return result
