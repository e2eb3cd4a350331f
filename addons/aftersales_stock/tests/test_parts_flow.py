"""Part catalog, part requests, consignment and consumption, read back from the real
stock moves, quants and journal items they make."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import StockCase


@tagged("post_install", "-at_install")
class TestPartsFlow(StockCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The after-sales warehouse is in Tehran: agent A's city, not agent B's.
        cls.company.aftersales_stock_warehouse_id.partner_id.city = "Tehran"

    # ------------------------------------------------------------------
    # Layout and catalog
    # ------------------------------------------------------------------

    def test_layout_and_agent_locations(self):
        company = self.company
        self.assertEqual(company.aftersales_parts_location_id.usage, "internal")
        self.assertEqual(company.aftersales_cores_location_id.usage, "inventory")
        self.assertEqual(self.loc_a.usage, "internal")
        self.assertEqual(self.loc_a.location_id, company.aftersales_consignment_location_id)
        self.assertEqual(self.loc_a.aftersales_agent_id, self.agent_a)
        # Consigned stock stays the company's own and valued.
        self.assertTrue(self.loc_a._should_be_valued())
        self.assertFalse(self.cores_location._should_be_valued())
        # A new agent gets its location at once; setting up again changes nothing.
        agent = self._agent(
            "Agent C Shiraz", "AG-C", self.env.ref("aftersales_base.state_ir_07"), "Shiraz"
        )
        self.assertEqual(
            len(
                agent.aftersales_consignment_location_ids.filtered(
                    lambda loc: loc.company_id == company
                )
            ),
            1,
        )
        before = self.env["stock.location"].search_count([])
        wizard = self.env["aftersales.stock.layout"].with_user(self.manager).create({})
        wizard.action_setup()
        self.assertEqual(self.env["stock.location"].search_count([]), before)

    def test_part_codes(self):
        template = self.env["product.template"].create(
            {"name": "Fan", "is_storable": True, "aftersales_part_code": " ac.fan / ۰۱۲ "}
        )
        self.assertEqual(template.aftersales_part_code, "AC-FAN-012")
        self.assertTrue(template.aftersales_is_part)
        self.assertEqual(template.aftersales_device_type_code, "AC")
        self.assertEqual(template.aftersales_assembly_code, "FAN")
        self.assertEqual(
            self.env["product.product"]._aftersales_part_by_code("ac-fan-012"),
            template.product_variant_id,
        )
        with self.assertRaisesRegex(ValidationError, "not of the form"):
            template.aftersales_part_code = "FAN12"
        with self.assertRaisesRegex(ValidationError, "never go on consignment"):
            self.hv_part.aftersales_consignment_ok = True

    # ------------------------------------------------------------------
    # Consignment
    # ------------------------------------------------------------------

    def test_consignment_transfer_and_use(self):
        request = self._part_request("consignment", [(self.cons_part, 5)])
        self.assertEqual(request.state, "submitted")
        self.assertEqual(request.shipping_payer, "agent")
        self.assertEqual(request.line_ids.price_unit, 240000)  # 200,000 + 20%
        with self.assertRaises(AccessError):
            request.with_user(self.operator).action_approve()
        request.with_user(self.stock_manager).action_approve()
        self.assertEqual(request.state, "approved")
        picking = request.picking_ids
        self.assertEqual(picking.location_dest_id, self.loc_a)
        self.assertEqual(picking.state, "assigned")
        self._validate(picking)
        self.assertEqual(request.state, "done")
        self.assertEqual(self._qty(self.cons_part, self.loc_a), 5)
        self.assertEqual(self._qty(self.cons_part, self.parts_location), 45)
        item = self.env["aftersales.consignment.item"].search([("agent_id", "=", self.agent_a.id)])
        self.assertEqual((item.quantity, item.quantity_open, item.state), (5, 5, "open"))
        self.assertEqual(item.settle_by, fields.Date.context_today(item) + timedelta(days=60))
        # Two used on an approved report: moved out of the agent's location, settled.
        report = self._approved_with_parts([(self.cons_part, 2, {})], report_type="paid_repair")
        move = report.part_ids.aftersales_move_ids
        self.assertEqual(move.state, "done")
        self.assertEqual(
            (move.location_id, move.location_dest_id), (self.loc_a, self.customers_location)
        )
        self.assertEqual(self._qty(self.cons_part, self.loc_a), 3)
        self.assertEqual((item.quantity_used, item.quantity_open), (2, 3))
        # B sees none of A's consignment.
        b_items = self.env["aftersales.consignment.item"].search(
            [("agent_id", "=", self.agent_b.id)]
        )
        self.assertFalse(b_items)

    def test_consignment_refusals(self):
        Request = self.env["aftersales.part.request"]
        count = Request.search_count([])
        with self.assertRaisesRegex(
            ValidationError, "high-value part: it is never sent on consignment"
        ):
            self._part_request("consignment", [(self.hv_part, 1)])
        with self.assertRaisesRegex(ValidationError, "may not be lent on consignment"):
            self._part_request("consignment", [(self.core_part, 1)])
        with self.assertRaisesRegex(ValidationError, "not a whole number"):
            self._part_request("consignment", [(self.cons_part, 1.5)])
        with self.assertRaisesRegex(ValidationError, "must be positive"):
            self._part_request("consignment", [(self.cons_part, -2)])
        self.assertEqual(Request.search_count([]), count)
        self.assertFalse(
            self.env["stock.move"].search(
                [("product_id", "=", self.hv_part.id), ("location_dest_id", "=", self.loc_a.id)]
            )
        )

    def test_overdue_consignment_sold_to_agent(self):
        request = self._part_request("consignment", [(self.cons_part, 4)])
        request.with_user(self.manager).action_approve()
        self._validate(request.picking_ids)
        item = self.env["aftersales.consignment.item"].search(
            [("part_request_id", "=", request.id)]
        )
        item.settle_by = fields.Date.today() - timedelta(days=1)
        self._approved_with_parts([(self.cons_part, 1, {})], report_type="paid_repair")
        self.env["aftersales.consignment.item"]._cron_sell_overdue()
        self.assertEqual(item.state, "sold")
        self.assertEqual(item.quantity_sold, 3)
        line = item.invoice_line_id
        self.assertEqual(line.move_id.state, "posted")
        self.assertEqual(line.move_id.partner_id, self.agent_a)
        self.assertEqual((line.quantity, line.price_unit), (3, 240000))
        self.assertEqual(self._qty(self.cons_part, self.loc_a), 0)
        # Once: the cron finds nothing more.
        invoices = self.env["account.move"].search_count([("partner_id", "=", self.agent_a.id)])
        self.env["aftersales.consignment.item"]._cron_sell_overdue()
        self.assertEqual(
            self.env["account.move"].search_count([("partner_id", "=", self.agent_a.id)]), invoices
        )

    # ------------------------------------------------------------------
    # Warranty parts, purchases, shipping
    # ------------------------------------------------------------------

    def test_warranty_request_ships_at_company_cost_to_other_city(self):
        job_b = self._job(self.agent_b)
        request = self._part_request(
            "warranty", [(self.core_part, 1)], agent=self.agent_b, job=job_b
        )
        self.assertEqual(request.state, "submitted")
        self.assertEqual(request.shipping_payer, "company")
        request.with_user(self.manager).action_approve()
        self.assertEqual(request.picking_ids.location_dest_id, self.loc_b)
        job_a = self._job(self.agent_a)
        request_a = self._part_request("warranty", [(self.core_part, 1)], job=job_a)
        self.assertEqual(request_a.shipping_payer, "agent")
        # A warranty request for another agent's job is refused.
        with self.assertRaisesRegex(ValidationError, "is not assigned to Agent A"):
            self._part_request("warranty", [(self.core_part, 1)], job=job_b)

    def test_warranty_request_not_covered_goes_to_review(self):
        [lot] = self._lots(self.heater, "AGH-NOCARD")
        job = self._job(self.agent_a, lot=lot)
        job.warranty_override_reason = "Customer insists"
        request = self._part_request("warranty", [(self.core_part, 1)], job=job)
        self.assertEqual(request.state, "review")
        self.assertFalse(request.picking_ids)
        with self.assertRaisesRegex(UserError, "give the reason to ship it as warranty"):
            request.with_user(self.manager).action_approve()
        self.assertFalse(request.picking_ids)
        wizard = Form(
            self.env["aftersales.part.request.decide"]
            .with_user(self.manager)
            .with_context(active_model="aftersales.part.request", active_ids=request.ids)
        )
        wizard.reason = "Board burnt by a surge, checked on photos"
        wizard.save().action_confirm()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.review_reason, "Board burnt by a surge, checked on photos")
        self.assertTrue(request.picking_ids)

    def test_purchase_delivered_and_invoiced(self):
        request = self._part_request("purchase", [(self.core_part, 2)])
        request.with_user(self.manager).action_approve()
        invoice = request.invoice_id
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.partner_id, self.agent_a)
        self.assertEqual(invoice.invoice_line_ids.price_subtotal, 6000000)
        picking = request.picking_ids
        self.assertEqual(picking.picking_type_id.code, "outgoing")
        self._validate(picking)
        self.assertEqual(self._qty(self.core_part, self.parts_location), 48)
        self.assertEqual(request.state, "done")

    def test_rejection_and_edits(self):
        request = self._part_request("consignment", [(self.cons_part, 1)])
        with self.assertRaisesRegex(UserError, "Give the reason of the rejection"):
            request.with_user(self.manager).action_reject(" ")
        request.with_user(self.manager).action_reject("Too many open items")
        self.assertEqual(request.state, "rejected")
        with self.assertRaisesRegex(UserError, "are decided"):
            request.write({"line_ids": [Command.create({"product_id": self.cons_part.id})]})

    # ------------------------------------------------------------------
    # Consumption on approval, in the ledger
    # ------------------------------------------------------------------

    def test_consumption_valued_in_ledger(self):
        category = self.env["product.category"].create(
            {
                "name": "Valued parts",
                "property_cost_method": "standard",
                "property_valuation": "real_time",
            }
        )
        part = self._part("S Valve", "HTR-VLV-009", cost=700000, price=900000, categ_id=category.id)
        self._stock(part, self.loc_a, 3)
        report = self._approved_with_parts([(part, 2, {})])
        move = report.part_ids.aftersales_move_ids
        self.assertEqual(move.state, "done")
        self.assertEqual(self._qty(part, self.loc_a), 1)
        layers = move.stock_valuation_layer_ids
        self.assertEqual(layers.value, -1400000)
        aml = layers.account_move_id.line_ids
        self.assertEqual(sum(aml.mapped("debit")), 1400000)
        # A serial part: its lot is the serial the agent gave.
        serial_report = self._approved_with_parts(
            [(self.serial_core_part, 1, {"part_serial": "IGN-77"})]
        )
        self.assertEqual(
            serial_report.part_ids.aftersales_move_ids.move_line_ids.lot_id.name, "IGN-77"
        )
        # Voided lines are not consumed.
        job = self._job(self.agent_a)
        voided = self._report(job, parts=[(self.cons_part, 1, {}), (self.core_part, 1, {})])
        voided.action_submit()
        voided.part_ids[0].with_user(self.manager).action_void("Not used")
        voided.with_user(self.manager).action_approve_unconfirmed("Photos")
        self.assertFalse(voided.part_ids[0].aftersales_move_ids)
        self.assertTrue(voided.part_ids[1].aftersales_move_ids)

    def test_fractional_unit_part_on_report_refused(self):
        job = self._job(self.agent_a)
        with self.assertRaisesRegex(ValidationError, "not a whole number"):
            self._report(job, parts=[(self.cons_part, 1.5, {})])
        self.assertFalse(self.env["aftersales.work.report"].search([("request_id", "=", job.id)]))

    def test_reordering_rule_feeds_purchase(self):
        vendor = self.env["res.partner"].create({"name": "Parts Vendor"})
        self.cons_part.seller_ids = [Command.create({"partner_id": vendor.id, "price": 90000})]
        self.cons_part.route_ids = [
            Command.link(self.env.ref("purchase_stock.route_warehouse0_buy").id)
        ]
        orderpoint = self.env["stock.warehouse.orderpoint"].create(
            {
                "product_id": self.cons_part.id,
                "location_id": self.parts_location.id,
                "warehouse_id": self.company.aftersales_stock_warehouse_id.id,
                "product_min_qty": 60,
                "product_max_qty": 100,
            }
        )
        orderpoint.action_replenish()
        line = self.env["purchase.order.line"].search([("product_id", "=", self.cons_part.id)])
        self.assertEqual(line.order_id.partner_id, vendor)
        self.assertEqual(line.product_qty, 50)  # 100 max - 50 on hand
