from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .. import tools as wtools
from .common import WarrantyCase


class ExtensionCase(WarrantyCase):
    """An extension product of 12 months for the delivery policy; a sale journal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", cls.company.id)], limit=1
        ):
            cls.env["account.chart.template"].try_loading(
                "generic_coa", company=cls.company, install_demo=False
            )
        cls.extension = cls.env["product.product"].create(
            {
                "name": "W Extended Warranty 12",
                "type": "service",
                "list_price": 100.0,
                "invoice_policy": "order",
                "aftersales_extension_months": 12,
                "aftersales_extension_policy_ids": [Command.set(cls.policy_delivery.ids)],
            }
        )
        cls.salesman = cls._user("wr_salesman", "sales_team.group_sale_salesman")
        cls.accountant = cls._user("wr_accountant", "account.group_account_invoice")
        cls.start = fields.Date.context_today(cls.Card) - timedelta(days=100)

    def _card(self, serial, product=None, partner=None):
        return self._issue(
            self._lots(product or self.heater, serial),
            partner=partner or self.customer,
            date=self.start,
        )

    def _order(self, user=None, **line_vals):
        line_vals.setdefault("product_id", self.extension.id)
        line_vals.setdefault("product_uom_qty", 1)
        SaleOrder = self.env["sale.order"].with_user(user) if user else self.env["sale.order"]
        return SaleOrder.create(
            {"partner_id": self.customer.id, "order_line": [Command.create(line_vals)]}
        )


@tagged("post_install", "-at_install")
class TestExtensionSale(ExtensionCase):
    def test_extension_product_is_a_service(self):
        with self.assertRaisesRegex(ValidationError, "only a service product"):
            self.heater.product_tmpl_id.aftersales_extension_months = 6
        self.assertEqual(self.heater.aftersales_extension_months, 0)

    def test_sale_invoice_extends_once_and_credit_note_undoes(self):
        card = self._card("EXT-1")
        end = card.end_date
        self.assertEqual(end, wtools.warranty_end(self.start, 12))
        order = self._order(user=self.salesman, aftersales_card_id=card.id)
        order.action_confirm()
        invoice = order._create_invoices()
        self.assertEqual(invoice.invoice_line_ids.aftersales_card_id, card)
        self.assertEqual(card.extension_months, 0, "nothing before the invoice is posted")
        # the accountant posts; no after-sales right is needed for the sold extension
        invoice.with_user(self.accountant).action_post()
        self.assertEqual(card.extension_months, 12)
        self.assertEqual(card.end_date, wtools.warranty_end(self.start, 24))
        event = self._last_event(card)
        self.assertEqual(event.event_type, "extend")
        self.assertEqual(event.user_id, self.accountant)
        self.assertIn(invoice.name, event.reason)
        line = invoice.invoice_line_ids
        self.assertTrue(line.aftersales_extension_done)
        self.assertEqual(line.aftersales_extension_months, 12)

        # reset to draft and posted again: still one extension
        invoice.button_draft()
        invoice.action_post()
        self.assertEqual(card.extension_months, 12)
        self.assertEqual(self._event_types(card).count("extend"), 1)

        # the credit note takes the months back
        refund = invoice._reverse_moves()
        self.assertEqual(refund.invoice_line_ids.aftersales_card_id, card)
        self.assertFalse(refund.invoice_line_ids.aftersales_extension_done)
        refund.action_post()
        self.assertEqual(card.extension_months, 0)
        self.assertEqual(card.end_date, end)
        cancel = self._last_event(card)
        self.assertEqual(cancel.event_type, "extend_cancel")
        self.assertIn(refund.name, cancel.reason)
        self.assertIn(invoice.name, cancel.reason)
        self.assertEqual(refund.invoice_line_ids.aftersales_extension_months, -12)
        # and a second posting of the credit note does not shorten again
        refund.button_draft()
        refund.action_post()
        self.assertEqual(self._event_types(card).count("extend_cancel"), 1)

    def test_serial_names_the_card(self):
        card = self._card("EXT-SER-2")
        order = self._order(aftersales_serial=" ext-ser-2 ")
        self.assertEqual(order.order_line.aftersales_card_id, card)
        self.assertEqual(order.order_line.aftersales_serial, "EXT-SER-2")

    def test_form_serial_fills_the_card(self):
        card = self._card("EXT-FORM-1")
        order_form = Form(self.env["sale.order"].with_user(self.salesman))
        order_form.partner_id = self.customer
        with order_form.order_line.new() as line:
            line.product_id = self.extension
            self.assertTrue(line.aftersales_is_extension)
            line.aftersales_serial = "ext-form-1"
            self.assertEqual(line.aftersales_card_id, card)
        order = order_form.save()
        self.assertEqual(order.order_line.aftersales_card_id, card)
        self.assertEqual(order.order_line.aftersales_serial, "EXT-FORM-1")

    def test_credit_note_of_an_expired_card_expires_it_again(self):
        card = self._card("EXT-EXP")
        card.sudo().write({"start_date": self.start - timedelta(days=400)})
        card.sudo().write({"state": "expired"})
        order = self._order(aftersales_card_id=card.id)
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertEqual(card.state, "active", "the extension revives the expired card")
        invoice._reverse_moves().action_post()
        self.assertEqual(card.state, "expired")
        self.assertEqual(card.extension_months, 0)

    def test_bad_lines_are_refused_with_nothing_written(self):
        voided = self._card("EXT-VOID")
        voided._void(self.env.ref("aftersales_warranty.void_reason_physical_damage"), "Dropped")
        washer_card = self._card("EXT-WASH", product=self.washer)
        good = self._card("EXT-GOOD")
        Line = self.env["sale.order.line"]
        cases = [
            ({}, "name the device"),
            ({"aftersales_serial": "NO-SUCH-SERIAL"}, "no warranty card for serial NO-SUCH-SERIAL"),
            ({"aftersales_card_id": voided.id}, "cannot be extended"),
            ({"aftersales_card_id": washer_card.id}, "does not apply to warranty policy"),
            ({"aftersales_card_id": good.id, "product_uom_qty": 2}, "quantity 1"),
        ]
        for vals, message in cases:
            with self.subTest(vals=vals), self.assertRaisesRegex(ValidationError, message):
                self._order(**vals)
        self.assertFalse(Line.search([("product_id", "=", self.extension.id)]))
        # one card twice on one order
        with self.assertRaisesRegex(ValidationError, "two warranty extensions"):
            self.env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.extension.id, "aftersales_card_id": good.id}
                        ),
                        Command.create(
                            {"product_id": self.extension.id, "aftersales_card_id": good.id}
                        ),
                    ],
                }
            )
        # a line changed later is checked too
        order = self._order(aftersales_card_id=good.id)
        with self.assertRaisesRegex(ValidationError, "quantity 1"):
            order.order_line.product_uom_qty = 3
        self.assertEqual(order.order_line.product_uom_qty, 1)
        self.assertEqual(good.extension_months, 0)

    def test_card_voided_before_the_invoice_blocks_the_posting(self):
        card = self._card("EXT-LATE-VOID")
        order = self._order(aftersales_card_id=card.id)
        order.action_confirm()
        invoice = order._create_invoices()
        card._void(self.env.ref("aftersales_warranty.void_reason_physical_damage"), "Dropped")
        with self.assertRaisesRegex(UserError, "cannot be extended"):
            invoice.action_post()
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(card.extension_months, 0)

    def test_replaced_card_extends_its_replacement(self):
        card = self._card("EXT-OLD")
        order = self._order(aftersales_card_id=card.id)
        order.action_confirm()
        new_card = card._replace(self._lots(self.heater, "EXT-NEW"), "Exchanged")
        order._create_invoices().action_post()
        self.assertEqual(new_card.extension_months, 12)
        self.assertEqual(card.extension_months, 0)
