import re
from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import WarrantyCase


@tagged("post_install", "-at_install")
class TestCardIssue(WarrantyCase):
    def test_batch_numbers_tokens_and_events(self):
        lots = self._lots(self.heater, "B-1", "B-2", "B-3", "B-4", "B-5")
        cards = self._issue(lots, partner=self.customer, user=self.operator)
        self.assertEqual(len(cards), 5)
        self.assertEqual(cards.lot_id, lots)
        numbers = cards.mapped("name")
        self.assertTrue(all(re.fullmatch(r"WC\d{7}", n) for n in numbers), numbers)
        self.assertEqual(len(set(numbers)), 5)
        tokens = cards.sudo().mapped("verification_token")
        self.assertEqual(len(set(tokens)), 5)
        self.assertTrue(all(len(t) >= 32 for t in tokens))
        self.assertEqual(cards.event_ids.mapped("event_type"), ["issue"] * 5)
        self.assertEqual(cards.event_ids.user_id, self.operator)
        # a copy on another serial gets its own number and token
        other = self._lots(self.heater, "B-6")
        copy = cards[0].copy({"lot_id": other.id})
        self.assertNotEqual(copy.name, cards[0].name)
        self.assertNotEqual(copy.sudo().verification_token, cards[0].sudo().verification_token)

    def test_issue_cost_does_not_grow_with_the_batch(self):
        """3 cards or 350 cost the same queries: the cards go in with one statement (the
        ORM would insert 100 rows per statement) and so does their history."""
        small = self._lots(self.heater, *[f"Q-{i}" for i in range(3)])
        large = self._lots(self.heater, *[f"QL-{i}" for i in range(350)])
        counts = []
        for lots in (small, large):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            cards = self._issue(lots, partner=self.customer, user=self.operator)
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(cards.lot_id, lots)
        self.assertLessEqual(counts[1], counts[0], counts)

    def test_batch_stores_what_the_orm_stores(self):
        """A batch is inserted by one statement; its cards hold exactly what the ORM's
        own create stores (here forced by a data-file import), and what was read before
        (the serial's card) is up to date at once."""
        by_batch = self._lots(self.heater, "SB-1", "SB-2")
        by_orm = self._lots(self.heater, "SO-1", "SO-2")
        self.assertFalse(by_batch.aftersales_warranty_card_id)  # cached: no card yet
        Card = self.Card.with_user(self.operator)
        batch = Card._issue_for_lots(by_batch, partner=self.customer, origin="WH/OUT/7")
        orm = Card.with_context(_import_current_module="aftersales_warranty")._issue_for_lots(
            by_orm, partner=self.customer, origin="WH/OUT/7"
        )
        self.assertEqual(by_batch.aftersales_warranty_card_id, batch)
        self.assertEqual(by_batch.mapped("aftersales_warranty_state"), ["active", "active"])
        self.env.invalidate_all()
        own = {"id", "name", "lot_id", "serial_number", "verification_token", "display_name"}
        names = [
            name
            for name, field in self.Card._fields.items()
            if field.store and field.column_type and name not in own
        ]
        for ours, theirs in zip(batch.sudo(), orm.sudo(), strict=True):
            for name in names:
                if name in ("create_date", "write_date"):
                    self.assertTrue(ours[name], name)
                    continue
                self.assertEqual(ours[name], theirs[name], name)
            self.assertEqual(ours.create_uid, self.operator)
            self.assertEqual(
                ours.event_ids.mapped("new_value"), theirs.event_ids.mapped("new_value")
            )
            self.assertEqual(ours.event_ids.reason, "WH/OUT/7")

    def test_state_and_dates_by_recipient_and_start_rule(self):
        day = date(2025, 3, 10)
        lot_c, lot_d, lot_n = self._lots(self.heater, "S-C", "S-D", "S-N")
        customer = self._issue(lot_c, partner=self.customer, date=day)
        self.assertEqual(customer.state, "active")
        self.assertEqual(customer.start_date, day)
        self.assertEqual(customer.end_date, date(2026, 3, 9))
        self.assertEqual(customer.activation_source, "delivery")
        self.assertEqual((customer.duration_months, customer.start_rule), (12, "delivery"))
        dealer = self._issue(lot_d, dealer=self.dealer, date=day)
        self.assertEqual(dealer.state, "dealer")
        self.assertEqual(dealer.dealer_date, day)
        self.assertFalse(dealer.dealer_deadline, "the delivery policy has no dealer period")
        nobody = self._issue(lot_n, date=day)
        self.assertEqual(nobody.state, "draft")
        ac_customer, ac_dealer = self._lots(self.air_conditioner, "S-AC1", "S-AC2")
        waiting = self._issue(ac_customer, partner=self.customer, date=day)
        self.assertEqual(waiting.state, "draft", "an installation policy waits for the report")
        self.assertFalse(waiting.start_date)
        at_dealer = self._issue(ac_dealer, dealer=self.dealer, date=day)
        self.assertEqual(at_dealer.dealer_deadline, date(2025, 9, 9))

    def test_explicit_start_and_state_from_the_caller_is_not_trusted(self):
        lot_a, lot_b = self._lots(self.air_conditioner, "X-1", "X-2")
        legacy = self.Card.with_user(self.operator).create(
            {"lot_id": lot_a.id, "partner_id": self.customer.id, "start_date": "2024-05-01"}
        )
        self.assertEqual((legacy.state, legacy.activation_source), ("active", "manual"))
        self.assertEqual(legacy.end_date, date(2025, 10, 31))
        forged = self.Card.with_user(self.operator).create(
            {"lot_id": lot_b.id, "partner_id": self.customer.id, "state": "active"}
        )
        self.assertEqual(forged.state, "draft")

    def _assert_refused(self, vals_list, pattern):
        before = self.Card.search_count([])
        with self.assertRaisesRegex(ValidationError, pattern):
            self.Card.with_user(self.operator)._issue_cards(vals_list)
        self.assertEqual(self.Card.search_count([]), before, "nothing was issued")

    def test_each_refusal_names_the_serial_and_writes_nothing(self):
        good = self._lots(self.heater, "OK-1")
        other = self._lots(self.air_conditioner, "AC-9")
        self._assert_refused(
            [{"lot_id": good.id}, {"lot_id": other.id, "product_id": self.heater.id}],
            "Serial AC-9 belongs to W Air Conditioner, not to W Heater",
        )
        self._assert_refused(
            [{"lot_id": good.id}, {"lot_id": good.id}], "Serial OK-1 appears twice in this batch"
        )
        pipes = self._lots(self.by_lot, "LOT-7")
        self._assert_refused(
            [{"lot_id": good.id}, {"lot_id": pipes.id}],
            "Serial LOT-7: W Pipes is not tracked by serial number",
        )
        kettle = self._lots(self.no_policy, "K-1")
        self._assert_refused(
            [{"lot_id": good.id}, {"lot_id": kettle.id}],
            "Serial K-1: W Kettle has no warranty policy",
        )
        self.no_policy.aftersales_no_service = True
        self._assert_refused(
            [{"lot_id": kettle.id}], "Serial K-1: W Kettle is sold without after-sales service"
        )
        carded = self._issue(self._lots(self.heater, "DONE-1"), partner=self.customer)
        self._assert_refused(
            [{"lot_id": good.id}, {"lot_id": carded.lot_id.id}],
            f"Serial DONE-1 already has warranty card {carded.name}",
        )
        self._assert_refused([{"partner_id": self.customer.id}], "needs an existing serial")
        elsewhere = self.env["res.company"].create({"name": "W Branch"})
        branch_lot = self.env["stock.lot"].create(
            {"name": "BR-1", "product_id": self.heater.id, "company_id": elsewhere.id}
        )
        self._assert_refused(
            [{"lot_id": branch_lot.id}],
            "Serial BR-1: warranty policy 12 months from delivery belongs to another company",
        )
        # every problem of the batch at once
        with self.assertRaises(ValidationError) as caught:
            self._issue(kettle | pipes | carded.lot_id)
        message = str(caught.exception)
        for serial in ("K-1", "LOT-7", "DONE-1"):
            self.assertIn(serial, message)

    def test_deliveries_skip_what_cannot_be_carded(self):
        good, carded_lot = self._lots(self.heater, "SK-1", "SK-2")
        self._issue(carded_lot, partner=self.customer)
        kettle = self._lots(self.no_policy, "SK-K")
        elsewhere = self.env["res.company"].create({"name": "W Branch"})
        branch_lot = self.env["stock.lot"].create(
            {"name": "SK-B", "product_id": self.heater.id, "company_id": elsewhere.id}
        )
        vals_list = [
            {"lot_id": lot.id, "partner_id": self.customer.id}
            for lot in [good, carded_lot, kettle, branch_lot, good]
        ]
        cards = self.Card._issue_cards(vals_list, skip_unwarranted=True)
        self.assertEqual(cards.lot_id, good)

    def test_rights_to_issue_and_edit(self):
        lot = self._lots(self.heater, "R-1")
        with self.assertRaises(AccessError):
            self._issue(lot, partner=self.customer, user=self.technician)
        card = self._issue(lot, partner=self.customer, user=self.operator)
        self.assertEqual(card.with_user(self.technician).state, "active", "technicians read")
        with self.assertRaises(AccessError):
            card.with_user(self.operator).write({"state": "voided"})
        with self.assertRaises(AccessError):
            card.with_user(self.operator).write({"start_date": "2020-01-01"})
        card.with_user(self.operator).write({"origin": "Shop receipt 12"})
        card.with_user(self.manager).write({"start_date": "2025-01-01"})
        self.assertEqual(card.end_date, date(2025, 12, 31))
        with self.assertRaises(AccessError):
            card.with_user(self.technician).write({"origin": "x"})
        with self.assertRaisesRegex(Exception, "void them instead"):
            card.with_user(self.manager).unlink()
