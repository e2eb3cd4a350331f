import base64
import json

from odoo import Command, http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

# 1x1 transparent PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@tagged("post_install", "-at_install")
class TestPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.ir")
        cls.customer_a = new_test_user(
            cls.env, login="portal_a", password="portal_a", groups="base.group_portal"
        )
        cls.customer_b = new_test_user(
            cls.env, login="portal_b", password="portal_b", groups="base.group_portal"
        )
        categ = cls.env["product.category"].create(
            {"name": "Portal Devices", "is_aftersales_device_type": True}
        )
        cls.device = cls.env["product.product"].create(
            {"name": "Portal Heater", "categ_id": categ.id}
        )
        cls.stype = cls.env.ref("aftersales_base.service_type_prp")
        cls.request_a = cls.env["aftersales.request"].create(
            {
                "partner_id": cls.customer_a.partner_id.id,
                "phone": "021 5566 7788",
                "service_type_id": cls.stype.id,
                "line_ids": [
                    Command.create({"product_id": cls.device.id, "serial_number": "PA-1"})
                ],
            }
        )

    def _form(self, **vals):
        data = {
            "csrf_token": http.Request.csrf_token(self),
            "product_id": self.device.id,
            "service_type_id": self.stype.id,
            "mobile": "0912 777 8899",
            "description": "It makes a loud noise.",
        }
        data.update(vals)
        return data

    def test_new_request_reachable_before_any_request(self):
        self.authenticate("portal_b", "portal_b")
        home = self.url_open("/my/home")
        self.assertIn('href="/my/service-requests/new"', home.text)
        self.assertEqual(self.url_open("/my/service-requests/new").status_code, 200)

    def test_customer_sees_own_requests_only(self):
        self.authenticate("portal_a", "portal_a")
        response = self.url_open("/my/service-requests")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.request_a.name, response.text)
        response = self.url_open(f"/my/service-requests/{self.request_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("PA-1", response.text)

        self.authenticate("portal_b", "portal_b")
        response = self.url_open("/my/service-requests")
        self.assertNotIn(self.request_a.name, response.text)
        response = self.url_open(f"/my/service-requests/{self.request_a.id}")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("PA-1", response.text)

    @mute_logger("odoo.http")  # the refused calls are logged as warnings by design
    def test_json_rpc_gives_portal_nothing(self):
        self.authenticate("portal_b", "portal_b")
        for method, args in (("read", [[self.request_a.id], ["name"]]), ("search_read", [[]])):
            response = self.url_open(
                f"/web/dataset/call_kw/aftersales.request/{method}",
                data=json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "method": "call",
                        "params": {
                            "model": "aftersales.request",
                            "method": method,
                            "args": args,
                            "kwargs": {},
                        },
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
            payload = response.json()
            self.assertIn("error", payload, method)
            self.assertIn("AccessError", payload["error"]["data"]["name"], method)

    def test_new_request_forces_the_customer(self):
        self.authenticate("portal_a", "portal_a")
        response = self.url_open(
            "/my/service-requests/new",
            data=self._form(partner_id=self.customer_b.partner_id.id, serial_number="new-77"),
            files={"photos": ("heater.png", PNG, "image/png")},
        )
        self.assertEqual(response.status_code, 200)
        created = self.env["aftersales.request"].search([("line_ids.serial_number", "=", "NEW-77")])
        self.assertEqual(len(created), 1)
        self.assertEqual(
            created.partner_id, self.customer_a.partner_id, "partner_id is not writable"
        )
        self.assertEqual(created.channel_id, self.env.ref("aftersales_base.channel_web"))
        self.assertTrue(created.line_ids.serial_to_verify)
        photos = self.env["ir.attachment"].search(
            [("res_model", "=", "aftersales.request"), ("res_id", "=", created.id)]
        )
        self.assertEqual(photos.mapped("name"), ["heater.png"], "the photo is kept")
        self.assertEqual(photos.mimetype, "image/png")

    def test_bad_photos_refused_and_nothing_saved(self):
        self.authenticate("portal_a", "portal_a")
        before = self.env["aftersales.request"].search_count([])
        response = self.url_open(
            "/my/service-requests/new",
            data=self._form(),
            files={"photos": ("virus.png", b"MZ\x90\x00not an image", "image/png")},
        )
        self.assertIn("o_aftersales_form_error", response.text)
        big = PNG + b"\0" * (5 * 1024 * 1024)
        response = self.url_open(
            "/my/service-requests/new",
            data=self._form(),
            files={"photos": ("big.png", big, "image/png")},
        )
        self.assertIn("o_aftersales_form_error", response.text)
        response = self.url_open("/my/service-requests/new", data=self._form(mobile="", phone=""))
        self.assertIn("o_aftersales_form_error", response.text)
        self.assertEqual(self.env["aftersales.request"].search_count([]), before)

    def test_public_form_csrf_and_rate_limit(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "aftersales_base.public_requests_per_phone", 2
        )
        self.authenticate(None, None)
        response = self.url_open("/service-request")
        self.assertEqual(response.status_code, 200)
        no_csrf = self._form(name="Guest")
        no_csrf.pop("csrf_token")
        response = self.url_open("/service-request", data=no_csrf)
        self.assertEqual(response.status_code, 400)
        for _i in range(2):
            response = self.url_open(
                "/service-request", data=self._form(name="Guest", mobile="0936 100 2000")
            )
            self.assertIn("o_aftersales_request_done", response.text)
        created = self.env["aftersales.request"].search([("mobile_e164", "=", "+989361002000")])
        self.assertEqual(len(created), 2)
        self.assertEqual(len(created.partner_id), 1, "one person, one contact")
        self.assertEqual(created.partner_id.name, "Guest")
        response = self.url_open(
            "/service-request", data=self._form(name="Guest", mobile="0936 100 2000")
        )
        self.assertIn("Too many requests", response.text)
        self.assertEqual(
            self.env["aftersales.request"].search_count([("mobile_e164", "=", "+989361002000")]), 2
        )

    def _post_message(self, token, body):
        return self.url_open(
            "/mail/message/post",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "thread_model": "aftersales.request",
                        "thread_id": self.request_a.id,
                        "post_data": {"body": body, "message_type": "comment"},
                        "token": token,
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )

    @mute_logger("odoo.http")
    def test_customer_writes_in_the_request_chatter(self):
        token = self.request_a._portal_ensure_token()
        self.authenticate("portal_a", "portal_a")
        page = self.url_open(f"/my/service-requests/{self.request_a.id}")
        self.assertIn(f'data-token="{token}"', page.text)
        self.assertNotIn("error", self._post_message(token, "Please come after 5 pm.").json())
        self.assertIn("Please come after 5 pm.", self.request_a.message_ids[0].body)
        self.authenticate("portal_b", "portal_b")
        self.assertIn("error", self._post_message("forged-token", "spam").json())
        self.assertNotIn("spam", self.request_a.message_ids[0].body)

    def test_portal_tour(self):
        self.start_tour("/my/service-requests", "aftersales_portal_request_tour", login="portal_a")
        created = self.env["aftersales.request"].search(
            [
                ("partner_id", "=", self.customer_a.partner_id.id),
                ("line_ids.serial_number", "=", "TOUR-9"),
            ]
        )
        self.assertEqual(len(created), 1)
