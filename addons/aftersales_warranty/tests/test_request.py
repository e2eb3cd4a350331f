import xmlrpc.client
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, HttpCase, get_db_name, tagged
from odoo.tools import mute_logger

from .common import WarrantyCase


class ReceptionCase(WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.type_warranty = cls.env.ref("aftersales_base.service_type_wrp")
        cls.type_paid = cls.env.ref("aftersales_base.service_type_prp")
        today = fields.Date.context_today(cls.Card)
        cls.covered = cls._issue(
            cls._lots(cls.heater, "RC-1"), partner=cls.customer, date=today - timedelta(days=10)
        )
        cls.expired = cls._issue(
            cls._lots(cls.heater, "RC-OLD"), partner=cls.customer, date=today - timedelta(days=800)
        )
        cls.at_dealer = cls._issue(
            cls._lots(cls.air_conditioner, "RC-DLR"), dealer=cls.dealer, date=today
        )

    @classmethod
    def _vals(cls, service_type, *devices, **extra):
        vals = {
            "partner_id": cls.customer.id,
            "service_type_id": service_type.id,
            "line_ids": [
                Command.create({"product_id": product.id, "serial_number": serial})
                for product, serial in devices
            ],
        }
        vals.update(extra)
        return vals


@tagged("post_install", "-at_install")
class TestReception(ReceptionCase):
    def test_device_line_finds_serial_card_and_status(self):
        request = self.env["aftersales.request"].create(
            self._vals(
                self.type_paid,
                (self.heater, " rc-1 "),
                (self.heater, "rc-old"),
                (self.heater, "RC-404"),
                (self.air_conditioner, "RC-1"),  # right serial, wrong product
            )
        )
        covered, expired, unknown, wrong = request.line_ids.sorted("id")
        self.assertEqual(covered.lot_id, self.covered.lot_id)
        self.assertEqual(covered.warranty_card_id, self.covered)
        self.assertEqual(covered.warranty_status, "in_warranty")
        self.assertEqual(expired.warranty_status, "expired")
        self.assertIn("expired", expired.warranty_reason)
        self.assertEqual(unknown.warranty_status, "unknown_serial")
        self.assertFalse(unknown.lot_id)
        self.assertFalse(wrong.lot_id)
        self.assertEqual(request.warranty_proposal, "check")
        self.assertIn("RC-404", request.warranty_summary)

    def test_proposal(self):
        Request = self.env["aftersales.request"]
        covered = Request.create(
            self._vals(self.type_paid, (self.heater, "RC-1"), (self.air_conditioner, "RC-DLR"))
        )
        self.assertEqual(covered.warranty_proposal, "warranty")
        paid = Request.create(self._vals(self.type_paid, (self.heater, "RC-OLD")))
        self.assertEqual(paid.warranty_proposal, "paid")

    def test_lot_created_after_reception(self):
        request = self.env["aftersales.request"].create(
            self._vals(self.type_paid, (self.heater, "late-1"))
        )
        line = request.line_ids
        self.assertFalse(line.lot_id)
        lot = self._lots(self.heater, "LATE-1")
        self.assertEqual(line.lot_id, lot)

    def test_warranty_repair_refused_for_a_device_not_covered(self):
        Request = self.env["aftersales.request"].with_user(self.operator)
        before = Request.search_count([])
        with self.assertRaisesRegex(ValidationError, r"not under\s+warranty(.|\n)*RC-OLD"):
            Request.create(self._vals(self.type_warranty, (self.heater, "rc-old")))
        self.assertEqual(Request.search_count([]), before)
        # covered devices, and a dealer's device in its dealer period, are accepted
        accepted = Request.create(
            self._vals(self.type_warranty, (self.heater, "RC-1"), (self.air_conditioner, "rc-dlr"))
        )
        # but not an expired device added later, or a serial changed to one
        with self.assertRaisesRegex(ValidationError, "RC-OLD"):
            accepted.write(
                {
                    "line_ids": [
                        Command.create({"product_id": self.heater.id, "serial_number": "RC-OLD"})
                    ]
                }
            )
        with self.assertRaisesRegex(ValidationError, "RC-OLD"):
            self.env["aftersales.request.line"].with_user(self.operator).create(
                {"request_id": accepted.id, "product_id": self.heater.id, "serial_number": "RC-OLD"}
            )
        with self.assertRaisesRegex(ValidationError, "RC-OLD"):
            accepted.line_ids[0].serial_number = "rc-old"
        # nor a paid request turned into a warranty repair
        paid = Request.create(self._vals(self.type_paid, (self.heater, "RC-OLD")))
        with self.assertRaisesRegex(ValidationError, "RC-OLD"):
            paid.service_type_id = self.type_warranty
        self.assertEqual(paid.service_type_id, self.type_paid)

    def test_voided_card_refused(self):
        self.covered.with_user(self.manager)._void(
            self.env.ref("aftersales_warranty.void_reason_unauthorized_repair"), "Opened"
        )
        with self.assertRaisesRegex(ValidationError, "voided"):
            self.env["aftersales.request"].with_user(self.operator).create(
                self._vals(self.type_warranty, (self.heater, "RC-1"))
            )

    def test_devices_without_card_need_the_strict_setting_to_be_refused(self):
        Request = self.env["aftersales.request"].with_user(self.operator)
        unknown = Request.create(self._vals(self.type_warranty, (self.heater, "OLD-SALE-1")))
        self.assertEqual(unknown.warranty_proposal, "check")
        no_serial = Request.create(self._vals(self.type_warranty, (self.heater, False)))
        self.assertEqual(no_serial.line_ids.warranty_status, "unknown_serial")
        self.company.aftersales_warranty_strict = True
        with self.assertRaisesRegex(ValidationError, "No warranty card for serial OLD-SALE-2"):
            Request.create(self._vals(self.type_warranty, (self.heater, "OLD-SALE-2")))
        with self.assertRaisesRegex(ValidationError, "No serial number given"):
            Request.create(self._vals(self.type_warranty, (self.heater, False)))

    def test_only_a_manager_overrides(self):
        vals = self._vals(
            self.type_warranty, (self.heater, "RC-OLD"), warranty_override_reason="Loyal customer"
        )
        with self.assertRaisesRegex(AccessError, "Only an after-sales manager"):
            self.env["aftersales.request"].with_user(self.operator).create(dict(vals))
        request = self.env["aftersales.request"].with_user(self.manager).create(dict(vals))
        self.assertEqual(request.warranty_override_user_id, self.manager)
        # an operator neither edits the reason nor forges who overrode
        as_operator = request.with_user(self.operator)
        with self.assertRaises(AccessError):
            as_operator.warranty_override_reason = "Another reason"
        as_operator.write({"warranty_override_user_id": self.operator.id})
        self.assertEqual(request.warranty_override_user_id, self.manager)
        # removing the override brings the check back
        with self.assertRaisesRegex(ValidationError, "RC-OLD"):
            request.with_user(self.manager).warranty_override_reason = False
        # a client sending the user without a reason gets nothing
        plain = (
            self.env["aftersales.request"]
            .with_user(self.operator)
            .create(
                self._vals(
                    self.type_paid,
                    (self.heater, "RC-OLD"),
                    warranty_override_user_id=self.operator.id,
                )
            )
        )
        self.assertFalse(plain.warranty_override_user_id)

    def test_reception_form_warns_before_saving(self):
        form = Form(self.env["aftersales.request"].with_user(self.operator))
        form.partner_id = self.customer
        form.service_type_id = self.type_warranty
        with form.line_ids.new() as line:
            line.product_id = self.heater
            line.serial_number = "rc-old"
            self.assertEqual(line.warranty_status, "expired")
        self.assertEqual(form.warranty_proposal, "paid")
        self.assertIn("expired on", form.warranty_summary)
        self.assertIn(self.expired.name, form.warranty_summary)
        with self.assertRaisesRegex(ValidationError, "not under"):
            form.save()
        with form.line_ids.edit(0) as line:
            line.serial_number = "RC-1"
        self.assertEqual(form.warranty_proposal, "warranty")
        request = form.save()
        self.assertEqual(request.line_ids.warranty_card_id, self.covered)

    def test_card_history(self):
        Request = self.env["aftersales.request"]
        first = Request.create(self._vals(self.type_warranty, (self.heater, "RC-1")))
        second = Request.create(
            self._vals(self.type_paid, (self.heater, "rc- 1"), (self.heater, "RC-OLD"))
        )
        card = self.covered
        self.assertEqual(card.request_line_ids.request_id, first | second)
        self.assertEqual(card.request_count, 2)
        self.assertEqual(card.history_count, 2)
        self.assertEqual(self.expired.request_count, 1)
        action = card.action_view_history()
        self.assertEqual(
            self.env["aftersales.request.line"].search(action["domain"]), card.request_line_ids
        )
        requests = card.action_view_requests()
        self.assertEqual(Request.search(requests["domain"]), first | second)
        sources = self.Card._warranty_history_sources()
        self.assertIn("aftersales.request.line", [model for model, _field, _label in sources])


@tagged("post_install", "-at_install")
class TestReceptionXmlRpc(HttpCase, ReceptionCase):
    """The rule holds however the request arrives: an XML-RPC client sends only the
    keys it knows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The server answers in the user's language: English, whatever the database has.
        cls.env["res.lang"]._activate_lang("en_US")
        cls.rpc_operator = cls._user(
            "wr_rpc_operator",
            "aftersales_base.group_aftersales_operator",
            password="wr_rpc_operator",
            lang="en_US",
        )
        cls.rpc_manager = cls._user(
            "wr_rpc_manager",
            "aftersales_base.group_aftersales_manager",
            password="wr_rpc_manager",
            lang="en_US",
        )

    def _call(self, user, method, *args):
        return self.xmlrpc_object.execute_kw(
            get_db_name(), user.id, user.login, "aftersales.request", method, list(args)
        )

    @mute_logger("odoo.http")
    def test_xmlrpc_create_and_write(self):
        line = [[0, 0, {"product_id": self.heater.id, "serial_number": "rc-old"}]]
        vals = {
            "partner_id": self.customer.id,
            "service_type_id": self.type_warranty.id,
            "line_ids": line,
        }
        with self.assertRaisesRegex(xmlrpc.client.Fault, "not under"):
            self._call(self.rpc_operator, "create", [vals])
        with self.assertRaisesRegex(xmlrpc.client.Fault, "Only an after-sales manager"):
            self._call(self.rpc_operator, "create", [dict(vals, warranty_override_reason="Please")])
        [request_id] = self._call(
            self.rpc_manager, "create", [dict(vals, warranty_override_reason="Goodwill")]
        )
        [record] = self._call(self.rpc_manager, "read", [request_id], ["warranty_override_user_id"])
        self.assertEqual(record["warranty_override_user_id"][0], self.rpc_manager.id)
        paid_vals = dict(vals, service_type_id=self.type_paid.id)
        [paid_id] = self._call(self.rpc_operator, "create", [paid_vals])
        with self.assertRaisesRegex(xmlrpc.client.Fault, "not under"):
            self._call(
                self.rpc_operator, "write", [paid_id], {"service_type_id": self.type_warranty.id}
            )
        self.assertEqual(
            self.env["aftersales.request"].browse(paid_id).service_type_id, self.type_paid
        )
