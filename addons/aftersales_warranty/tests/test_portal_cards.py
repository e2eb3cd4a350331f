"""Customer portal "My Devices" (/my/warranty-cards) and the pages' layout on a phone.

A customer sees the cards of their company (commercial partner) and its contacts, and
nothing else: another customer's card answers 404, by its page and by its PDF.
"""

import json
from datetime import timedelta

from odoo import Command, fields
from odoo.addons.aftersales_base.tests.common import portal_customer, prepare_portal
from odoo.addons.aftersales_base.tests.test_portal_layout import CHECK_PAGE
from odoo.addons.aftersales_base.tools.jalali import format_jalali
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import WarrantyCase

CARD_REPORT = "aftersales_warranty.action_report_warranty_card"


class PortalCardsCase(WarrantyCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        prepare_portal(cls.env)
        Partner = cls.env["res.partner"]
        cls.company_a = Partner.create({"name": "A Heating Co", "is_company": True})
        cls.colleague_a = Partner.create(
            {"name": "A Colleague", "parent_id": cls.company_a.id, "mobile": "0912 111 2233"}
        )
        cls.user_a = portal_customer(
            cls.env, "wcard_a", parent_id=cls.company_a.id, tz="Asia/Tehran"
        )
        cls.user_a_fa = portal_customer(
            cls.env, "wcard_a_fa", lang="fa_IR", parent_id=cls.company_a.id
        )
        cls.user_b = portal_customer(cls.env, "wcard_b")
        today = fields.Date.context_today(cls.Card)
        cls.card_company = cls._issue(
            cls._lots(cls.heater, "PC-A-0001"),
            partner=cls.company_a,
            date=today - timedelta(days=20),
        )
        cls.card_colleague = cls._issue(
            cls._lots(cls.radio, "PC-A-0002"), partner=cls.colleague_a, date=today
        )
        cls.card_b = cls._issue(
            cls._lots(cls.washer, "PC-B-0001"), partner=cls.user_b.partner_id, date=today
        )
        cls.card_other = cls._issue(
            cls._lots(cls.heater, "PC-X-0001"), partner=cls.customer, date=today
        )
        stype = cls.env.ref("aftersales_base.service_type_prp")
        cls.request_a, cls.request_stranger = cls.env["aftersales.request"].create(
            [
                {
                    "partner_id": partner.id,
                    "service_type_id": stype.id,
                    "line_ids": [
                        Command.create({"product_id": cls.heater.id, "serial_number": "pc-a-0001"})
                    ],
                }
                # The same serial at another customer's (a second-hand sale, a neighbour).
                for partner in (cls.user_a.partner_id, cls.customer)
            ]
        )


@tagged("post_install", "-at_install")
class TestPortalCards(PortalCardsCase):
    def test_customer_sees_own_cards_only(self):
        self.authenticate("wcard_a", "wcard_a")
        response = self.url_open("/my/warranty-cards")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertEqual(page.count('class="o_aftersales_warranty_row"'), 2)
        for card in (self.card_company, self.card_colleague):
            self.assertIn(f'href="/my/warranty-cards/{card.id}"', page)
            self.assertIn(card.serial_number, page)
        self.assertIn("W Heater", page)
        self.assertIn("W Radio", page)
        self.assertRegex(page, r'data-status="in_warranty">In Warranty<')
        end = (
            self.env["ir.actions.report"]
            .with_context(lang="en_US")
            ._aftersales_format_date(self.card_company.end_date)
        )
        self.assertIn(end, page)
        for foreign in (self.card_b, self.card_other):
            self.assertNotIn(foreign.serial_number, page)
            self.assertNotIn(f"/my/warranty-cards/{foreign.id}", page)

        self.authenticate("wcard_b", "wcard_b")
        page = self.url_open("/my/warranty-cards").text
        self.assertEqual(page.count('class="o_aftersales_warranty_row"'), 1)
        self.assertIn(self.card_b.serial_number, page)
        self.assertNotIn(self.card_company.serial_number, page)

    def test_search_and_pager(self):
        self.authenticate("wcard_a", "wcard_a")
        page = self.url_open("/my/warranty-cards?search=pc-a-0002").text
        self.assertEqual(page.count('class="o_aftersales_warranty_row"'), 1)
        self.assertIn(self.card_colleague.serial_number, page)
        lots = self._lots(self.heater, *[f"PC-A-P{i:03d}" for i in range(80)])
        self._issue(lots, partner=self.company_a)
        first = self.url_open("/my/warranty-cards").text
        self.assertEqual(first.count('class="o_aftersales_warranty_row"'), 80)
        self.assertIn("/my/warranty-cards/page/2", first)
        second = self.url_open("/my/warranty-cards/page/2").text
        self.assertEqual(second.count('class="o_aftersales_warranty_row"'), 2)

    def test_list_queries_do_not_grow_with_the_rows(self):
        """A page of 3 or 45 cards (in force, awaiting their start, at a dealer's period
        end) costs the same queries."""
        counts = {}
        for total in (3, 45):
            login = f"wcard_rows_{total}"
            user = portal_customer(self.env, login)
            third = total // 3
            lots = self._lots(self.heater, *[f"PC-R{total}-{i:03d}" for i in range(total)])
            self._issue(lots[:third], partner=user.partner_id)
            self._issue(lots[third : 2 * third], dealer=self.dealer)
            self._issue(
                self._lots(self.radio, *[f"PC-RR{total}-{i:03d}" for i in range(third)]),
                partner=user.partner_id,
            )
            self.Card.search([("lot_id", "in", lots[third : 2 * third].ids)]).sudo().write(
                {"partner_id": user.partner_id.id}
            )
            self.env.flush_all()
            self.authenticate(login, login)
            self.url_open("/en/my/warranty-cards")  # compiled views and caches
            before = self.cr.sql_log_count
            response = self.url_open("/en/my/warranty-cards")
            counts[total] = self.cr.sql_log_count - before
            self.assertEqual(response.text.count('class="o_aftersales_warranty_row"'), total)
        self.assertEqual(counts[3], counts[45], counts)

    @mute_logger("odoo.http")
    def test_other_customers_card_is_not_found(self):
        self.authenticate("wcard_b", "wcard_b")
        for card in (self.card_company, self.card_other):
            with self.subTest(card=card.name):
                response = self.url_open(f"/my/warranty-cards/{card.id}")
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(card.serial_number, response.text)
                response = self.url_open(f"/my/warranty-cards/{card.id}/card")
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("application/pdf", response.headers.get("Content-Type", ""))
        self.assertEqual(self.url_open("/my/warranty-cards/999999999").status_code, 404)
        self.assertEqual(self.url_open(f"/my/warranty-cards/{self.card_b.id}").status_code, 200)

    def test_card_page_shows_coverage_and_own_requests(self):
        self.authenticate("wcard_a", "wcard_a")
        response = self.url_open(f"/my/warranty-cards/{self.card_company.id}")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn(self.card_company.serial_number, page)
        self.assertIn(self.card_company.name, page)
        self.assertIn(self.policy_delivery.name, page)
        self.assertIn("12 months", page)
        cover = self.policy_delivery
        for key, covered in (
            ("parts", cover.cover_parts),
            ("labour", cover.cover_labour),
            ("travel", cover.cover_travel),
        ):
            self.assertRegex(
                page,
                rf'data-cover="{key}"[^>]*>\s*<i [^>]*class="fa {"fa-check" if covered else "fa-times"}',
            )
        self.assertIn(self.request_a.name, page)
        self.assertIn(f'href="/my/service-requests/{self.request_a.id}"', page)
        self.assertNotIn(self.request_stranger.name, page, "another customer's request")
        self.assertNotIn(self.customer.name, page)
        self.assertNotIn(self.card_company.verification_token, page)
        # The card of a colleague: no request on it.
        page = self.url_open(f"/my/warranty-cards/{self.card_colleague.id}").text
        self.assertIn("o_aftersales_warranty_no_request", page)
        self.assertRegex(page, r'data-status="not_active">Awaiting Start<')

    def test_persian_card_page_is_right_to_left_with_jalali_dates(self):
        self.authenticate("wcard_a_fa", "wcard_a_fa")
        page = self.url_open(f"/fa/my/warranty-cards/{self.card_company.id}").text
        self.assertRegex(page, r'<html[^>]* dir="rtl"')
        self.assertIn(format_jalali(self.card_company.start_date), page)
        self.assertIn(format_jalali(self.card_company.end_date), page)
        listing = self.url_open("/fa/my/warranty-cards").text
        self.assertRegex(listing, r'<html[^>]* dir="rtl"')
        self.assertIn(format_jalali(self.card_company.end_date), listing)

    def test_home_counts_cards(self):
        self.authenticate("wcard_a", "wcard_a")
        home = self.url_open("/my/home").text
        self.assertIn('data-placeholder_count="aftersales_warranty_card_count"', home)
        self.assertIn('href="/my/warranty-cards"', home)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["aftersales_warranty_card_count"]}
        )
        self.assertEqual(counters["aftersales_warranty_card_count"], 2)
        self.authenticate("wcard_b", "wcard_b")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["aftersales_warranty_card_count"]}
        )
        self.assertEqual(counters["aftersales_warranty_card_count"], 1)

    def test_public_visitor_is_sent_to_log_in(self):
        self.authenticate(None, None)
        # Through the language redirect when several languages are active.
        response = self.url_open(f"/my/warranty-cards/{self.card_company.id}/card")
        self.assertEqual(response.status_code, 200)
        self.assertIn("/web/login", response.url)
        self.assertNotIn(b"%PDF", response.content)
        self.assertNotIn(self.card_company.name.encode(), response.content)

    def test_card_pdf_for_its_owner(self):
        self.authenticate("wcard_a", "wcard_a")
        page = self.url_open(f"/my/warranty-cards/{self.card_company.id}").text
        self.assertIn(f'href="/my/warranty-cards/{self.card_company.id}/card"', page)
        response = self.url_open(f"/my/warranty-cards/{self.card_company.id}/card")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        # Under tests Odoo renders reports as HTML instead of running wkhtmltopdf
        # (test_card_report prints real PDFs): the document is this card's.
        self.assertIn(self.card_company.name.encode(), response.content)
        self.assertIn(b"o_aftersales_warranty_card", response.content)


