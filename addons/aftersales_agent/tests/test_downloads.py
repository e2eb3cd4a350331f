"""Download center (R-AGT-9): agent A reads the published documents for every agent and
for A, never B's nor the unpublished ones, not by page, not by id, not by JSON-RPC."""

import base64
import json

from odoo.addons.aftersales_base.tests.common import portal_customer, prepare_portal
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..controllers.agent_extras import AftersalesAgentExtrasPortal
from .common import AgentCase


class DownloadsCase(AgentCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        prepare_portal(cls.env)
        Document = cls.env["aftersales.agent.document"]
        cls.doc_all, cls.doc_a, cls.doc_b, cls.doc_draft, cls.doc_price = Document.create(
            [
                cls._doc("Heater manual for all", "manual", b"MANUAL-ALL", published=True),
                cls._doc(
                    "Tehran circular", "circular", b"CIRC-A", published=True, agents=cls.agent_a
                ),
                cls._doc(
                    "Isfahan circular", "circular", b"CIRC-B", published=True, agents=cls.agent_b
                ),
                cls._doc("Draft price list", "price_list", b"DRAFT", published=False),
                cls._doc("Parts price list", "price_list", b"PRICES", published=True),
            ]
        )
        cls.customer_user = portal_customer(cls.env, "dl_customer")

    @classmethod
    def _doc(cls, name, category, data, published, agents=None):
        return {
            "name": name,
            "category": category,
            "file": base64.b64encode(data),
            "file_name": f"{name}.pdf",
            "published": published,
            "agent_ids": [(6, 0, agents.ids)] if agents else [],
        }

    def _rpc(self, model, method, args, kwargs=None):
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": kwargs or {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        return response.json()


@tagged("post_install", "-at_install")
class TestDownloads(DownloadsCase):
    def test_agent_sees_documents_for_all_and_for_itself(self):
        self.authenticate("agent_a", "agent_a")
        response = self.url_open("/my/downloads")
        self.assertEqual(response.status_code, 200)
        for doc in (self.doc_all, self.doc_a, self.doc_price):
            self.assertIn(doc.name, response.text)
            self.assertIn(f'href="/my/downloads/{doc.id}/file"', response.text)
        for doc in (self.doc_b, self.doc_draft):
            self.assertNotIn(doc.name, response.text)

        self.authenticate("agent_b", "agent_b")
        response = self.url_open("/my/downloads")
        self.assertIn(self.doc_b.name, response.text)
        self.assertIn(self.doc_all.name, response.text)
        self.assertNotIn(self.doc_a.name, response.text)

    def test_category_filter_and_search(self):
        self.authenticate("agent_a", "agent_a")
        response = self.url_open("/my/downloads?category=price_list")
        self.assertIn(self.doc_price.name, response.text)
        self.assertNotIn(self.doc_all.name, response.text)
        self.assertNotIn(self.doc_a.name, response.text)
        self.assertNotIn(self.doc_draft.name, response.text, "unpublished, even in its category")
        response = self.url_open("/my/downloads?search=circular")
        self.assertIn(self.doc_a.name, response.text)
        self.assertNotIn(self.doc_b.name, response.text)
        self.assertNotIn(self.doc_price.name, response.text)

    def test_pager_keeps_the_category(self):
        step = AftersalesAgentExtrasPortal._items_per_page
        self.env["aftersales.agent.document"].create(
            [
                self._doc(f"Form {index:03d}", "form", b"FORM", published=True)
                for index in range(step + 5)
            ]
        )
        self.authenticate("agent_a", "agent_a")
        response = self.url_open("/my/downloads?category=form")
        self.assertIn("/my/downloads/page/2?", response.text)
        self.assertIn("category=form", response.text.split("/my/downloads/page/2?", 1)[1][:200])
        page_2 = self.url_open("/my/downloads/page/2?category=form")
        self.assertEqual(page_2.status_code, 200)
        self.assertNotIn(self.doc_all.name, page_2.text)

    @mute_logger("odoo.http")
    def test_download_only_own_documents(self):
        self.authenticate("agent_a", "agent_a")
        response = self.url_open(f"/my/downloads/{self.doc_a.id}/file")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"CIRC-A")
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertEqual(
            self.url_open(f"/my/downloads/{self.doc_all.id}/file").content, b"MANUAL-ALL"
        )
        for doc in (self.doc_b, self.doc_draft):
            response = self.url_open(f"/my/downloads/{doc.id}/file")
            self.assertEqual(response.status_code, 404, doc.name)
            self.assertNotIn(b"CIRC-B", response.content)
            self.assertNotIn(b"DRAFT", response.content)
        # Nor through the generic content route, by record or by attachment id.
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "aftersales.agent.document"),
                    ("res_id", "=", self.doc_b.id),
                    ("res_field", "=", "file"),
                ]
            )
        )
        self.assertTrue(attachment)
        for url in (
            f"/web/content/aftersales.agent.document/{self.doc_b.id}/file",
            f"/web/content/{attachment.id}",
        ):
            response = self.url_open(url)
            self.assertNotEqual(response.status_code, 200, url)
            self.assertNotIn(b"CIRC-B", response.content, url)

    @mute_logger("odoo.http")
    def test_json_rpc_gives_only_own_documents(self):
        self.authenticate("agent_a", "agent_a")
        result = self._rpc("aftersales.agent.document", "search_read", [[], ["name"]])["result"]
        self.assertEqual(
            {row["id"] for row in result}, {self.doc_all.id, self.doc_a.id, self.doc_price.id}
        )
        for doc in (self.doc_b, self.doc_draft):
            payload = self._rpc("aftersales.agent.document", "read", [[doc.id], ["name", "file"]])
            self.assertIn("AccessError", payload["error"]["data"]["name"], doc.name)
        payload = self._rpc("aftersales.agent.document", "write", [[self.doc_a.id], {"name": "X"}])
        self.assertIn("AccessError", payload["error"]["data"]["name"])

    @mute_logger("odoo.http")
    def test_customers_get_no_download_center(self):
        self.authenticate("dl_customer", "dl_customer")
        self.assertEqual(self.url_open("/my/downloads").status_code, 404)
        self.assertEqual(self.url_open(f"/my/downloads/{self.doc_all.id}/file").status_code, 404)
        result = self._rpc("aftersales.agent.document", "search_read", [[], ["name"]])["result"]
        self.assertEqual(result, [])
        home = self.url_open("/my/home")
        self.assertNotIn('href="/my/downloads"', home.text)
        self.assertNotIn('href="/my/tickets"', home.text)

    def test_home_tiles_for_agents(self):
        self.authenticate("agent_a", "agent_a")
        home = self.url_open("/my/home")
        self.assertIn('href="/my/downloads"', home.text)
        self.assertIn('href="/my/tickets"', home.text)
        counters = self.url_open(
            "/my/counters",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {"counters": ["aftersales_agent_document_count"]},
                }
            ),
            headers={"Content-Type": "application/json"},
        ).json()["result"]
        self.assertEqual(counters["aftersales_agent_document_count"], 3)


