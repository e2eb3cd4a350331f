import html

import lxml.html

from odoo import http
from odoo.addons.aftersales_base.tests.test_report_pdf import ReportPdfCase
from odoo.tests import new_test_user, tagged

from .common import StockCase

LABEL_REPORT = "aftersales_stock.action_report_core_label"


@tagged("post_install", "-at_install")
class TestStockPortal(StockCase, ReportPdfCase):
    """Agent A's parts, consignment stock and cores over HTTP, as its staff reach them from
    a phone; agent B sees none of them. The core labels as real PDFs."""

    browser_size = "375x667"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The messages are asserted in English (the database's default may be Persian).
        (cls.user_a | cls.user_b).write({"lang": "en_US"})
        (cls.agent_a | cls.agent_b).write({"lang": "en_US"})
        cls.job_a = cls._job(cls.agent_a)
        cls.job_b = cls._job(cls.agent_b)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _post(self, url, data=None):
        payload = {"csrf_token": http.Request.csrf_token(self), **(data or {})}
        return self.url_open(url, data=payload)

    def _core(self, agent=None):
        report = self._approved_with_parts([(self.core_part, 1, {})], agent=agent)
        core = report.aftersales_core_ids
        self.assertEqual(len(core), 1)
        self.assertEqual(core.state, "pending")
        return core

    def _requests(self, agent=None):
        return self.env["aftersales.part.request"].search(
            [("agent_id", "=", (agent or self.agent_a).id)]
        )

    def _form(self, **values):
        data = {
            "request_type": "consignment",
            "request_id": "",
            "part-0-code": "htr-ign-002",
            "part-0-product_id": "",
            "part-0-quantity": "2",
            "note": "For the winter",
        }
        data.update(values)
        return data

    # ------------------------------------------------------------------
    # The tour
    # ------------------------------------------------------------------

    def test_tour_request_a_part_and_ship_a_core_on_a_phone(self):
        core = self._core()
        self.start_tour("/my/parts/new", "aftersales_stock_portal_tour", login="agent_a")

        part_request = self._requests()
        self.assertEqual(len(part_request), 1)
        self.assertEqual(part_request.request_type, "consignment")
        self.assertEqual(part_request.state, "submitted")
        self.assertEqual(
            [(line.product_id, line.quantity) for line in part_request.line_ids],
            [(self.cons_part, 2.0)],
        )
        self.assertEqual(part_request.shipping_payer, "agent")
        core.invalidate_recordset()
        self.assertEqual(core.state, "shipped")
        self.assertEqual(core.shipment_ref, "Tipax 123456")

    # ------------------------------------------------------------------
    # Isolation
    # ------------------------------------------------------------------

    def test_agent_b_sees_nothing_of_agent_a(self):
        core = self._core()
        part_request = self._part_request("consignment", [(self.cons_part, 3)])
        part_request.with_user(self.stock_manager).action_approve()
        self._validate(part_request.picking_ids)
        self.assertEqual(self._qty(self.cons_part, self.loc_a), 3)

        self.authenticate("agent_a", "agent_a")
        home = self.url_open("/my/home").text
        for url in ("/my/parts", "/my/consignment", "/my/cores"):
            self.assertIn(f'href="{url}"', home)
        counters = self.make_jsonrpc_request(
            "/my/counters",
            {
                "counters": [
                    "aftersales_stock_part_request_count",
                    "aftersales_stock_core_count",
                    "aftersales_stock_consignment_count",
                ]
            },
        )
        self.assertEqual(
            counters,
            {
                "aftersales_stock_part_request_count": 1,
                "aftersales_stock_core_count": 1,
                "aftersales_stock_consignment_count": 1,
            },
        )
        page = self.url_open(f"/my/parts/{part_request.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(part_request.name, page.text)
        self.assertIn('data-state="done"', page.text, "the transfer is shown done")
        self.assertIn(part_request.picking_ids.name, page.text)
        self.assertIn(part_request.name, self.url_open("/my/parts").text)
        consignment = self.url_open("/my/consignment").text
        self.assertIn("S Thermocouple", consignment)
        self.assertIn("HTR-IGN-002", consignment)
        self.assertIn(core.name, self.url_open("/my/cores").text)
        labels = self.url_open(f"/my/cores/labels?ids={core.id}")
        self.assertEqual(labels.status_code, 200)
        self.assertIn(core.name.encode(), labels.content)

        self.authenticate("agent_b", "agent_b")
        self.assertEqual(self.url_open(f"/my/parts/{part_request.id}").status_code, 404)
        self.assertNotIn(part_request.name, self.url_open("/my/parts").text)
        consignment = self.url_open("/my/consignment").text
        self.assertNotIn("S Thermocouple", consignment)
        self.assertIn("o_aftersales_stock_no_stock", consignment)
        self.assertIn("o_aftersales_stock_no_item", consignment)
        cores = self.url_open("/my/cores?filterby=all").text
        self.assertNotIn(core.name, cores)
        for url in (
            f"/my/cores/labels?ids={core.id}",
            f"/my/cores/labels?ids={core.id},{core.id + 1000000}",
            "/my/cores/labels?ids=abc",
            "/my/cores/labels",
        ):
            self.assertEqual(self.url_open(url).status_code, 404, url)
        response = self._post("/my/cores/ship", {"core_ids": str(core.id), "reference": "X 1"})
        self.assertEqual(response.status_code, 404)
        core.invalidate_recordset()
        self.assertEqual(core.state, "pending")
        self.assertFalse(core.shipment_ref)

    def test_customers_get_no_parts_pages(self):
        new_test_user(
            self.env,
            login="plain_customer",
            password="plain_customer",
            groups="base.group_portal",
            partner_id=self.customer.id,
            context={"no_reset_password": True},
        )
        core = self._core()
        self.authenticate("plain_customer", "plain_customer")
        self.assertNotIn('href="/my/cores"', self.url_open("/my/home").text)
        for url in (
            "/my/parts",
            "/my/parts/new",
            "/my/consignment",
            "/my/cores",
            f"/my/cores/labels?ids={core.id}",
        ):
            self.assertEqual(self.url_open(url).status_code, 404, url)

    # ------------------------------------------------------------------
    # Part requests
    # ------------------------------------------------------------------

    def test_forged_keys_are_ignored(self):
        self.authenticate("agent_a", "agent_a")
        response = self._post(
            "/my/parts/new",
            self._form(
                agent_id=str(self.agent_b.id),
                state="approved",
                price_unit="1",
                **{"part-0-price_unit": "1", "amount_total": "1", "shipping_payer": "company"},
            ),
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self._requests(self.agent_b), "nothing made for agent B")
        part_request = self._requests()
        self.assertEqual(len(part_request), 1)
        self.assertEqual(part_request.state, "submitted")
        self.assertEqual(part_request.shipping_payer, "agent")
        self.assertEqual(part_request.note, "For the winter")
        # The consignment price: the sales price plus the part's 20% uplift.
        self.assertEqual(part_request.line_ids.price_unit, 240000)
        self.assertEqual(part_request.amount_total, 480000)
        self.assertIn(f"/my/parts/{part_request.id}", response.url)
        self.assertIn('data-done="submitted"', response.text)

    def test_warranty_part_for_an_own_job_picked_from_the_list(self):
        self.authenticate("agent_a", "agent_a")
        form = self.url_open("/my/parts/new").text
        root = lxml.html.fromstring(form)
        jobs = root.xpath("//select[@name='request_id']/option/@value")
        self.assertIn(str(self.job_a.id), jobs)
        self.assertNotIn(str(self.job_b.id), jobs, "only the agent's own jobs")
        parts = root.xpath("//select[@name='part-0-product_id']/option/@value")
        self.assertIn(str(self.core_part.id), parts)
        response = self._post(
            "/my/parts/new",
            self._form(
                request_type="warranty",
                request_id=str(self.job_a.id),
                **{"part-0-code": "", "part-0-product_id": str(self.core_part.id)},
                **{"part-0-quantity": "1"},
            ),
        )
        self.assertEqual(response.status_code, 200)
        part_request = self._requests()
        self.assertEqual(len(part_request), 1)
        self.assertEqual(part_request.request_id, self.job_a)
        self.assertEqual(part_request.line_ids.product_id, self.core_part)
        self.assertIn(part_request.state, ("submitted", "review"))
        self.assertIn(self.job_a.name, response.text)

    def test_bad_input_is_refused_with_a_message(self):
        self.authenticate("agent_a", "agent_a")
        cases = [
            ({"part-0-code": "XXX-NOP-999"}, "no part has the code XXX-NOP-999"),
            ({"part-0-quantity": "1.5"}, "is not a whole number"),
            ({"part-0-quantity": "-2"}, "must be positive"),
            ({"part-0-code": "HTR-CTL-003"}, "is a high-value part"),
            ({"part-0-code": "HTR-BRN-001"}, "may not be lent on consignment"),
            (
                {"request_type": "warranty", "request_id": str(self.job_b.id)},
                "Choose one of your open jobs for warranty parts.",
            ),
            ({"request_type": "free_parts"}, "Choose the kind of request."),
            ({"part-0-code": "", "part-0-quantity": ""}, "Give the code of a part or choose one."),
        ]
        for values, message in cases:
            response = self._post("/my/parts/new", self._form(**values))
            self.assertEqual(response.status_code, 200, message)
            self.assertIn(message, html.unescape(response.text))
            self.assertIn("o_aftersales_stock_request_form", response.text, "the form is back")
            self.assertFalse(self._requests(), f"nothing saved: {message}")
        self.assertFalse(self._requests(self.agent_b))
        self.assertFalse(
            self.env["aftersales.part.request.line"].search(
                [("part_request_id.agent_id", "=", self.agent_a.id)]
            )
        )

    # ------------------------------------------------------------------
    # Cores
    # ------------------------------------------------------------------

    def test_declare_a_shipment(self):
        core = self._core()
        other = self._core()
        self.authenticate("agent_a", "agent_a")
        response = self._post("/my/cores/ship", {"core_ids": str(core.id), "reference": " "})
        self.assertIn("Give the carrier and waybill number", html.unescape(response.text))
        response = self._post("/my/cores/ship", {"reference": "Tipax 1"})
        self.assertIn("Choose the cores you are shipping.", response.text)
        core.invalidate_recordset()
        self.assertEqual(core.state, "pending")

        response = self._post(
            "/my/cores/ship", {"core_ids": str(core.id), "reference": "Tipax 778899"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn('data-done="shipped"', response.text)
        [link] = lxml.html.fromstring(response.text).xpath(
            "//a[hasclass('o_aftersales_stock_print_labels')]/@href"
        )
        self.assertEqual(link, f"/my/cores/labels?ids={core.id}")
        core.invalidate_recordset()
        self.assertEqual((core.state, core.shipment_ref), ("shipped", "Tipax 778899"))
        self.assertEqual(other.state, "pending")
        # Shipped cores cannot be shipped again; the owed filter still lists them.
        response = self._post("/my/cores/ship", {"core_ids": str(core.id), "reference": "Y"})
        self.assertIn("are not waiting to be shipped", response.text)
        owed = self.url_open("/my/cores").text
        self.assertIn(core.name, owed)
        self.assertIn(other.name, owed)
        # An overdue core is highlighted.
        other.sudo().due_date = "2020-01-01"
        cards = lxml.html.fromstring(self.url_open("/my/cores").text)
        [card] = cards.xpath(f"//div[@data-core-id='{other.id}']")
        self.assertIn("o_aftersales_overdue", card.get("class"))

    def test_persian_agent_reads_jalali_dates(self):
        core = self._core()
        self.env["res.lang"]._activate_lang("fa_IR")
        self.user_a.lang = "fa_IR"
        self.authenticate("agent_a", "agent_a")
        page = self.url_open("/my/cores").text
        self.assertIn(
            self.env["ir.actions.report"]._aftersales_format_date(core.due_date, "fa_IR"), page
        )
        self.assertIn('dir="rtl"', page)

    # ------------------------------------------------------------------
    # Labels
    # ------------------------------------------------------------------

    def test_label_binding_and_html(self):
        report = self.env.ref(LABEL_REPORT)
        self.assertEqual(report.binding_model_id.model, "aftersales.core")
        self.assertEqual(report.name, "Core Labels")
        arch = self.env["aftersales.core"].get_view(view_type="form")["arch"]
        self.assertIn(f'name="{report.id}"', arch)
        cores = self._core() | self._core()
        body, _type = self.env["ir.actions.report"]._render_qweb_html(LABEL_REPORT, cores.ids)
        root = lxml.html.fromstring(body)
        labels = root.xpath("//div[hasclass('o_aftersales_core_label')]")
        self.assertEqual([label.get("data-core") for label in labels], cores.mapped("name"))
        for label, core in zip(labels, cores, strict=True):
            text = label.text_content()
            for expected in (core.name, core.request_id.name, "HTR-BRN-001", "S Burner"):
                self.assertIn(expected, text)
            images = label.xpath(".//img/@src")
            self.assertEqual(len(images), 2, "a Code128 barcode and a QR code")
            self.assertTrue(all(src.startswith("data:image/png;base64,") for src in images))

    def test_label_pdf_in_english_and_persian(self):
        core = self._core()
        core.part_serial = "PS-0042"
        pdf = self.print_pdf(LABEL_REPORT, core)
        self.assert_inside_page(pdf, LABEL_REPORT, "Core label in English")
        text = self.pdf_text(pdf)
        for expected in (core.name, core.request_id.name, "HTR-BRN-001", "PS-0042", "Agent A"):
            self.assertIn(expected, text)
        due = self.env["ir.actions.report"]._aftersales_format_date(core.due_date, "en_US")
        self.assertIn(due, text)

        self.env["res.lang"]._activate_lang("fa_IR")
        self.agent_a.lang = "fa_IR"
        pdf = self.print_pdf(LABEL_REPORT, core)
        self.assert_inside_page(pdf, LABEL_REPORT, "Core label in Persian")
        text = self.pdf_text(pdf)
        for expected in (core.name, core.request_id.name, "HTR-BRN-001", "PS-0042"):
            self.assertIn(expected, text)
        jalali = self.env["ir.actions.report"]._aftersales_format_date(core.due_date, "fa_IR")
        self.assertIn(jalali.split("/")[0], text, "the Jalali year in Persian digits")
        self.assertNotIn(due, text)
