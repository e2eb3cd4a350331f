"""Every business rule, sent through the external API as a real client sends it.

An ``@api.constrains`` runs on ``create`` only for the keys sent (or with a default),
so each rule is tried here with only the keys a client would send, over XML-RPC
(``execute_kw``) and JSON-RPC, by the least-privileged user allowed to try. A refused
call must leave nothing behind: the whole call is one transaction.
"""

import json
import xmlrpc.client
from datetime import datetime

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.translate import code_translations

NO_DEVICE = "Request %(name)s has no device: add at least one device line."


@tagged("post_install", "-at_install")
class TestApiRules(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.ir")
        cls.operator = cls._user("api_operator", "aftersales_base.group_aftersales_operator")
        cls.technician = cls._user("api_technician", "aftersales_base.group_aftersales_technician")
        cls.manager = cls._user("api_manager", "aftersales_base.group_aftersales_manager")
        cls.type_install = cls.env.ref("aftersales_base.service_type_ins")
        cls.type_workshop = cls.env.ref("aftersales_base.service_type_wsr")
        cls.stage_done = cls.env.ref("aftersales_base.stage_done")
        cls.complaint_closed = cls.env.ref("aftersales_base.complaint_stage_closed")
        cls.heater = cls.env["product.product"].create({"name": "API Heater"})
        cls.job = cls.env["aftersales.request"].create(
            {
                "partner_name": "Workshop Customer",
                "phone": "021 6601 2345",
                "service_type_id": cls.type_workshop.id,
                "technician_id": cls.technician.id,
                "line_ids": [Command.create({"product_id": cls.heater.id, "serial_number": "A1"})],
            }
        )
        cls.line = cls.job.line_ids

    @classmethod
    def _user(cls, login, groups):
        return new_test_user(cls.env, login=login, password=login, groups=groups)

    # ------------------------------------------------------------------
    # Helpers: the calls a client makes
    # ------------------------------------------------------------------

    def rpc(self, user, model, method, args, kwargs=None):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, user.login, model, method, args, kwargs or {}
        )

    def assertRefused(self, text, user, model, method, args, kwargs=None):
        """The XML-RPC call fails with a user error whose message contains ``text``."""
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.rpc(user, model, method, args, kwargs)
        self.assertIn(text, caught.exception.faultString)
        # The test's own cache does not see what the server did (or undid).
        self.env.invalidate_all()
        return caught.exception.faultString

    @staticmethod
    def new_line(vals):
        """The x2many "create" command as an XML-RPC client sends it."""
        return [0, 0, vals]

    def count(self, model, domain):
        return self.env[model].with_context(active_test=False).search_count(domain)

    def _create_vals(self, **vals):
        """What a client sends for a new request: no ``line_ids`` unless it adds one."""
        return {
            "partner_name": "RPC Customer",
            "phone": "021 2233 4455",
            "service_type_id": self.type_install.id,
            **vals,
        }

    # ------------------------------------------------------------------
    # At least one device
    # ------------------------------------------------------------------

    def test_create_without_device_refused(self):
        self.assertRefused(
            "has no device",
            self.operator,
            "aftersales.request",
            "create",
            [self._create_vals()],
        )
        # Neither the request nor the contact made from its phone was kept.
        self.assertEqual(
            self.count("aftersales.request", [("partner_name", "=", "RPC Customer")]), 0
        )
        self.assertEqual(self.count("res.partner", [("name", "=", "RPC Customer")]), 0)
        # With a device the same call goes through.
        request_id = self.rpc(
            self.operator,
            "aftersales.request",
            "create",
            [self._create_vals(line_ids=[self.new_line({"product_id": self.heater.id})])],
        )
        request = self.env["aftersales.request"].browse(request_id)
        self.assertEqual(request.line_ids.product_id, self.heater)
        self.assertEqual(request.partner_id.name, "RPC Customer")

    def test_last_device_cannot_be_removed(self):
        other = self.env["aftersales.request"].create(
            self._create_vals(line_ids=[self.new_line({"product_id": self.heater.id})])
        )
        # Delete, unlink, clear: the x2many commands as a client sends them.
        for command in ([2, self.line.id, 0], [3, self.line.id, 0], [5, 0, 0]):
            with self.subTest(command=command):
                self.assertRefused(
                    "has no device",
                    self.operator,
                    "aftersales.request",
                    "write",
                    [[self.job.id], {"line_ids": [command]}],
                )
        self.assertRefused(
            "has no device", self.operator, "aftersales.request.line", "unlink", [[self.line.id]]
        )
        # Moving the only device to another request empties this one.
        self.assertRefused(
            "has no device",
            self.operator,
            "aftersales.request.line",
            "write",
            [[self.line.id], {"request_id": other.id}],
        )
        self.assertTrue(self.line.exists())
        self.assertEqual(self.job.line_ids, self.line)
        self.assertEqual(len(other.line_ids), 1)

    # ------------------------------------------------------------------
    # Dates
    # ------------------------------------------------------------------

    def test_done_date_before_request_date_refused(self):
        self.job.write({"request_date": datetime(2025, 1, 10, 9, 0)})
        self.assertRefused(
            "the done date cannot be before the request date",
            self.operator,
            "aftersales.request",
            "write",
            [[self.job.id], {"done_date": "2025-01-09 09:00:00"}],
        )
        self.assertFalse(self.job.done_date)
        self.rpc(
            self.operator,
            "aftersales.request",
            "write",
            [[self.job.id], {"done_date": "2025-01-11 09:00:00"}],
        )
        # Moving the request date after the done date is the same mistake.
        self.assertRefused(
            "the done date cannot be before the request date",
            self.operator,
            "aftersales.request",
            "write",
            [[self.job.id], {"request_date": "2025-01-12 09:00:00"}],
        )
        self.assertEqual(self.job.request_date, datetime(2025, 1, 10, 9, 0))
        # And on create, with only the done date sent (the request date is the default).
        self.assertRefused(
            "the done date cannot be before the request date",
            self.operator,
            "aftersales.request",
            "create",
            [
                self._create_vals(
                    done_date="2020-01-01 00:00:00",
                    line_ids=[self.new_line({"product_id": self.heater.id})],
                )
            ],
        )
        self.assertEqual(
            self.count("aftersales.request", [("partner_name", "=", "RPC Customer")]), 0
        )

    # ------------------------------------------------------------------
    # Phones
    # ------------------------------------------------------------------

    def test_invalid_phones_refused(self):
        # A landline without its area code, with a valid mobile: the contact would be
        # made from the mobile if the landline were not checked first.
        self.assertRefused(
            "8877 6655 is not a valid landline number",
            self.operator,
            "aftersales.request",
            "create",
            [
                self._create_vals(
                    phone="8877 6655",
                    mobile="0912 111 2233",
                    line_ids=[self.new_line({"product_id": self.heater.id})],
                )
            ],
        )
        self.assertEqual(
            self.count("aftersales.request", [("partner_name", "=", "RPC Customer")]), 0
        )
        self.assertEqual(self.count("res.partner", [("name", "=", "RPC Customer")]), 0)
        self.assertRefused(
            "12345 is not a valid mobile number",
            self.operator,
            "aftersales.request",
            "write",
            [[self.job.id], {"mobile": "12345"}],
        )
        self.assertFalse(self.job.mobile)
        self.assertRefused(
            "is not a valid landline number",
            self.operator,
            "aftersales.request",
            "write",
            [[self.job.id], {"phone": "abc"}],
        )
        self.assertEqual(self.job.phone, "021 6601 2345")

    # ------------------------------------------------------------------
    # Workshop: quality control before delivery and closing
    # ------------------------------------------------------------------

    def test_no_closing_or_delivery_before_qc(self):
        self.assertRefused(
            "quality control has not passed",
            self.operator,
            "aftersales.request",
            "write",
            [[self.job.id], {"stage_id": self.stage_done.id}],
        )
        self.assertFalse(self.job.is_closed)
        self.assertRefused(
            "cannot be delivered before it passes quality control",
            self.operator,
            "aftersales.request",
            "action_deliver",
            [[self.job.id]],
        )
        self.assertRefused(
            "cannot be delivered before it passes quality control",
            self.operator,
            "aftersales.request.line",
            "action_deliver",
            [[self.line.id]],
        )
        self.assertFalse(self.line.delivery_date)
        self.assertFalse(self.job.is_closed)
        # Created straight into the done stage.
        self.assertRefused(
            "quality control has not passed",
            self.operator,
            "aftersales.request",
            "create",
            [
                self._create_vals(
                    service_type_id=self.type_workshop.id,
                    stage_id=self.stage_done.id,
                    line_ids=[self.new_line({"product_id": self.heater.id})],
                )
            ],
        )
        self.assertEqual(
            self.count("aftersales.request", [("partner_name", "=", "RPC Customer")]), 0
        )

    def test_closed_field_job_cannot_become_unchecked_workshop_job(self):
        field_job = self.env["aftersales.request"].create(
            self._create_vals(line_ids=[self.new_line({"product_id": self.heater.id})])
        )
        field_job.stage_id = self.stage_done
        self.assertRefused(
            "quality control has not passed",
            self.operator,
            "aftersales.request",
            "write",
            [[field_job.id], {"service_type_id": self.type_workshop.id}],
        )
        self.assertEqual(field_job.service_type_id, self.type_install)

    def test_qc_and_delivery_results_only_through_their_actions(self):
        for vals in (
            {"qc_state": "passed"},
            {"qc_user_id": self.operator.id, "qc_date": "2025-01-01 00:00:00"},
            {"delivery_date": "2025-01-01 00:00:00"},
        ):
            with self.subTest(vals=vals):
                self.assertRefused(
                    "recorded with the QC Pass, QC Fail and Deliver buttons",
                    self.operator,
                    "aftersales.request.line",
                    "write",
                    [[self.line.id], vals],
                )
        self.assertRefused(
            "recorded with the QC Pass, QC Fail and Deliver buttons",
            self.operator,
            "aftersales.request",
            "write",
            [
                [self.job.id],
                {"line_ids": [self.new_line({"product_id": self.heater.id, "qc_state": "passed"})]},
            ],
        )
        self.assertEqual(self.line.qc_state, "pending")
        self.assertFalse(self.line.delivery_date)
        self.assertEqual(self.job.line_ids, self.line)

    def test_repairing_technician_cannot_pass_own_qc(self):
        # The technician writes the diagnosis of their own job...
        self.rpc(
            self.technician,
            "aftersales.request.line",
            "write",
            [[self.line.id], {"diagnosis": "Thermocouple worn", "estimated_repair_hours": 2}],
        )
        self.assertEqual(self.line.diagnosis, "Thermocouple worn")
        self.assertTrue(self.line.diagnosis_date)
        # ...but neither passes nor fails its quality control, by the action or by hand.
        for method in ("action_qc_pass", "action_qc_fail"):
            with self.subTest(method=method):
                self.assertRefused(
                    "cannot pass its quality control",
                    self.technician,
                    "aftersales.request.line",
                    method,
                    [[self.line.id]],
                )
        self.assertRefused(
            "recorded with the QC Pass, QC Fail and Deliver buttons",
            self.technician,
            "aftersales.request.line",
            "write",
            [[self.line.id], {"qc_state": "passed"}],
        )
        self.assertEqual(self.line.qc_state, "pending")
        self.assertFalse(self.line.qc_user_id)
        # Another person checks it, then the device is delivered and the job closed.
        self.rpc(self.operator, "aftersales.request.line", "action_qc_pass", [[self.line.id]])
        self.assertEqual(self.line.qc_state, "passed")
        self.assertEqual(self.line.qc_user_id, self.operator)
        self.rpc(self.operator, "aftersales.request", "action_deliver", [[self.job.id]])
        self.env.invalidate_all()
        self.assertTrue(self.line.delivery_date)
        self.assertEqual(self.job.stage_id, self.stage_done)

    # ------------------------------------------------------------------
    # Complaints
    # ------------------------------------------------------------------

    def _complaint_vals(self, **vals):
        return {
            "partner_id": self.job.partner_id.id,
            "request_id": self.job.id,
            "description": "Nobody called back.",
            **vals,
        }

    def test_complaint_closing_rules(self):
        Complaint = self.env["aftersales.complaint"]
        before = self.count("aftersales.complaint", [])
        # Created straight into the closed stage.
        self.assertRefused(
            "cannot be closed before its result is written",
            self.operator,
            "aftersales.complaint",
            "create",
            [self._complaint_vals(stage_id=self.complaint_closed.id)],
        )
        self.assertRefused(
            "cannot be closed before its result is written",
            self.operator,
            "aftersales.complaint",
            "create",
            [self._complaint_vals(stage_id=self.complaint_closed.id, result="Fee refunded.")],
        )
        self.assertEqual(self.count("aftersales.complaint", []), before)
        complaint = Complaint.browse(
            self.rpc(self.operator, "aftersales.complaint", "create", [self._complaint_vals()])
        )
        # Closed by a stage write, with the result but the customer not informed.
        self.assertRefused(
            "cannot be closed before its result is written",
            self.operator,
            "aftersales.complaint",
            "write",
            [[complaint.id], {"stage_id": self.complaint_closed.id, "result": "Fee refunded."}],
        )
        self.assertFalse(complaint.is_closed)
        self.assertFalse(complaint.result)
        self.rpc(
            self.operator, "aftersales.complaint", "write", [[complaint.id], {"result": "Refund."}]
        )
        self.rpc(
            self.operator, "aftersales.complaint", "action_customer_informed", [[complaint.id]]
        )
        self.rpc(
            self.operator,
            "aftersales.complaint",
            "write",
            [[complaint.id], {"stage_id": self.complaint_closed.id}],
        )
        self.env.invalidate_all()
        self.assertTrue(complaint.is_closed)
        self.assertTrue(complaint.closed_date)
        # A closed complaint keeps its result and the date the customer was informed.
        for vals in ({"result": False}, {"customer_informed_date": False}):
            with self.subTest(vals=vals):
                self.assertRefused(
                    "cannot be closed before its result is written",
                    self.operator,
                    "aftersales.complaint",
                    "write",
                    [[complaint.id], vals],
                )
        self.assertEqual(complaint.result, "Refund.")
        self.assertTrue(complaint.customer_informed_date)

    def test_complaint_informed_before_received_refused(self):
        self.assertRefused(
            "the customer cannot be informed before the complaint was received",
            self.operator,
            "aftersales.complaint",
            "create",
            [self._complaint_vals(customer_informed_date="2020-01-01 00:00:00")],
        )
        complaint_id = self.rpc(
            self.operator, "aftersales.complaint", "create", [self._complaint_vals()]
        )
        self.assertRefused(
            "the customer cannot be informed before the complaint was received",
            self.operator,
            "aftersales.complaint",
            "write",
            [[complaint_id], {"customer_informed_date": "2020-01-01 00:00:00"}],
        )
        self.assertFalse(
            self.env["aftersales.complaint"].browse(complaint_id).customer_informed_date
        )

    # ------------------------------------------------------------------
    # JSON-RPC, as the web client and scripts send it, in the user's language
    # ------------------------------------------------------------------

    def _call_kw(self, model, method, args, kwargs):
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {"model": model, "method": method, "args": args, "kwargs": kwargs},
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def test_jsonrpc_refusal_in_persian(self):
        self.env["res.lang"]._activate_lang("fa_IR")
        persian = code_translations.get_python_translations("aftersales_base", "fa_IR")
        self.assertNotEqual(persian.get(NO_DEVICE, NO_DEVICE), NO_DEVICE, "no Persian text")
        self.authenticate(self.operator.login, self.operator.login)
        before = self.count("aftersales.request", [])
        reply = self._call_kw(
            "aftersales.request",
            "create",
            [self._create_vals()],
            {"context": {"lang": "fa_IR"}},
        )
        self.assertIn("error", reply)
        message = reply["error"]["data"]["message"]
        for fragment in persian[NO_DEVICE].split("%(name)s"):
            self.assertIn(fragment.strip(), message)
        self.env.invalidate_all()
        self.assertEqual(self.count("aftersales.request", []), before)
        self.assertEqual(self.count("res.partner", [("name", "=", "RPC Customer")]), 0)
        # The same call through the /jsonrpc "object" service, in English.
        reply = self.url_open(
            "/jsonrpc",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 2,
                    "params": {
                        "service": "object",
                        "method": "execute_kw",
                        "args": [
                            self.env.cr.dbname,
                            self.operator.id,
                            self.operator.login,
                            "aftersales.request",
                            "create",
                            [self._create_vals()],
                        ],
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        ).json()
        self.assertIn("has no device", reply["error"]["data"]["message"])
        self.env.invalidate_all()
        self.assertEqual(self.count("aftersales.request", []), before)