class CardsLayoutChecks:
    """Our pages in Chromium: they fit the window and show what they are for."""

    def _check_pages(self, pages, login=None, rtl=False):
        for url, selectors in pages:
            params = json.dumps({"selectors": selectors, "ready": "true", "rtl": rtl})
            with self.subTest(url=url, login=login, size=self.browser_size):
                self.browser_js(url, CHECK_PAGE % {"params": params}, login=login, timeout=90)

    def _portal_pages(self, prefix):
        return [
            (
                f"{prefix}/my/warranty-cards",
                [
                    ".o_aftersales_warranty_row .o_aftersales_warranty_product",
                    ".o_aftersales_warranty_row .o_aftersales_serial",
                    ".o_aftersales_warranty_row .o_aftersales_warranty_status",
                ],
            ),
            (
                f"{prefix}/my/warranty-cards/{self.card_company.id}",
                [
                    ".o_aftersales_warranty_card_page .o_aftersales_warranty_status",
                    ".o_aftersales_warranty_end",
                    ".o_aftersales_warranty_coverage",
                    ".o_aftersales_warranty_request",
                ],
            ),
            (f"{prefix}/my/home", [".o_aftersales_tile_warranty_cards"]),
        ]

    def _public_pages(self, prefix):
        return [
            (
                f"{prefix}/warranty/{self.card_company.verification_token}",
                [".o_aftersales_warranty_status", ".o_aftersales_warranty_end"],
            ),
            (
                f"{prefix}/warranty/check",
                ["#aftersales_warranty_serial", ".o_aftersales_warranty_check_submit"],
            ),
        ]

    def test_portal_in_english(self):
        self._check_pages(self._portal_pages("/en"), login="wcard_a")

    def test_portal_in_persian(self):
        self._check_pages(self._portal_pages("/fa"), login="wcard_a_fa", rtl=True)

    def test_public_pages(self):
        self._check_pages(self._public_pages("/en"))
        self._check_pages(self._public_pages("/fa"), rtl=True)


@tagged("post_install", "-at_install")
class TestCardsLayoutPhone(CardsLayoutChecks, PortalCardsCase):
    allow_inherited_tests_method = True
    browser_size = "375x800"
