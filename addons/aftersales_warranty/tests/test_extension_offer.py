from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import WarrantyCase


@tagged("post_install", "-at_install")
class TestExtensionOffer(WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.Card)
        cls.company.aftersales_extension_offer_days = 30
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "W Landline Only", "phone": "021 8800 3344"}
        )
        # heater cards: 12 months from delivery; ending in 10, 60 and -5 days
        cls.soon = cls._card_ending("OFR-SOON", cls.today + timedelta(days=10))
        cls.later = cls._card_ending("OFR-LATER", cls.today + timedelta(days=60))
        cls.past = cls._card_ending("OFR-PAST", cls.today - timedelta(days=5))
        cls.no_mobile = cls._card_ending(
            "OFR-LANDLINE", cls.today + timedelta(days=20), partner=cls.other_customer
        )
        cls.voided = cls._card_ending("OFR-VOID", cls.today + timedelta(days=5))
        cls.voided._void(cls.env.ref("aftersales_warranty.void_reason_physical_damage"))
        cls.ours = cls.soon | cls.later | cls.past | cls.no_mobile | cls.voided
        cls.sales_operator = cls._user(
            "wr_sales_operator",
            "aftersales_base.group_aftersales_operator,sales_team.group_sale_salesman",
        )
        cls.team = cls.env["crm.team"].create({"name": "W Sales Team", "user_id": cls.manager.id})

    @classmethod
    def _card_ending(cls, serial, end, partner=None):
        start = end + timedelta(days=1) - relativedelta(months=12)
        card = cls._issue(
            cls._lots(cls.heater, serial), partner=partner or cls.customer, date=start
        )
        assert card.end_date == end, (card.end_date, end)
        return card

    def _expiring(self):
        return self.Card.search([("id", "in", self.ours.ids), ("is_expiring_soon", "=", True)])

    def _offer(self, cards, channel, user=None, team=None):
        Wizard = self.env["aftersales.warranty.extension.offer"]
        if user:
            Wizard = Wizard.with_user(user)
        wizard = Wizard.with_context(
            active_model="aftersales.warranty.card", active_ids=cards.ids
        ).create({"channel": channel, "team_id": (team or self.team).id})
        self.assertEqual(wizard.card_ids, cards)
        return wizard.action_confirm()

    def test_expiring_filter_follows_the_company_setting(self):
        self.assertEqual(self._expiring(), self.soon | self.no_mobile)
        self.assertTrue(self.soon.is_expiring_soon)
        self.assertFalse(self.later.is_expiring_soon)
        not_expiring = self.Card.search(
            [("id", "in", self.ours.ids), ("is_expiring_soon", "!=", True)]
        )
        self.assertEqual(not_expiring, self.later | self.past | self.voided)
        settings = self.env["res.config.settings"].create({"aftersales_extension_offer_days": 90})
        settings.execute()
        self.assertEqual(self.company.aftersales_extension_offer_days, 90)
        self.assertEqual(self._expiring(), self.soon | self.later | self.no_mobile)
        # the menu's action opens with that filter
        action = self.env.ref("aftersales_warranty.aftersales_warranty_card_action_expiring")
        self.assertIn("search_default_expiring_soon", action.context)

    def test_sms_offer_queued_per_customer_with_a_mobile(self):
        self.env["aftersales.sms.provider"].create(
            {
                "name": "W panel",
                "endpoint": "http://127.0.0.1:9/v1",
                "api_key": "KEY",
                "sender": "10004346",
            }
        )
        SMS = self.env["sms.sms"].sudo()
        before = SMS.search([])
        result = self._offer(self.soon | self.no_mobile, "sms", user=self.operator)
        sms = SMS.search([]) - before
        self.assertEqual(len(sms), 1, "the customer without mobile gets nothing")
        self.assertEqual(sms.partner_id, self.customer)
        self.assertEqual(sms.state, "outgoing", "queued, not sent at once")
        self.assertIn("OFR-SOON", sms.body)
        self.assertIn(self.soon.name, sms.body)
        self.assertIn("912", sms.number)
        self.assertIn(self.no_mobile.name, result["params"]["message"])
        self.assertTrue(
            self.soon.message_ids.filtered(lambda m: m.message_type == "sms"),
            "the offer is logged on the card",
        )

    def test_sms_offer_needs_the_company_panel(self):
        self.env["aftersales.sms.provider"].search([("company_id", "=", self.company.id)]).unlink()
        with self.assertRaisesRegex(UserError, "No SMS panel"):
            self._offer(self.soon, "sms", user=self.operator)

    def test_opportunity_once_per_card(self):
        Lead = self.env["crm.lead"].with_context(active_test=False)
        self._offer(self.soon | self.later, "opportunity", user=self.sales_operator)
        leads = Lead.search([("aftersales_warranty_card_id", "in", self.ours.ids)])
        self.assertEqual(leads.aftersales_warranty_card_id, self.soon | self.later)
        lead = leads.filtered(lambda lead: lead.aftersales_warranty_card_id == self.soon)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.partner_id, self.customer)
        self.assertEqual(lead.name, "Warranty extension: W Heater OFR-SOON")
        self.assertEqual(lead.date_deadline, self.soon.end_date)
        self.assertEqual(lead.source_id, self.env.ref("aftersales_warranty.utm_source_aftersales"))
        self.assertEqual(lead.team_id, self.team)
        self.assertFalse(lead.user_id, "the team shares it out")
        self.assertIn(lead.name, self.soon.message_ids[:1].body)
        card = self.soon.with_user(self.sales_operator)
        self.assertEqual(card.extension_lead_count, 1)
        action = card.action_view_extension_leads()
        self.assertEqual(self.env["crm.lead"].search(action["domain"]), lead)
        # asked again: nothing new while the opportunity is open, whoever owns it
        result = self._offer(self.soon, "opportunity", user=self.sales_operator)
        self.assertEqual(Lead.search([("aftersales_warranty_card_id", "=", self.soon.id)]), lead)
        self.assertEqual(result["params"]["type"], "warning")
        # once lost, a new offer is a new opportunity
        lead.action_set_lost()
        self._offer(self.soon, "opportunity", user=self.sales_operator)
        self.assertEqual(Lead.search_count([("aftersales_warranty_card_id", "=", self.soon.id)]), 2)

    def test_opportunity_needs_sales_rights(self):
        with self.assertRaisesRegex(AccessError, "needs sales rights"):
            self._offer(self.soon, "opportunity", user=self.operator)
        self.assertFalse(
            self.env["crm.lead"].search([("aftersales_warranty_card_id", "=", self.soon.id)])
        )

    def test_closed_cards_and_technicians_are_refused(self):
        with self.assertRaisesRegex(UserError, "cannot be offered an extension"):
            self._offer(self.voided, "opportunity", user=self.sales_operator)
        with self.assertRaises(AccessError):
            self._offer(self.soon, "opportunity", user=self.technician)
