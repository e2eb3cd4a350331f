"""Download center and tickets in Chromium at phone width (375 px), left-to-right and
right-to-left: every page fits the window and shows what it is for."""

import base64
import json

from odoo.addons.aftersales_base.tests.common import prepare_portal
from odoo.addons.aftersales_base.tests.test_portal_layout import CHECK_PAGE
from odoo.tests import HttpCase, tagged

from .common import AgentCase

# The chatter and its composer are drawn in a shadow root.
CHATTER_READY = (
    "document.querySelector('#chatterRoot').shadowRoot.querySelector('.o-mail-Composer-fake')"
)


@tagged("post_install", "-at_install")
class TestAgentExtrasLayoutPhone(AgentCase, HttpCase):
    browser_size = "375x800"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        prepare_portal(cls.env)
        cls.env["aftersales.agent.document"].create(
            {
                "name": "Installation manual of the wall-mounted heater, second edition",
                "category": "manual",
                "description": "Read it before the first installation of the new series "
                "of heaters; it replaces the leaflet sent with the circular.",
                "file": base64.b64encode(b"MANUAL"),
                "file_name": "a-very-long-file-name-for-the-installation-manual-v2.pdf",
                "published": True,
                "agent_ids": [(6, 0, cls.agent_a.ids)],
            }
        )
        report = cls._report(cls._job(cls.agent_a))
        cls.ticket = cls.env["aftersales.agent.ticket"]._aftersales_create_from_portal(
            cls.user_a,
            {
                "subject": "The travel allowance of the last out-of-city repair is missing",
                "ticket_type": "fee_dispute",
                "description": "We drove 80 km to the customer; the report shows no travel.",
                "work_report_id": report.id,
            },
        )
        cls.ticket.message_post(
            body="We are checking the report.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            author_id=cls.manager.partner_id.id,
        )
        cls.env.cr.precommit.run()

    def _pages(self, prefix):
        return [
            (
                f"{prefix}/my/home",
                [".o_aftersales_tile_agent_downloads", ".o_aftersales_tile_agent_tickets"],
                "document.querySelector('.o_aftersales_tile_agent_downloads "
                ".o_aftersales_tile_count').textContent === '1'",
            ),
            (
                f"{prefix}/my/downloads",
                [
                    ".o_aftersales_agent_document_name",
                    ".o_aftersales_agent_document_category",
                    ".o_aftersales_agent_document_download",
                    "#aftersales_agent_download_category",
                ],
                "true",
            ),
            (
                f"{prefix}/my/tickets",
                [
                    ".o_aftersales_agent_ticket_subject",
                    ".o_aftersales_agent_ticket_state",
                    ".o_aftersales_agent_ticket_new",
                    "#aftersales_agent_ticket_state",
                ],
                "true",
            ),
            (
                f"{prefix}/my/tickets/new",
                [
                    "#aftersales_agent_ticket_subject",
                    "#aftersales_agent_ticket_type",
                    "#aftersales_agent_ticket_report",
                    ".o_aftersales_agent_ticket_submit",
                ],
                "true",
            ),
            (
                f"{prefix}/my/tickets/{self.ticket.id}",
                [
                    ".o_aftersales_agent_ticket_page .o_aftersales_agent_ticket_state",
                    ".o_aftersales_agent_ticket_description",
                    ".o_aftersales_agent_ticket_report",
                ],
                CHATTER_READY,
            ),
        ]

    def _check_pages(self, pages, rtl):
        for url, selectors, ready in pages:
            params = json.dumps({"selectors": selectors, "ready": ready, "rtl": rtl})
            with self.subTest(url=url):
                self.browser_js(url, CHECK_PAGE % {"params": params}, login="agent_a", timeout=90)

    def test_pages_in_english(self):
        self._check_pages(self._pages("/en"), rtl=False)

    def test_pages_in_persian(self):
        self._check_pages(self._pages("/fa"), rtl=True)
