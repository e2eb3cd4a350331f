from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestWarrantyTour(HttpCase):
    def test_delivery_issues_prints_and_verifies_the_card(self):
        """A warehouse user with after-sales rights validates a delivery, opens the card it
        issued, prints it and follows its QR link to the public page."""
        self.env.company.country_id = self.env.ref("base.ir")
        user = new_test_user(
            self.env,
            login="tour_warehouse",
            password="tour_warehouse",
            groups="stock.group_stock_user,aftersales_base.group_aftersales_operator",
            lang="en_US",
        )
        policy = self.env["aftersales.warranty.policy"].create(
            {"name": "Tour 12 months", "code": "T-TOUR", "duration_months": 12}
        )
        product = self.env["product.product"].create(
            {
                "name": "Tour Heater",
                "is_storable": True,
                "tracking": "serial",
                "aftersales_warranty_policy_id": policy.id,
            }
        )
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        lot = self.env["stock.lot"].create(
            {"name": "TOUR-SN-0001", "product_id": product.id, "company_id": self.env.company.id}
        )
        self.env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, 1, lot_id=lot
        )
        customer = self.env["res.partner"].create({"name": "Tour Customer"})
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": customer.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": 1,
                            "location_id": warehouse.lot_stock_id.id,
                            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        self.assertEqual(picking.move_line_ids.lot_id, lot)

        self.start_tour(
            f"/odoo/action-stock.action_picking_tree_all/{picking.id}",
            "aftersales_warranty_delivery_tour",
            login=user.login,
        )
        card = self.env["aftersales.warranty.card"].search([("lot_id", "=", lot.id)])
        self.assertEqual(len(card), 1)
        self.assertEqual(card.partner_id, customer)
        self.assertEqual(card.state, "active")
        printed = card.event_ids.filtered(lambda e: e.event_type == "print")
        self.assertEqual(printed.user_id, user)
