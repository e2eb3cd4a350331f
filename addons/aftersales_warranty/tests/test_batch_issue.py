import base64
import io
from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import WarrantyCase


@tagged("post_install", "-at_install")
class TestBatchIssue(WarrantyCase):
    """The "Issue Cards" wizard (R-WAR-1): serials, a delivery, a range, a file."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.heater.default_code = "HT-100"
        cls.Wizard = cls.env["aftersales.warranty.batch.issue"].with_user(cls.operator)

    # -- helpers ---------------------------------------------------------

    def _wizard(self, **values):
        values.setdefault("issue_date", date(2025, 3, 10))
        return self.Wizard.create(values)

    def _file(self, text, name="cards.csv", **values):
        data = text.encode() if isinstance(text, str) else text
        return self._wizard(mode="file", file=base64.b64encode(data), file_name=name, **values)

    def _issued(self, wizard):
        action = wizard.action_issue()
        self.assertEqual(action["res_model"], "aftersales.warranty.card")
        return self.Card.search(action["domain"])

    def _counts(self):
        return (self.Card.search_count([]), self.env["stock.lot"].search_count([]))

    def _assert_refused(self, wizard, *patterns):
        """Refused with every pattern in the one message, and nothing written."""
        before = self._counts()
        with self.assertRaises(UserError) as caught:
            wizard.action_issue()
        message = str(caught.exception)
        self.assertIn("No warranty card was issued", message)
        for pattern in patterns:
            self.assertRegex(message, pattern)
        self.assertEqual(self._counts(), before, "a refused batch writes nothing")
        return message

    # -- modes -----------------------------------------------------------

    def test_selected_serials_from_the_lot_list(self):
        lots = self._lots(self.heater, "LS-1", "LS-2", "LS-3")
        wizard = self.Wizard.with_context(active_model="stock.lot", active_ids=lots.ids).create(
            {"partner_id": self.customer.id, "issue_date": date(2025, 3, 10)}
        )
        self.assertEqual(wizard.mode, "lots")
        cards = self._issued(wizard)
        self.assertEqual(cards.lot_id, lots)
        self.assertEqual(set(cards.mapped("state")), {"active"})
        self.assertEqual(cards.partner_id, self.customer)
        self.assertEqual(set(cards.mapped("start_date")), {date(2025, 3, 10)})
        self.assertEqual(cards.event_ids.user_id, self.operator)

    def test_selected_serials_to_a_dealer(self):
        lots = self._lots(self.air_conditioner, "LD-1", "LD-2")
        cards = self._issued(
            self._wizard(mode="lots", lot_ids=[Command.set(lots.ids)], dealer_id=self.dealer.id)
        )
        self.assertEqual(set(cards.mapped("state")), {"dealer"})
        self.assertEqual(set(cards.mapped("dealer_deadline")), {date(2025, 9, 9)})

    def test_picking_issues_its_serials_to_its_partner(self):
        """A delivery validated before the product had its policy: cards afterwards."""
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        stock, customers = warehouse.lot_stock_id, self.env.ref("stock.stock_location_customers")
        lots = self._lots(self.no_policy, "PK-1", "PK-2")
        for lot in lots:
            self.env["stock.quant"]._update_available_quantity(self.no_policy, stock, 1, lot_id=lot)
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": self.customer.id,
                "location_id": stock.id,
                "location_dest_id": customers.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "kettles",
                            "product_id": self.no_policy.id,
                            "product_uom_qty": 2,
                            "product_uom": self.no_policy.uom_id.id,
                            "location_id": stock.id,
                            "location_dest_id": customers.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertFalse(self.Card.search([("lot_id", "in", lots.ids)]), "no policy yet")
        self.no_policy.aftersales_warranty_policy_id = self.policy_delivery

        # the button is on the transfer: a warehouse user who also issues cards
        clerk = self._user(
            "wr_clerk", "stock.group_stock_user,aftersales_base.group_aftersales_operator"
        )
        context = {"active_model": "stock.picking", "active_id": picking.id}
        form = Form(self.Wizard.with_user(clerk).with_context(**context))
        self.assertEqual(form.mode, "picking")
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.issue_date, picking.date_done.date())
        cards = self._issued(form.save())
        self.assertEqual(cards.lot_id, lots)
        self.assertEqual(cards.partner_id, self.customer)
        self.assertEqual(set(cards.mapped("origin")), {picking.name})
        # once issued, issuing again names each carded serial
        again = self._wizard(mode="picking", picking_id=picking.id, partner_id=self.customer.id)
        again = again.with_user(clerk)
        self._assert_refused(again, r"Serial PK-1: serial PK-1 already has warranty card WC")

    def test_range_with_existing_serials(self):
        lots = self._lots(self.heater, *[f"SN{n:06d}" for n in range(100, 251)])
        wizard = self._wizard(
            mode="range",
            product_id=self.heater.id,
            prefix="SN",
            first_number=100,
            last_number=250,
            padding=6,
            partner_id=self.customer.id,
        )
        self.assertIn("SN000100", wizard.range_preview)
        self.assertIn("151", wizard.range_preview)
        lot_count = self.env["stock.lot"].search_count([])
        cards = self._issued(wizard)
        self.assertEqual(len(cards), 151)
        self.assertEqual(cards.lot_id, lots)
        self.assertEqual(self.env["stock.lot"].search_count([]), lot_count, "no lot created")

    def test_range_creates_missing_serials_when_asked(self):
        existing = self._lots(self.heater, "sn000011")
        values = {
            "mode": "range",
            "product_id": self.heater.id,
            "prefix": "SN",
            "first_number": 10,
            "last_number": 14,
            "padding": 6,
        }
        self._assert_refused(
            self._wizard(**values),
            r"Position 1 \(SN000010\): serial SN000010 of .*W Heater does not exist",
            r"Position 5 \(SN000014\)",
        )
        cards = self._issued(self._wizard(create_missing=True, **values))
        self.assertEqual(len(cards), 5)
        self.assertIn(existing, cards.lot_id, "the existing serial is found in any spelling")
        self.assertEqual(
            sorted(cards.lot_id.mapped("aftersales_serial")),
            [f"SN0000{n}" for n in range(10, 15)],
        )
        self.assertEqual(set(cards.mapped("state")), {"draft"}, "no customer: awaiting start")

    def test_range_input_errors(self):
        values = {"mode": "range", "product_id": self.heater.id, "prefix": "SN"}
        with self.assertRaisesRegex(UserError, "must not be before the first"):
            self._wizard(first_number=5, last_number=4, **values).action_issue()
        with self.assertRaisesRegex(UserError, "more than 3 digits"):
            self._wizard(first_number=1, last_number=1000, padding=3, **values).action_issue()

    def test_csv_file_with_columns_and_jalali_dates(self):
        self._lots(self.heater, "F-1")
        self.customer.ref = "C-77"
        text = (
            "\ufeffserial,product,customer,dealer,date\n"
            "F-1,HT-100,W Customer,,۱۴۰۳/۰۵/۱۲\n"
            "f-2,W Radio,,W Dealer,2024-09-01\n"
            "F-3,HT-100,C-77,,\n"
        )
        cards = self._issued(self._file(text, create_missing=True))
        by_serial = {card.serial_number: card for card in cards}
        self.assertEqual(set(by_serial), {"F-1", "F-2", "F-3"})
        self.assertEqual(by_serial["F-1"].start_date, date(2024, 8, 2))
        self.assertEqual(by_serial["F-1"].partner_id, self.customer)
        self.assertEqual(by_serial["F-2"].product_id, self.radio)
        self.assertEqual(by_serial["F-2"].dealer_id, self.dealer)
        self.assertEqual(by_serial["F-2"].state, "dealer")
        self.assertEqual(by_serial["F-2"].issue_date, date(2024, 9, 1))
        self.assertEqual(by_serial["F-3"].partner_id, self.customer)
        self.assertEqual(by_serial["F-3"].issue_date, date(2025, 3, 10), "the wizard's date")
        self.assertEqual(set(cards.mapped("origin")), {"cards.csv"})

    def test_xlsx_file(self):
        import openpyxl

        self._lots(self.heater, "X-1", "X-2")
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["Serial", "Product", "Date"])
        sheet.append(["X-1", "HT-100", date(2024, 8, 2)])
        sheet.append(["X-2", "HT-100", "1403/05/13"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        cards = self._issued(
            self._file(buffer.getvalue(), name="cards.xlsx", partner_id=self.customer.id)
        )
        self.assertEqual(sorted(cards.mapped("start_date")), [date(2024, 8, 2), date(2024, 8, 3)])

    # -- refusals: every bad row named, nothing written ---------------------

    def test_every_bad_row_is_reported_with_its_line(self):
        self._lots(self.heater, "OK-1", "CARDED-1", "DUP-1")
        self._lots(self.radio, "RADIO-1")
        self._lots(self.by_lot, "PIPE-1")
        self._lots(self.no_policy, "KETTLE-1")
        self._issue(self.env["stock.lot"].search([("name", "=", "CARDED-1")]))
        self.env["product.product"].create({"name": "W Fridge", "default_code": "NS-1"})
        no_service = self._product("W Cable")
        no_service.aftersales_no_service = True
        self._lots(no_service, "CABLE-1")
        text = "\n".join(
            [
                "serial,product,date",
                "OK-1,HT-100,",  # line 2: fine
                "X-9,NOPE,",  # 3: unknown product
                "RADIO-1,HT-100,",  # 4: serial of another product
                "PIPE-1,W Pipes,",  # 5: product tracked by lot
                "KETTLE-1,W Kettle,",  # 6: no warranty policy
                "CABLE-1,W Cable,",  # 7: sold without after-sales service
                "DUP-1,HT-100,",  # 8
                "dup-1,HT-100,",  # 9: duplicate of line 8
                "CARDED-1,HT-100,",  # 10: already carded
                "OK-1x,HT-100,1403/13/40",  # 11: bad date (and a missing serial)
                ",HT-100,",  # 12: empty serial
            ]
        )
        message = self._assert_refused(
            self._file(text),
            r"Line 3: unknown product NOPE",
            r"Line 4: serial RADIO-1 belongs to .*W Radio.*, not to .*W Heater",
            r"Line 5: .*W Pipes is not tracked by serial number",
            r"Line 6: .*W Kettle has no warranty policy",
            r"Line 7: .*W Cable is sold without after-sales service",
            r"Line 9: serial dup-1 appears twice in the batch \(also at Line 8\)",
            r"Line 10: serial CARDED-1 already has warranty card WC",
            r"Line 11: bad date 1403/13/40",
            r"Line 11: serial OK-1x of .* does not exist",
            r"Line 12: empty serial number",
        )
        self.assertNotIn("Line 2:", message)
        self.assertNotIn("Line 8:", message)
        # with "create missing serials" the missing one goes, the others stay refused
        self._assert_refused(self._file(text, create_missing=True), r"Line 3: unknown product")

    def test_nothing_is_created_when_one_row_is_bad(self):
        text = "serial,product\nNEW-1,HT-100\nNEW-2,HT-100\nNEW-3,NOPE\n"
        self._assert_refused(self._file(text, create_missing=True), r"Line 4: unknown product")
        self.assertFalse(self.env["stock.lot"].search([("name", "like", "NEW-")]))

    def test_long_error_lists_are_capped(self):
        text = "serial,product\n" + "".join(f"M-{n},HT-100\n" for n in range(70))
        message = self._assert_refused(self._file(text), r"Line 2: serial M-0 ", r"Line 51: ")
        self.assertNotIn("Line 52:", message)
        self.assertIn("and 20 more", message)
        self.assertIn("70 problems", message)

    def test_file_errors(self):
        with self.assertRaisesRegex(UserError, "no product column"):
            self._file("serial,customer\nA,B\n").action_issue()
        with self.assertRaisesRegex(UserError, "UTF-8"):
            self._file("serial,product\nA,\xe9\n".encode("latin-1")).action_issue()
        with self.assertRaisesRegex(UserError, "not a readable XLSX"):
            self._file(b"PK\x03\x04 nonsense", name="cards.xlsx").action_issue()
        with self.assertRaisesRegex(UserError, "no serial to issue"):
            self._file("serial,product\n").action_issue()

    def test_dealer_column_must_name_a_dealer(self):
        self._lots(self.heater, "DL-1")
        text = "serial,product,dealer\nDL-1,HT-100,W Customer\nDL-2,HT-100,Nobody\n"
        self._assert_refused(
            self._file(text, create_missing=True),
            r"Line 2: W Customer is not a dealer",
            r"Line 3: unknown contact Nobody",
        )

    def test_technician_cannot_issue(self):
        lots = self._lots(self.heater, "T-1")
        wizard = self.env["aftersales.warranty.batch.issue"].with_user(self.technician)
        with self.assertRaises(UserError):  # AccessError is a UserError
            wizard.create({"mode": "lots", "lot_ids": [Command.set(lots.ids)]})

    # -- cost ------------------------------------------------------------

    def test_3000_rows_in_a_bounded_number_of_queries(self):
        """The cost of a file does not grow per row: the missing serials are created by
        the ORM in hundreds, the cards and their history with one statement each."""
        counts = {}
        for size, prefix in ((300, "QS"), (3000, "QL")):
            text = "serial,product,customer\n" + "".join(
                f"{prefix}{n:05d},HT-100,W Customer\n" for n in range(size)
            )
            wizard = self._file(text, create_missing=True)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            cards = self._issued(wizard)
            self.env.flush_all()
            counts[size] = self.env.cr.sql_log_count - before
            self.assertEqual(len(cards), size)
        # ten times the rows: a few more chunks of serials (100 rows each), never a query
        # per row
        self.assertLess(counts[3000], counts[300] + 3000 / 15, counts)
        self.assertLess(counts[3000], 3000 / 10, counts)

    def test_company_check_of_a_batch(self):
        """Issuing many cards checks their companies together, and still refuses a serial
        of another company (Odoo's message)."""
        other = self.env["res.company"].create({"name": "W Other Company"})
        ours = self._lots(self.heater, "CC-1", "CC-2")
        foreign = self.env["stock.lot"].create(
            {"name": "CC-3", "product_id": self.heater.id, "company_id": other.id}
        )
        vals = [{"lot_id": lot.id, "company_id": self.company.id} for lot in ours | foreign]
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            self.Card._issue_cards(vals)
        self.assertFalse(self.Card.search([("lot_id", "in", (ours | foreign).ids)]))
        self.assertEqual(len(self.Card._issue_cards(vals[:2])), 2)
