"""Refurbishing of accepted cores (R-STK-4): an accepted core that goes to no vendor is
repaired on a repair order (from the cores location to the refurbishing location); when
the repair is done, the part comes back to spare parts stock as refurbished stock (see
models/repair_order.py)."""

from odoo import api, fields, models
from odoo.exceptions import UserError


class AftersalesCore(models.Model):
    _inherit = "aftersales.core"

    repair_id = fields.Many2one(
        "repair.order", "Repair Order", readonly=True, copy=False, index="btree_not_null"
    )
    repair_state = fields.Selection(related="repair_id.state", string="Repair Status")
    refurbish_move_id = fields.Many2one(
        "stock.move",
        "Refurbished Stock Move",
        readonly=True,
        copy=False,
        help="The move that put the refurbished part back in spare parts stock.",
    )

    def action_refurbish(self):
        """One repair order per accepted core, confirmed: the core waits in the cores
        location until the repair is done."""
        self._check_warehouse()
        wrong = self.filtered(lambda c: c.state != "accepted")
        if wrong:
            raise UserError(
                self.env._(
                    "Cores %(names)s are not accepted: only accepted cores are refurbished.",
                    names=", ".join(wrong.mapped("name")),
                )
            )
        claimed = self.filtered("supplier_claim_id")
        if claimed:
            raise UserError(
                self.env._(
                    "Cores %(names)s are on a supplier claim: they go back to the vendor.",
                    names=", ".join(claimed.mapped("name")),
                )
            )
        repaired = self.filtered("repair_id")
        if repaired:
            raise UserError(
                self.env._(
                    "Cores %(names)s were already sent to refurbishing.",
                    names=", ".join(repaired.mapped("name")),
                )
            )
        self.company_id._aftersales_stock_check()
        cores = self.sudo()
        missing = cores.company_id.filtered(
            lambda c: not c.aftersales_stock_warehouse_id.repair_type_id
        )
        if missing:
            raise UserError(
                self.env._(
                    "The after-sales warehouse of %(companies)s has no repair operation type.",
                    companies=", ".join(missing.mapped("name")),
                )
            )
        repairs = (
            self.env["repair.order"]
            .sudo()
            .create([core._refurbish_repair_values() for core in cores])
        )
        for core, repair in zip(cores, repairs, strict=True):
            core.repair_id = repair
            core.message_post(
                body=self.env._("Sent to refurbishing on %(repair)s.", repair=repair.name)
            )
        repairs._action_repair_confirm()
        return self._action_view_repairs()

    def _refurbish_repair_values(self):
        self.ensure_one()
        company = self.company_id
        return {
            "company_id": company.id,
            "product_id": self.product_id.id,
            "product_qty": self.quantity,
            "product_uom": self.product_id.uom_id.id,
            "lot_id": self.lot_id.id,
            "picking_type_id": company.aftersales_stock_warehouse_id.repair_type_id.id,
            "product_location_src_id": company.aftersales_cores_location_id.id,
            "product_location_dest_id": company.aftersales_refurbish_location_id.id,
            "location_id": company.aftersales_parts_location_id.id,
            "internal_notes": self.env._(
                "Refurbishing of core %(core)s (job %(job)s).",
                core=self.name,
                job=self.request_id.name,
            ),
        }

    def _action_view_repairs(self):
        repairs = self.repair_id
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Refurbishing"),
            "res_model": "repair.order",
        }
        if len(repairs) == 1:
            action.update({"views": [[False, "form"]], "res_id": repairs.id})
        else:
            action.update(
                {"views": [[False, "list"], [False, "form"]], "domain": [("id", "in", repairs.ids)]}
            )
        return action

    def action_view_repair(self):
        return self._action_view_repairs()

    @api.model
    def _refurbished(self, repairs):
        """Put the parts of the done ``repairs`` of cores back in spare parts stock:
        one done internal move each, supply type refurbished."""
        cores = self.sudo().search(
            [("repair_id", "in", repairs.ids), ("refurbish_move_id", "=", False)]
        )
        if not cores:
            return self.env["stock.move"]
        moves = (
            self.env["stock.move"].sudo().create([core._refurbish_move_values() for core in cores])
        )
        moves._action_done()
        for core, move in zip(cores, moves, strict=True):
            core.refurbish_move_id = move
            core.message_post(
                body=self.env._(
                    "Refurbished on %(repair)s: back in spare parts stock.",
                    repair=core.repair_id.name,
                )
            )
        return moves

    def _refurbish_move_values(self):
        self.ensure_one()
        company = self.company_id
        repair = self.repair_id
        source = repair.product_location_dest_id
        dest = company.aftersales_parts_location_id
        return {
            "name": self.env._("Refurbished core %(label)s", label=self.name),
            "product_id": self.product_id.id,
            "product_uom_qty": repair.product_qty,
            "product_uom": repair.product_uom.id or self.product_id.uom_id.id,
            "location_id": source.id,
            "location_dest_id": dest.id,
            "company_id": company.id,
            "picking_type_id": company.aftersales_stock_warehouse_id.int_type_id.id,
            "origin": repair.name,
            "aftersales_core_id": self.id,
            "aftersales_supply_type": "refurbished",
            "picked": True,
            "move_line_ids": [
                fields.Command.create(
                    {
                        "product_id": self.product_id.id,
                        "product_uom_id": repair.product_uom.id or self.product_id.uom_id.id,
                        "quantity": repair.product_qty,
                        "lot_id": repair.lot_id.id,
                        "location_id": source.id,
                        "location_dest_id": dest.id,
                        "company_id": company.id,
                    }
                )
            ],
        }
