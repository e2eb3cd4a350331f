from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import WarrantyCase


@tagged("post_install", "-at_install")
class TestCardLifecycle(WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.damage = cls.env.ref("aftersales_warranty.void_reason_physical_damage")
        cls.power = cls.env.ref("aftersales_warranty.void_reason_power")
        cls.policy_install.void_reason_ids = cls.damage

    def test_installation_starts_waiting_and_dealer_cards(self):
        waiting_lot, dealer_lot = self._lots(self.air_conditioner, "AC-0001", "AC-0002")
        waiting = self._issue(waiting_lot, partner=self.customer, date=date(2025, 1, 5))
        at_dealer = self._issue(dealer_lot, dealer=self.dealer, date=date(2025, 1, 5))
        # the agent types the serial as it reads it
        card = self.Card._activate_from_installation(" ac-0001 ", date(2025, 2, 1))
        self.assertEqual(card, waiting)
        self.assertEqual((card.state, card.activation_source), ("active", "installation"))
        self.assertEqual(card.start_date, date(2025, 2, 1))
        self.assertEqual(card.end_date, date(2026, 7, 31))
        self.assertEqual(self._event_types(card), ["issue", "activate"])
        # the retail customer of the dealer's device is known from the report
        buyer = self.env["res.partner"].create({"name": "Dealer's Buyer"})
        self.Card._activate_from_installation("AC-0002", date(2025, 3, 1), partner=buyer)
        self.assertEqual(at_dealer.state, "active")
        self.assertEqual(at_dealer.partner_id, buyer)
        self.assertEqual(at_dealer.dealer_id, self.dealer, "the dealer stays on record")
        # a second report changes nothing
        self.Card._activate_from_installation("AC-0001", date(2025, 6, 1))
        self.assertEqual(waiting.start_date, date(2025, 2, 1))

    def test_installation_does_not_move_a_delivery_start(self):
        card = self._issue(
            self._lots(self.heater, "H-77"), partner=self.customer, date=date(2025, 1, 5)
        )
        self.Card._activate_from_installation("H-77", date(2025, 2, 1))
        self.assertEqual(card.start_date, date(2025, 1, 5))

    def test_installation_of_unknown_or_voided_serial_refused(self):
        with self.assertRaisesRegex(UserError, "No warranty card for serial NOPE-1"):
            self.Card._activate_from_installation("nope-1", date(2025, 2, 1))
        card = self._issue(self._lots(self.air_conditioner, "AC-V"), partner=self.customer)
        card.with_user(self.manager)._void(self.damage, "Dropped")
        with self.assertRaisesRegex(UserError, "voided"):
            self.Card._activate_from_installation("AC-V", date(2025, 2, 1))

    def test_registration_by_phone(self):
        own_lot, dealer_lot, other_lot = self._lots(self.radio, "RD-1", "RD-2", "RD-3")
        own = self._issue(own_lot, partner=self.customer, date=date(2025, 1, 5))
        self.assertEqual(own.state, "draft")
        # the customer's mobile in Persian digits, as typed on a phone
        card = self.Card._activate_from_registration("rd-1", "۰۹۱۲۵۵۵۱۲۳۴", date(2025, 1, 20))
        self.assertEqual(card, own)
        self.assertEqual((card.state, card.start_date), ("active", date(2025, 1, 20)))
        self.assertEqual(card.activation_source, "registration")
        # a stranger cannot take a card that has an owner
        other = self._issue(other_lot, partner=self.customer)
        with self.assertRaisesRegex(UserError, "registered to another customer"):
            self.Card._activate_from_registration("RD-3", "0935 111 2233")
        self.assertEqual(other.state, "draft")
        # the dealer's device registered by its buyer: new contact, warranty starts
        at_dealer = self._issue(dealer_lot, dealer=self.dealer, date=date(2025, 1, 5))
        self.Card._activate_from_registration("RD-2", "0935 111 2233", date(2025, 2, 2))
        self.assertEqual(at_dealer.state, "active")
        self.assertEqual(at_dealer.partner_id.mobile, "0935 111 2233")
        with self.assertRaisesRegex(UserError, "not a valid phone number"):
            self.Card._activate_from_registration("RD-1", "12")

    def test_dealer_fallback_and_expiry_by_the_daily_job(self):
        lots = self._lots(self.air_conditioner, "DF-1", "DF-2")
        with freeze_time("2025-01-10"):
            fallback = self._issue(lots[0], dealer=self.dealer)
        with freeze_time("2025-03-01"):
            recent = self._issue(lots[1], dealer=self.dealer)
        self.assertEqual(fallback.dealer_deadline, date(2025, 7, 9))
        with freeze_time("2025-07-09"):
            self.assertEqual(self.Card._cron_warranty_dates(), 0)
            self.assertEqual(fallback.state, "dealer", "last day of the dealer period")
        with freeze_time("2025-07-10"):
            self.Card._cron_warranty_dates()
        self.assertEqual(fallback.state, "active")
        self.assertEqual(fallback.start_date, date(2025, 7, 10))
        self.assertEqual(fallback.activation_source, "dealer_fallback")
        self.assertEqual(fallback.end_date, date(2027, 1, 9))
        self.assertEqual(recent.state, "dealer")
        # years later the daily job catches up in one run: started, then expired
        with freeze_time("2030-01-01"):
            self.Card._cron_warranty_dates()
        self.assertEqual(recent.state, "expired")
        self.assertEqual(recent.start_date, date(2025, 9, 1))
        self.assertEqual(self._event_types(recent), ["issue", "activate", "expire"])

    def test_expiry_in_chunks(self):
        lots = self._lots(self.heater, *[f"EX-{i}" for i in range(5)])
        cards = self._issue(lots, partner=self.customer, date=date(2023, 1, 1))
        keep = self._issue(self._lots(self.heater, "EX-NEW"), partner=self.customer)
        with freeze_time("2025-01-01"):
            self.assertEqual(self.Card._cron_warranty_dates(batch_size=2), 3)
            self.assertEqual(self.Card._cron_warranty_dates(batch_size=2), 1)
            self.assertEqual(self.Card._cron_warranty_dates(batch_size=2), 0)
        self.assertEqual(set(cards.mapped("state")), {"expired"})
        self.assertEqual(keep.state, "active")

    def test_void_needs_manager_and_a_condition_of_the_policy(self):
        card = self._issue(self._lots(self.air_conditioner, "VD-1"), partner=self.customer)
        with self.assertRaises(AccessError):
            card.with_user(self.operator)._void(self.damage)
        with self.assertRaisesRegex(UserError, "is not a void condition of policy"):
            card.with_user(self.manager)._void(self.power)
        wizard = Form(
            self.env["aftersales.warranty.void"]
            .with_user(self.manager)
            .with_context(default_card_ids=card.ids)
        )
        wizard.void_reason_id = self.damage
        wizard.note = "Cracked housing"
        wizard.save().action_confirm()
        self.assertEqual(card.state, "voided")
        self.assertEqual(card.void_reason_id, self.damage)
        self.assertEqual(card.void_note, "Cracked housing")
        self.assertEqual(self._last_event(card).event_type, "void")
        self.assertEqual(self._last_event(card).user_id, self.manager)
        self.assertEqual(self.Card._check_warranty("VD-1").status, "voided")
        with self.assertRaisesRegex(UserError, "cannot be voided"):
            card.with_user(self.manager)._void(self.damage)

    def test_transfer_of_ownership(self):
        card = self._issue(self._lots(self.heater, "TR-1"), partner=self.customer)
        new_owner = self.env["res.partner"].create({"name": "Second Owner"})
        wizard = Form(
            self.env["aftersales.warranty.transfer"]
            .with_user(self.operator)
            .with_context(default_card_ids=card.ids)
        )
        wizard.partner_id = new_owner
        wizard.reason = "Sold second-hand"
        wizard.save().action_confirm()
        self.assertEqual(card.partner_id, new_owner)
        event = self._last_event(card)
        self.assertEqual(event.event_type, "transfer")
        self.assertEqual((event.old_value, event.new_value), ("W Customer", "Second Owner"))
        self.assertEqual(event.reason, "Sold second-hand")
        with self.assertRaises(AccessError):
            card.with_user(self.technician)._transfer(self.customer, "no")

    def test_extension(self):
        with freeze_time("2025-06-01"):
            card = self._issue(
                self._lots(self.heater, "XT-1"), partner=self.customer, date=date(2024, 1, 1)
            )
            self.Card._cron_warranty_dates()
            self.assertEqual(card.state, "expired")
            with self.assertRaises(AccessError):
                card.with_user(self.operator)._extend(6, "goodwill")
            with self.assertRaisesRegex(UserError, "at least one month"):
                card.with_user(self.manager)._extend(0, "nothing")
            wizard = Form(
                self.env["aftersales.warranty.extend"]
                .with_user(self.manager)
                .with_context(default_card_ids=card.ids)
            )
            wizard.months = 6
            wizard.reason = "Repeated compressor failure"
            wizard.save().action_confirm()
        self.assertEqual(card.extension_months, 6)
        self.assertEqual(card.end_date, date(2025, 6, 30))
        self.assertEqual(card.state, "active", "the extension reaches past today")
        event = self._last_event(card)
        self.assertEqual(event.event_type, "extend")
        self.assertIn("12", event.old_value)
        self.assertIn("18", event.new_value)

    def test_replacement_moves_the_warranty_to_the_new_serial(self):
        old_lot, new_lot = self._lots(self.heater, "RP-OLD", "RP-NEW")
        card = self._issue(old_lot, partner=self.customer, date=date(2025, 1, 1))
        card.with_user(self.manager)._extend(2, "goodwill")
        with self.assertRaises(AccessError):
            card.with_user(self.operator)._replace(new_lot, "Dead on arrival")
        new_card = card.with_user(self.manager)._replace(new_lot, "Dead on arrival")
        self.assertEqual(card.state, "replaced")
        self.assertEqual(card.replaced_by_id, new_card)
        self.assertEqual(new_card.replacement_of_id, card)
        self.assertEqual(new_card.lot_id, new_lot)
        self.assertEqual(new_card.partner_id, self.customer)
        self.assertEqual((new_card.start_date, new_card.end_date), (card.start_date, card.end_date))
        self.assertEqual(new_card.end_date, date(2026, 2, 28))
        old_check = self.Card._check_warranty("RP-OLD", date=date(2025, 6, 1))
        self.assertEqual(old_check.status, "not_active")
        self.assertIn(new_card.name, old_check.reason)
        self.assertEqual(self.Card._check_warranty("RP-NEW", date=date(2025, 6, 1)).card, new_card)
        # the old device, refurbished and sold again, can get a new card
        again = self._issue(old_lot, partner=self.customer)
        self.assertEqual(again.state, "active")
        self.assertEqual(old_lot.aftersales_warranty_card_id, again)

    def test_manual_start(self):
        card = self._issue(self._lots(self.air_conditioner, "MS-1"), partner=self.customer)
        with self.assertRaises(AccessError):
            card.with_user(self.technician).action_activate()
        with freeze_time("2025-04-04"):
            card.with_user(self.operator).action_activate()
        self.assertEqual((card.state, card.start_date), ("active", date(2025, 4, 4)))
        with self.assertRaisesRegex(UserError, "cannot be started"):
            card.with_user(self.operator).action_activate()
