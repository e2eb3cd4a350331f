from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import StockCase


@tagged("post_install", "-at_install")
class TestSupplierClaims(StockCase):
    """Supplier warranty claims (cores back to the vendor against a credit note) and
    refurbishing of accepted cores (a repair order, then refurbished spare parts stock)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.vendor = env["res.partner"].create({"name": "S Burner Importer", "is_company": True})
        cls.other_vendor = env["res.partner"].create({"name": "S Other Vendor"})
        cls.core_part.aftersales_supplier_warranty_days = 365
        cls.serial_core_part.aftersales_supplier_warranty_days = 365
        cls.accountant = cls._user("sc_accountant", "account.group_account_invoice")
        cls.order = cls._purchase(cls.vendor, cls.core_part, 3, 1800000)

    @classmethod
    def _purchase(cls, vendor, product, qty, price):
        """A purchase order confirmed and its receipt validated (a real move from the
        vendor)."""
        order = cls.env["purchase.order"].create(
            {
                "partner_id": vendor.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_qty": qty,
                            "price_unit": price,
                            "taxes_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.button_confirm()
        receipt = order.picking_ids
        for move in receipt.move_ids:
            if product.tracking != "none":
                move.move_line_ids.unlink()
                move.move_line_ids = [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": 1,
                            "lot_name": f"PO-{order.id}-{i}",
                            "location_id": move.location_id.id,
                            "location_dest_id": move.location_dest_id.id,
                        }
                    )
                    for i in range(int(qty))
                ]
            else:
                move.quantity = move.product_uom_qty
        receipt.move_ids.picked = True
        receipt.button_validate()
        assert receipt.state == "done", receipt.state
        return order

    def _accepted_core(self, product=None, extra=None):
        report = self._approved_with_parts([(product or self.core_part, 1, extra or {})])
        core = self.env["aftersales.core"].search([("report_id", "=", report.id)])
        self.assertEqual(len(core), 1)
        core.with_user(self.keeper).action_receive()
        core.with_user(self.keeper).action_inspect("accepted")
        self.assertEqual(core.state, "accepted")
        return core

    def _credit_note(self, vendor, amount, post=True):
        move = self.env["account.move"].create(
            {
                "move_type": "in_refund",
                "partner_id": vendor.id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Warranty credit",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        if post:
            move.action_post()
        return move

    def _claim_for(self, cores):
        action = cores.with_user(self.keeper).action_supplier_claim()
        claim = self.env["aftersales.supplier.claim"].browse(action["res_id"])
        self.assertTrue(claim)
        return claim

    def _record(self, claim, credit_notes, user=None):
        wizard = (
            self.env["aftersales.supplier.claim.credit"]
            .with_user(user or self.accountant)
            .create({"claim_id": claim.id, "move_ids": [Command.set(credit_notes.ids)]})
        )
        return wizard.action_record()

    # ------------------------------------------------------------------
    # Supplier warranty claims
    # ------------------------------------------------------------------

    def test_claim_return_short_credit_then_close(self):
        core_1 = self._accepted_core()
        core_2 = self._accepted_core()
        cores = core_1 | core_2
        self.assertEqual(self._qty(self.core_part, self.cores_location), 2)
        claim = self._claim_for(cores)
        self.assertEqual(claim.partner_id, self.vendor)
        self.assertEqual(claim.state, "draft")
        self.assertTrue(claim.name.startswith("SCL"), claim.name)
        self.assertEqual(cores.supplier_claim_id, claim)
        # Cost: the unit price of the last purchase from the vendor, not the part's cost.
        self.assertEqual(claim.line_ids.mapped("unit_cost"), [1800000, 1800000])
        self.assertEqual(claim.claimed_amount, 3600000)
        self.assertEqual(claim.line_ids.receipt_move_id, self.order.picking_ids.move_ids)

        claim.with_user(self.keeper).action_send()
        self.assertEqual(claim.state, "sent")
        picking = claim.picking_id
        self.assertEqual(picking.state, "done")
        self.assertEqual(
            picking.picking_type_id, self.company.aftersales_stock_warehouse_id.out_type_id
        )
        supplier_location = self.vendor.property_stock_supplier
        moves = self.env["stock.move"].search(
            [
                ("product_id", "=", self.core_part.id),
                ("location_id", "=", self.cores_location.id),
                ("location_dest_id", "=", supplier_location.id),
                ("state", "=", "done"),
            ]
        )
        self.assertEqual(moves, picking.move_ids)
        self.assertEqual(moves.aftersales_core_id, cores)
        self.assertEqual(sum(moves.mapped("quantity")), 2)
        self.assertEqual(self._qty(self.core_part, self.cores_location), 0)

        with self.assertRaisesRegex(UserError, "already sent"):
            claim.with_user(self.keeper).action_send()
        # Not this vendor's credit note, or not posted.
        with self.assertRaisesRegex(UserError, "not from the claim's vendor"):
            self._record(claim, self._credit_note(self.other_vendor, 3600000))
        with self.assertRaisesRegex(UserError, "not posted"):
            self._record(claim, self._credit_note(self.vendor, 3600000, post=False))
        # The warehouse does not record credit notes.
        with self.assertRaises(AccessError):
            self._record(claim, self._credit_note(self.vendor, 3600000), user=self.keeper)

        short = self._credit_note(self.vendor, 3000000)
        self._record(claim, short)
        self.assertEqual(claim.state, "variance")
        self.assertEqual(claim.credited_amount, 3000000)
        self.assertEqual(claim.variance_amount, 600000)
        self.assertEqual(claim.credit_move_ids, short)
        with self.assertRaisesRegex(UserError, "already recorded"):
            self._record(claim, short)

        # Only a manager closes it, and with a reason.
        with self.assertRaises(AccessError):
            claim.with_user(self.keeper).action_close("Vendor refuses")
        with self.assertRaisesRegex(UserError, "Say why"):
            claim.with_user(self.manager).action_close("  ")
        self.assertEqual(claim.state, "variance")
        claim.with_user(self.manager).action_close("Vendor pays no more for worn burners")
        self.assertEqual(claim.state, "closed")
        self.assertEqual(claim.close_reason, "Vendor pays no more for worn burners")
        self.assertEqual(claim.closed_user_id, self.manager)
        self.assertEqual(claim.variance_amount, 600000)

    def test_claim_full_credit_and_balance(self):
        core = self._accepted_core()
        claim = self._claim_for(core)
        with self.assertRaisesRegex(UserError, "not waiting for a credit note"):
            self._record(claim, self._credit_note(self.vendor, 1800000))
        claim.with_user(self.keeper).action_send()
        self._record(claim, self._credit_note(self.vendor, 1000000))
        self.assertEqual((claim.state, claim.variance_amount), ("variance", 800000))
        # The vendor pays the balance on a second credit note.
        self._record(claim, self._credit_note(self.vendor, 800000))
        self.assertEqual(claim.state, "credited")
        self.assertEqual(claim.credited_amount, 1800000)
        self.assertEqual(claim.variance_amount, 0)
        with self.assertRaisesRegex(UserError, "not short-credited"):
            claim.with_user(self.manager).action_close("Done")

    def test_claim_refusals(self):
        # A core not accepted (still waiting for inspection).
        report = self._approved_with_parts([(self.core_part, 1, {})])
        received = self.env["aftersales.core"].search([("report_id", "=", report.id)])
        received.with_user(self.keeper).action_receive()
        with self.assertRaisesRegex(UserError, "not accepted"):
            received.with_user(self.keeper).action_supplier_claim()
        # A core already on a claim.
        core = self._accepted_core()
        claim = self._claim_for(core)
        with self.assertRaisesRegex(UserError, "already on supplier claim"):
            core.with_user(self.keeper).action_supplier_claim()
        with self.assertRaisesRegex(UserError, "already on supplier claim"):
            self.env["aftersales.supplier.claim"].with_user(self.keeper).create(
                {"partner_id": self.vendor.id, "line_ids": [Command.create({"core_id": core.id})]}
            )
        # A part never bought from that vendor.
        other = self._accepted_core()
        with self.assertRaisesRegex(UserError, "never received from S Other Vendor"):
            self.env["aftersales.supplier.claim"].with_user(self.keeper).create(
                {
                    "partner_id": self.other_vendor.id,
                    "line_ids": [Command.create({"core_id": other.id})],
                }
            )
        # A part bought from no vendor at all.
        never = self._accepted_core(self.serial_core_part, {"part_serial": "SC-IGN-1"})
        with self.assertRaisesRegex(UserError, "never received from a vendor"):
            never.with_user(self.keeper).action_supplier_claim()
        # Out of the supplier's warranty: received after the receipt plus the days.
        self.core_part.aftersales_supplier_warranty_days = 0
        other.received_date = fields.Datetime.now() + timedelta(days=1)
        with self.assertRaisesRegex(UserError, "out of its supplier's warranty"):
            other.with_user(self.keeper).action_supplier_claim()
        # Cores of another company than the claim's.
        company_2 = self.env["res.company"].create({"name": "S Second Company"})
        with self.assertRaises(ValidationError):
            self.env["aftersales.supplier.claim"].create(
                {
                    "partner_id": self.vendor.id,
                    "company_id": company_2.id,
                    "line_ids": [Command.create({"core_id": other.id})],
                }
            )
        # A claimed core is not refurbished; a sent claim cannot be deleted.
        with self.assertRaisesRegex(UserError, "on a supplier claim"):
            core.with_user(self.keeper).action_refurbish()
        claim.with_user(self.keeper).action_send()
        with self.assertRaisesRegex(UserError, "Only a draft"):
            claim.with_user(self.manager).unlink()

    # ------------------------------------------------------------------
    # Refurbishing
    # ------------------------------------------------------------------

    def _refurbish_done(self, core):
        action = core.with_user(self.keeper).action_refurbish()
        repair = core.repair_id
        self.assertTrue(repair)
        self.assertEqual(action["res_id"], repair.id)
        self.assertEqual(repair.state, "confirmed")
        self.assertEqual(repair.product_id, core.product_id)
        self.assertEqual(repair.product_location_src_id, self.cores_location)
        self.assertEqual(
            repair.product_location_dest_id, self.company.aftersales_refurbish_location_id
        )
        self.assertEqual(repair.location_id, self.parts_location)
        self.assertEqual(
            repair.picking_type_id, self.company.aftersales_stock_warehouse_id.repair_type_id
        )
        repair = repair.with_user(self.keeper)
        repair.action_repair_start()
        self.assertEqual(repair.state, "under_repair")
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")
        return repair

    def test_refurbish_back_to_spare_parts(self):
        core = self._accepted_core()
        parts_before = self._qty(self.core_part, self.parts_location)
        self.assertEqual(self._qty(self.core_part, self.cores_location), 1)
        repair = self._refurbish_done(core)
        refurbish = self.company.aftersales_refurbish_location_id
        # The repair took the core out of the cores location.
        self.assertEqual(repair.move_id.state, "done")
        self.assertEqual(repair.move_id.location_id, self.cores_location)
        self.assertEqual(self._qty(self.core_part, self.cores_location), 0)
        # The refurbished part is back in spare parts stock, as refurbished supply.
        move = self.env["stock.move"].search(
            [
                ("product_id", "=", self.core_part.id),
                ("location_id", "=", refurbish.id),
                ("location_dest_id", "=", self.parts_location.id),
                ("state", "=", "done"),
            ]
        )
        self.assertEqual(len(move), 1)
        self.assertEqual(core.refurbish_move_id, move)
        self.assertEqual(move.aftersales_supply_type, "refurbished")
        move.invalidate_recordset()
        move._compute_aftersales_supply_type()
        self.assertEqual(move.aftersales_supply_type, "refurbished")
        self.assertEqual(self._qty(self.core_part, self.parts_location), parts_before + 1)
        self.assertEqual(self._qty(self.core_part, refurbish), 0)
        self.assertEqual(core.state, "accepted")
        self.assertEqual(core.repair_state, "done")
        # The refurbished part enters valued stock at the part's cost.
        layers = self.env["stock.valuation.layer"].search(
            [("stock_move_id", "=", repair.move_id.id)]
        )
        self.assertEqual(sum(layers.mapped("quantity")), 1)
        self.assertEqual(sum(layers.mapped("value")), 2000000)
        # Refused: twice, or onto a supplier claim afterwards.
        with self.assertRaisesRegex(UserError, "already sent to refurbishing"):
            core.with_user(self.keeper).action_refurbish()
        with self.assertRaisesRegex(UserError, "sent to refurbishing"):
            core.with_user(self.keeper).action_supplier_claim()

    def test_refurbish_serial_part_keeps_its_lot(self):
        core = self._accepted_core(self.serial_core_part, {"part_serial": "SC-IGN-9"})
        self.assertTrue(core.lot_id)
        repair = self._refurbish_done(core)
        self.assertEqual(repair.lot_id, core.lot_id)
        quant = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.serial_core_part.id),
                ("location_id", "=", self.parts_location.id),
                ("lot_id", "=", core.lot_id.id),
            ]
        )
        self.assertEqual(quant.quantity, 1)
        self.assertEqual(core.refurbish_move_id.lot_ids, core.lot_id)
        self.assertEqual(core.refurbish_move_id.aftersales_supply_type, "refurbished")

    def test_refurbish_refuses_cores_not_accepted(self):
        report = self._approved_with_parts([(self.core_part, 1, {})])
        core = self.env["aftersales.core"].search([("report_id", "=", report.id)])
        with self.assertRaisesRegex(UserError, "not accepted"):
            core.with_user(self.keeper).action_refurbish()
        self.assertFalse(core.repair_id)
