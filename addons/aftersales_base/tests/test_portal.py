import base64
import json
import re

from freezegun import freeze_time

from odoo import Command, http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import portal_customer, prepare_portal

# 1x1 transparent PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@tagged("post_install", "-at_install")
class TestPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        prepare_portal(cls.env)
        cls.customer_a = portal_customer(cls.env, "portal_a", tz="Asia/Tehran")
        cls.customer_b = portal_customer(cls.env, "portal_b")
        categ, cls.other_categ = cls.env["product.category"].create(
            [
                {"name": "Portal Devices", "is_aftersales_device_type": True},
                {"name": "Portal Boilers", "is_aftersales_device_type": True},
            ]
        )
        cls.device, cls.device_2 = cls.env["product.product"].create(
            [
                {"name": "Portal Heater", "categ_id": categ.id},
                {"name": "Portal Cooler", "categ_id": categ.id},
            ]
        )
        cls.no_power = cls.env.ref("aftersales_base.fault_code_f01")
        cls.noise = cls.env.ref("aftersales_base.fault_code_f03")
        cls.boiler_fault = cls.env["aftersales.fault.code"].create(
            {"code": "PB1", "name": "Boiler pressure drop", "categ_ids": [cls.other_categ.id]}
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
            "line-0-product_id": self.device.id,
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
            data=self._form(
                partner_id=self.customer_b.partner_id.id, **{"line-0-serial_number": "new-77"}
            ),
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
            "/en/service-request", data=self._form(name="Guest", mobile="0936 100 2000")
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
        self.assertEqual(created.service_type_id, self.stype)
        self.assertEqual(
            [
                (line.product_id, line.serial_number, line.fault_code_ids)
                for line in created.line_ids
            ],
            [(self.device, "TOUR-9", self.no_power), (self.device_2, "TOUR-10", self.no_power[:0])],
        )

    # ------------------------------------------------------------------
    # Several devices, required fields (R-REC-1)
    # ------------------------------------------------------------------

    def _count(self):
        return self.env["aftersales.request"].search_count([])

    def test_several_devices_with_their_faults(self):
        self.authenticate("portal_a", "portal_a")
        form = self._form(
            **{
                "line-0-serial_number": "heater-1",
                "line-0-fault_code_ids": [self.no_power.id, self.noise.id],
                # A row left empty is not a device.
                "line-1-product_id": "",
                "line-1-serial_number": "",
                "line-4-product_id": self.device_2.id,
                "line-4-serial_number": "cooler-2",
            }
        )
        response = self.url_open("/my/service-requests/new", data=form)
        self.assertEqual(response.status_code, 200)
        created = self.env["aftersales.request"].search(
            [("partner_id", "=", self.customer_a.partner_id.id), ("id", "!=", self.request_a.id)]
        )
        self.assertEqual(len(created), 1)
        self.assertEqual(
            [
                (line.product_id, line.serial_number, line.fault_code_ids)
                for line in created.line_ids
            ],
            [
                (self.device, "HEATER-1", self.no_power | self.noise),
                (self.device_2, "COOLER-2", self.no_power[:0]),
            ],
        )
        self.assertEqual(created.description, "It makes a loud noise.")
        self.assertEqual(
            created.line_ids.mapped("notes"), [False, False], "said once, on the request"
        )

    def test_refused_forms_say_why_and_save_nothing(self):
        self.authenticate("portal_a", "portal_a")
        before = self._count()
        cases = {
            "Choose the service you need.": self._form(service_type_id=""),
            "Choose your device.": self._form(**{"line-0-product_id": ""}),
            "Device 2: choose what kind of device it is.": self._form(
                **{"line-1-serial_number": "no-product"}
            ),
            "does not apply to Portal Heater": self._form(
                **{"line-0-fault_code_ids": [self.boiler_fault.id]}
            ),
            "At most 10 devices per request": self._form(
                **{f"line-{i}-product_id": self.device.id for i in range(11)}
            ),
        }
        for message, form in cases.items():
            with self.subTest(message=message):
                response = self.url_open("/my/service-requests/new", data=form)
                self.assertIn("o_aftersales_form_error", response.text)
                self.assertIn(message, response.text)
        self.assertEqual(self._count(), before)

    def _tag(self, html, tag, element_id):
        """The opening tag of the element with this id (attributes in any order)."""
        match = re.search(rf'<{tag}\b[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
        self.assertTrue(match, f"no <{tag} id={element_id}>")
        return match.group(0)

    def test_add_a_device_without_javascript(self):
        self.authenticate("portal_a", "portal_a")
        before = self._count()
        form = self._form(add_device="1", **{"line-0-fault_code_ids": [self.noise.id]})
        page = self.url_open("/my/service-requests/new", data=form).text
        self.assertNotIn("o_aftersales_form_error", page)
        self.assertEqual(len(re.findall(r"<fieldset[^>]*o_aftersales_device_row", page)), 2)
        self.assertIn("required", self._tag(page, "select", "line-1-product_id"))
        # What was already chosen is kept.
        row_0 = re.search(r'<select[^>]*id="line-0-product_id".*?</select>', page, re.S).group(0)
        self.assertRegex(row_0, rf'<option[^>]*value="{self.device.id}"[^>]*selected')
        self.assertIn("checked", self._tag(page, "input", f"line-0-fault-{self.noise.id}"))
        self.assertNotIn("checked", self._tag(page, "input", f"line-0-fault-{self.no_power.id}"))
        self.assertEqual(self._count(), before, "nothing saved")

    def test_form_marks_required_fields_and_asks_for_the_service(self):
        self.authenticate(None, None)
        page = self.url_open("/service-request").text
        # The service starts empty: a missing choice is refused, not the first type.
        self.assertRegex(page, r'<select[^>]*id="service_type_id"[^>]*>\s*<option value="">')
        for tag, field in (
            ("input", "name"),
            ("select", "service_type_id"),
            ("select", "line-0-product_id"),
            ("textarea", "description"),
        ):
            with self.subTest(field=field):
                self.assertIn("required", self._tag(page, tag, field))
                # The asterisk is drawn after the labels of this class.
                self.assertRegex(
                    page, rf'<label class="[^"]*o_aftersales_required"[^>]*for="{field}"'
                )
        for field in ("phone", "mobile", "line-0-serial_number"):
            with self.subTest(field=field):
                self.assertIn('dir="ltr"', self._tag(page, "input", field))

    # ------------------------------------------------------------------
    # What the customer reads
    # ------------------------------------------------------------------

    def test_request_page_shows_faults_description_and_stage_history(self):
        with freeze_time("2025-03-21 08:00:00"):
            record = self.env["aftersales.request"].create(
                {
                    "partner_id": self.customer_a.partner_id.id,
                    "mobile": "0912 300 4050",
                    "service_type_id": self.stype.id,
                    "description": "Water on the floor.",
                    "request_date": "2025-03-21 08:00:00",
                    "line_ids": [
                        Command.create(
                            {"product_id": self.device.id, "fault_code_ids": [self.noise.id]}
                        )
                    ],
                }
            )
            self.env.flush_all()
            self.env.cr.precommit.run()  # commit-time tracking, as between two requests
        for when, stage in (
            ("2025-03-22 06:00:00", "aftersales_base.stage_assigned"),
            ("2025-03-23 10:00:00", "aftersales_base.stage_progress"),
        ):
            with freeze_time(when):
                record.stage_id = self.env.ref(stage)
                self.env.flush_all()
                self.env.cr.precommit.run()
        self.authenticate("portal_a", "portal_a")
        page = self.url_open(f"/my/service-requests/{record.id}").text
        self.assertIn("Water on the floor.", page)
        self.assertIn("Abnormal noise", page)
        self.assertIn('<span class="o_aftersales_phone" dir="ltr">0912 300 4050</span>', page)
        # English reader in Tehran: Odoo's date format, local time (UTC+3:30).
        steps = [
            ("03/21/2025 11:30", "New"),
            ("03/22/2025 09:30", "Assigned"),
            ("03/23/2025 13:30", "In Progress"),
        ]
        positions = []
        for date, stage in steps:
            self.assertRegex(
                page,
                rf'o_aftersales_timeline_date">{date}</span>\s*'
                rf'<span class="o_aftersales_timeline_stage">{stage}</span>',
            )
            positions.append(page.index(f">{date}<"))
        self.assertEqual(positions, sorted(positions), "oldest first")
        self.assertIn('aria-current="step"', page)

        # A Persian reader gets Jalali dates: 1 Farvardin 1404 is 21 March 2025.
        page = self.url_open(f"/fa/my/service-requests/{record.id}").text
        self.assertIn("۱۴۰۴/۰۱/۰۱ ۱۱:۳۰", page)
        self.assertIn("۱۴۰۴/۰۱/۰۳ ۱۳:۳۰", page)

    def test_home_counts_requests(self):
        self.authenticate("portal_a", "portal_a")
        home = self.url_open("/my/home").text
        self.assertIn('data-placeholder_count="aftersales_request_count"', home)
        icons = {
            "o_aftersales_tile_requests": "/aftersales_base/static/src/img/portal_requests.svg",
            "o_aftersales_tile_new": "/aftersales_base/static/src/img/portal_request_new.svg",
        }
        for tile, icon in icons.items():
            self.assertRegex(home, rf'{tile}[^"]*">\s*<a [^>]*>\s*<img[^>]*src="{icon}"')
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["aftersales_request_count"]}
        )
        self.assertEqual(counters["aftersales_request_count"], 1)
        self.authenticate("portal_b", "portal_b")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["aftersales_request_count"]}
        )
        self.assertEqual(counters["aftersales_request_count"], 0)

    def test_list_queries_do_not_grow_with_the_rows(self):
        """A page of 5, 20 or 80 rows (of 1,000 requests) costs the same queries."""
        Request = self.env["aftersales.request"].with_context(
            tracking_disable=True, aftersales_no_sms=True
        )
        counts = {}
        for total in (5, 20, 1000):
            login = f"portal_rows_{total}"
            customer = new_test_user(
                self.env, login=login, password=login, groups="base.group_portal", lang="en_US"
            )
            Request.create(
                [
                    {
                        "partner_id": customer.partner_id.id,
                        "service_type_id": self.stype.id,
                        "line_ids": [
                            Command.create(
                                {"product_id": self.device.id, "serial_number": f"R{i}"}
                            ),
                            Command.create({"product_id": self.device_2.id}),
                        ],
                    }
                    for i in range(total)
                ]
            )
            self.env.flush_all()
            self.authenticate(login, login)
            self.url_open("/my/service-requests")  # compiled views and caches, as in production
            before = self.cr.sql_log_count
            response = self.url_open("/my/service-requests")
            counts[total] = self.cr.sql_log_count - before
            rows = response.text.count('class="o_aftersales_request_row"')
            self.assertEqual(rows, min(total, 80))
        self.assertEqual(counts[5], counts[20], counts)
        self.assertEqual(counts[5], counts[1000], counts)