@tagged("post_install", "-at_install")
class TestDocumentBackend(AgentCase):
    def test_operator_reads_manager_publishes(self):
        Document = self.env["aftersales.agent.document"]
        doc = Document.with_user(self.manager).create(
            {"name": "New manual", "category": "manual", "file": base64.b64encode(b"X")}
        )
        self.assertFalse(doc.publication_date)
        doc.with_user(self.manager).action_publish()
        self.assertTrue(doc.published)
        self.assertTrue(doc.publication_date, "publishing dates the document")
        self.assertEqual(Document.with_user(self.operator).browse(doc.id).name, "New manual")
        with self.assertRaises(AccessError):
            Document.with_user(self.operator).browse(doc.id).write({"published": False})
        with self.assertRaises(AccessError):
            Document.with_user(self.operator).create(
                {"name": "Not mine", "file": base64.b64encode(b"X")}
            )

    def test_other_company_documents_stay_hidden(self):
        other = self.env["res.company"].create({"name": "Other After-Sales Co"})
        doc = self.env["aftersales.agent.document"].create(
            {
                "name": "Other company memo",
                "file": base64.b64encode(b"X"),
                "published": True,
                "company_id": other.id,
            }
        )
        Document = self.env["aftersales.agent.document"]
        self.assertNotIn(doc, Document.with_user(self.manager).search([]))
        self.assertNotIn(doc, Document.with_user(self.user_a).search([]))
