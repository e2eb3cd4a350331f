"""Issue warranty cards in batch (R-WAR-1): selected serials, a delivery, a serial range
or a CSV/XLSX file.

Every row is checked before anything is written, each problem named by its line (file),
position (range) or serial; one error lists them all. The rows are resolved with a
bounded number of queries (one search for the products, the contacts, the serials and
the existing cards; one create for the missing serials), then issued through the card
model's batch door ``_issue_cards``, which checks the batch again as the last word.
"""

import base64
import binascii

from odoo import api, fields, models
from odoo.addons.aftersales_base.tools import from_jalali, normalize_serial, to_ascii_digits
from odoo.exceptions import UserError

from ..tools import batch as batch_tools

MODES = [
    ("lots", "Selected Serials"),
    ("picking", "Delivery"),
    ("range", "Serial Range"),
    ("file", "CSV or XLSX File"),
]
# What ``_resolve_lots`` reads of the serials found.
LOT_COLUMNS = ("id", "product_id", "aftersales_serial")
# Problems listed in the error; the rest are counted.
MAX_LISTED = 50


class AftersalesWarrantyBatchIssue(models.TransientModel):
    _name = "aftersales.warranty.batch.issue"
    _description = "Issue Warranty Cards in Batch"

    mode = fields.Selection(MODES, string="Issue For", required=True, default="range")
    lot_ids = fields.Many2many(
        "stock.lot", string="Serials", domain="[('product_id.tracking', '=', 'serial')]"
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Transfer",
        domain="[('state', '=', 'done')]",
        help="A validated transfer: a card for each serial it moved.",
    )
    product_id = fields.Many2one("product.product", domain="[('tracking', '=', 'serial')]")
    prefix = fields.Char(help="Text before the number, e.g. SN for SN000100.")
    first_number = fields.Integer()
    last_number = fields.Integer()
    padding = fields.Integer(
        "Digits",
        default=6,
        help="The number is zero-filled to this many digits: 6 gives SN000100. "
        "0 writes the number as it is.",
    )
    create_missing = fields.Boolean(
        "Create Missing Serials",
        help="Serials of the range or file that do not exist yet are created. Otherwise "
        "each missing serial is refused.",
    )
    file = fields.Binary(attachment=False)
    file_name = fields.Char()
    partner_id = fields.Many2one(
        "res.partner", string="Customer", help="The end customer (a file's column wins)."
    )
    dealer_id = fields.Many2one(
        "res.partner",
        domain="[('is_aftersales_dealer', '=', True)]",
        help="Without a customer, the cards start the dealer period (a file's column wins).",
    )
    issue_date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        help="Delivery date of the devices (a file's date column wins).",
    )
    range_preview = fields.Char("Range", compute="_compute_range_preview")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        active_ids = context.get("active_ids") or []
        if context.get("active_model") == "stock.lot" and active_ids:
            values.update(mode="lots", lot_ids=[fields.Command.set(active_ids)])
        elif context.get("active_model") == "stock.picking" and context.get("active_id"):
            values.update(mode="picking", picking_id=context["active_id"])
            picking = self.env["stock.picking"].browse(context["active_id"])
            values.update(self._picking_defaults(picking))
        return values

    @api.depends("mode", "prefix", "first_number", "last_number", "padding")
    def _compute_range_preview(self):
        for wizard in self:
            wizard.range_preview = False
            if wizard.mode != "range":
                continue
            try:
                first, last = (
                    batch_tools.expand_range(wizard.prefix, number, number, wizard.padding or 0)[0]
                    for number in (wizard.first_number, wizard.last_number)
                )
            except batch_tools.BatchError:
                continue
            count = wizard.last_number - wizard.first_number + 1
            if count > 0:
                wizard.range_preview = self.env._(
                    "%(first)s … %(last)s (%(count)s serials)", first=first, last=last, count=count
                )

    @api.onchange("picking_id")
    def _onchange_picking_id(self):
        if self.picking_id:
            self.update(self._picking_defaults(self.picking_id))

    @api.model
    def _picking_defaults(self, picking):
        """Customer (or dealer) and date of a delivery, as its validation issues them."""
        partner = picking.partner_id.commercial_partner_id
        values = {"partner_id": False, "dealer_id": False}
        if partner.is_aftersales_dealer:
            values["dealer_id"] = partner.id
        elif partner:
            values["partner_id"] = partner.id
        if picking.date_done:
            values["issue_date"] = fields.Date.context_today(self, timestamp=picking.date_done)
        return values

    # ------------------------------------------------------------------
    # Action
    # ------------------------------------------------------------------

    def action_issue(self):
        """Check every row, then issue all the cards at once; open the new cards."""
        self.ensure_one()
        cards = self._issue()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_warranty.aftersales_warranty_card_action"
        )
        action.update(
            name=self.env._("Issued Warranty Cards"),
            domain=[("id", "in", cards.ids)],
            context={"create": False},
        )
        return action

    def _issue(self):
        rows = self._rows()
        if not rows:
            raise UserError(self.env._("There is no serial to issue a warranty card for."))
        self._resolve(rows)
        problems = [(row["label"], problem) for row in rows for problem in row["problems"]]
        if problems:
            raise UserError(self._problems_message(problems))
        self._create_missing_lots(rows)
        origin = self._batch_origin()
        return self.env["aftersales.warranty.card"]._issue_cards(
            [
                {
                    "lot_id": row["lot_id"],
                    "product_id": row["product"].id,
                    "partner_id": row["partner"].id,
                    "dealer_id": row["dealer"].id,
                    "issue_date": row["date"],
                    "origin": origin,
                }
                for row in rows
            ]
        )

    # ------------------------------------------------------------------
    # Rows: one dict per card to issue
    # ------------------------------------------------------------------

    def _row(self, label, serial, product=None, lot_id=False, partner=None, dealer=None):
        return {
            "label": label,
            "serial": serial,
            "product": product or self.env["product.product"],
            "lot_id": lot_id,
            "partner": self.partner_id if partner is None else partner,
            "dealer": self.dealer_id if dealer is None else dealer,
            "date": self.issue_date,
            "problems": [],
        }

    def _rows_of(self, serials, label, product=None):
        """Rows of the wizard's customer, dealer and date for ``serials`` (thousands for
        a range): the shared values are read once; ``label`` is a translated pattern with
        ``%(position)s`` and ``%(serial)s``."""
        shared = self._row(False, False, product)
        return [
            {
                **shared,
                "label": label % {"position": position, "serial": serial},
                "serial": serial,
                "problems": [],
            }
            for position, serial in enumerate(serials, start=1)
        ]

    def _rows(self):
        return getattr(self, f"_rows_{self.mode}")()

    def _rows_lots(self):
        return [
            self._row(
                self.env._("Serial %(serial)s", serial=lot.name), lot.name, lot.product_id, lot.id
            )
            for lot in self.lot_ids
        ]

    def _rows_picking(self):
        picking = self.picking_id
        if not picking:
            raise UserError(self.env._("Choose the transfer to issue warranty cards for."))
        if picking.state != "done":
            raise UserError(
                self.env._(
                    "Transfer %(picking)s is not done: warranty cards are issued for "
                    "delivered serials only.",
                    picking=picking.display_name,
                )
            )
        lots = picking.move_line_ids.filtered(lambda line: line.state == "done").lot_id
        return [
            self._row(
                self.env._("Serial %(serial)s", serial=lot.name), lot.name, lot.product_id, lot.id
            )
            for lot in lots
        ]

    def _rows_range(self):
        if not self.product_id:
            raise UserError(self.env._("Choose the product of the serial range."))
        try:
            serials = batch_tools.expand_range(
                self.prefix, self.first_number, self.last_number, self.padding
            )
        except batch_tools.BatchError as error:
            raise UserError(self._batch_error_message(error)) from error
        return self._rows_of(
            serials, self.env._("Position %(position)s (%(serial)s)"), self.product_id
        )

    def _rows_file(self):
        if not self.file:
            raise UserError(self.env._("Upload the CSV or XLSX file of the serials."))
        try:
            data = base64.b64decode(self.file)
        except binascii.Error as error:
            raise UserError(self.env._("The file could not be read.")) from error
        try:
            file_rows = batch_tools.read_file(data, self.file_name)
        except batch_tools.BatchError as error:
            raise UserError(self._batch_error_message(error)) from error
        products = self._find_products({row.product for row in file_rows if row.product})
        names = {row.customer for row in file_rows if row.customer}
        names |= {row.dealer for row in file_rows if row.dealer}
        partners = self._find_partners(names)
        rows = []
        for file_row in file_rows:
            row = self._row(
                self.env._("Line %(line)s", line=file_row.line),
                file_row.serial,
                partner=self.partner_id if not file_row.customer else None,
                dealer=self.dealer_id if not file_row.dealer else None,
            )
            problems = row["problems"]
            if not file_row.product:
                problems.append(self.env._("no product given."))
            else:
                found = products.get(file_row.product)
                if not found:
                    problems.append(
                        self.env._("unknown product %(product)s.", product=file_row.product)
                    )
                elif len(found) > 1:
                    problems.append(
                        self.env._(
                            "several products are called %(product)s: use their internal "
                            "reference.",
                            product=file_row.product,
                        )
                    )
                else:
                    row["product"] = found
            for column, key in (("partner", file_row.customer), ("dealer", file_row.dealer)):
                if not key:
                    continue
                found = partners.get(key)
                if not found:
                    problems.append(self.env._("unknown contact %(name)s.", name=key))
                elif len(found) > 1:
                    problems.append(
                        self.env._(
                            "several contacts are called %(name)s: use their reference.",
                            name=key,
                        )
                    )
                elif column == "dealer" and not found.is_aftersales_dealer:
                    problems.append(self.env._("%(name)s is not a dealer.", name=key))
                else:
                    row[column] = found
            if file_row.date not in (None, ""):
                try:
                    row["date"] = batch_tools.parse_date(
                        file_row.date, from_jalali, to_ascii_digits
                    )
                except ValueError:
                    problems.append(
                        self.env._(
                            "bad date %(date)s: write it as 2024-08-02 or 1403/05/12.",
                            date=file_row.date,
                        )
                    )
            rows.append(row)
        return rows

    @api.model
    def _find_products(self, keys):
        """``{key: products}`` of the internal references and names in ``keys``."""
        if not keys:
            return {}
        keys = list(keys)
        products = self.env["product.product"].search_fetch(
            ["|", ("default_code", "in", keys), ("name", "in", keys)],
            ["default_code", "name"],
        )
        by_code, by_name = {}, {}
        for product in products:
            if product.default_code:
                by_code[product.default_code] = by_code.get(product.default_code, product) | product
            by_name[product.name] = by_name.get(product.name, product) | product
        # The internal reference is unique by intent: it wins over a name.
        return {key: by_code.get(key) or by_name.get(key) for key in keys}

    @api.model
    def _find_partners(self, keys):
        """``{key: partners}`` of the contact names and references in ``keys``."""
        if not keys:
            return {}
        keys = list(keys)
        partners = self.env["res.partner"].search_fetch(
            ["|", ("ref", "in", keys), ("name", "in", keys)],
            ["ref", "name", "is_aftersales_dealer"],
        )
        by_ref, by_name = {}, {}
        for partner in partners:
            if partner.ref:
                by_ref[partner.ref] = by_ref.get(partner.ref, partner) | partner
            by_name[partner.name] = by_name.get(partner.name, partner) | partner
        return {key: by_ref.get(key) or by_name.get(key) for key in keys}

    # ------------------------------------------------------------------
    # Checks, all rows at once
    # ------------------------------------------------------------------

    def _resolve(self, rows):
        """Find each row's serial and note every problem in ``row["problems"]``.

        A handful of queries whatever the number of rows: one search for the serials,
        one for the policies, one for the cards already issued.
        """
        for row in rows:
            row["key"] = normalize_serial(row["serial"])
            if not row["key"]:
                row["problems"].append(self.env._("empty serial number."))
        self._resolve_lots([row for row in rows if not row["lot_id"] and row["key"]])
        self._check_duplicates(rows)
        self._check_products(rows)
        self._check_carded(rows)

    def _resolve_lots(self, rows):
        """Serials given as text: the lot of the row's product, else a problem (a serial
        of another product, or missing without "Create Missing Serials")."""
        if not rows:
            return
        company_ids = [False, *self.env.companies.ids]
        Lot = self.env["stock.lot"]
        # The user's search (rights, record rules), its rows read as plain values.
        query = Lot._search(
            [
                ("aftersales_serial", "in", list({row["key"] for row in rows})),
                ("company_id", "in", company_ids),
            ]
        )
        by_key = {}
        for lot_id, product_id, key in self.env.execute_query(
            query.select(*(Lot._field_to_sql(Lot._table, name, query) for name in LOT_COLUMNS))
        ):
            by_key.setdefault(key, {})[product_id] = lot_id
        for row in rows:
            found = by_key.get(row["key"], {})
            product = row["product"]
            if not product:
                continue
            lot_id = found.get(product.id)
            if lot_id:
                row["lot_id"] = lot_id
            elif found:
                others = self.env["product.product"].browse(found)
                row["problems"].append(
                    self.env._(
                        "serial %(serial)s belongs to %(other)s, not to %(product)s.",
                        serial=row["serial"],
                        other=", ".join(others.mapped("display_name")),
                        product=product.display_name,
                    )
                )
            elif not self.create_missing:
                row["problems"].append(
                    self.env._(
                        'serial %(serial)s of %(product)s does not exist; tick "Create '
                        'Missing Serials" to create it.',
                        serial=row["serial"],
                        product=product.display_name,
                    )
                )

    def _check_duplicates(self, rows):
        first = {}
        for row in rows:
            if not row["key"]:
                continue
            key = (row["key"], row["product"].id)
            if key in first:
                row["problems"].append(
                    self.env._(
                        "serial %(serial)s appears twice in the batch (also at %(other)s).",
                        serial=row["serial"],
                        other=first[key]["label"],
                    )
                )
            else:
                first[key] = row

    def _check_products(self, rows):
        products = self.env["product.product"].union(*(row["product"] for row in rows))
        policies = products.product_tmpl_id._aftersales_warranty_policies()
        problem = {}
        for product in products:
            if product.tracking != "serial":
                problem[product] = self.env._(
                    "%(product)s is not tracked by serial number; warranty cards are issued "
                    "per serial.",
                    product=product.display_name,
                )
            elif product.aftersales_no_service:
                problem[product] = self.env._(
                    "%(product)s is sold without after-sales service and gets no warranty card.",
                    product=product.display_name,
                )
            elif not policies.get(product.product_tmpl_id):
                problem[product] = self.env._(
                    "%(product)s has no warranty policy; set one on the product or its category.",
                    product=product.display_name,
                )
        for row in rows:
            if row["product"] in problem:
                row["problems"].append(problem[row["product"]])

    def _check_carded(self, rows):
        lot_ids = [row["lot_id"] for row in rows if row["lot_id"]]
        if not lot_ids:
            return
        cards = (
            self.env["aftersales.warranty.card"]
            .sudo()
            .search_fetch(
                [("lot_id", "in", lot_ids), ("state", "!=", "replaced")], ["name", "lot_id"]
            )
        )
        carded = {card.lot_id.id: card.name for card in cards}
        for row in rows:
            if row["lot_id"] in carded:
                row["problems"].append(
                    self.env._(
                        "serial %(serial)s already has warranty card %(card)s.",
                        serial=row["serial"],
                        card=carded[row["lot_id"]],
                    )
                )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _create_missing_lots(self, rows):
        """One create for the serials of the range or file that do not exist yet.

        As superuser: an after-sales operator needs no inventory rights for it, and only
        serials of checked rows (serial-tracked products with a warranty policy) are
        created, in the user's company.
        """
        missing = [row for row in rows if not row["lot_id"]]
        if not missing:
            return
        lots = (
            self.env["stock.lot"]
            .sudo()
            .create(
                [
                    {
                        "name": to_ascii_digits(row["serial"].strip()),
                        "product_id": row["product"].id,
                        "company_id": self.env.company.id,
                    }
                    for row in missing
                ]
            )
        )
        for row, lot_id in zip(missing, lots.ids, strict=True):
            row["lot_id"] = lot_id

    def _batch_origin(self):
        if self.mode == "picking":
            return self.picking_id.name
        if self.mode == "file":
            return self.file_name or False
        return False

    def _problems_message(self, problems):
        lines = [
            self.env._("%(where)s: %(problem)s", where=where, problem=problem)
            for where, problem in problems[:MAX_LISTED]
        ]
        if len(problems) > MAX_LISTED:
            lines.append(self.env._("… and %(count)s more.", count=len(problems) - MAX_LISTED))
        return "\n".join(
            [
                self.env._(
                    "No warranty card was issued: %(count)s problems to correct first.",
                    count=len(problems),
                ),
                *lines,
            ]
        )

    def _batch_error_message(self, error):
        params = error.params
        messages = {
            "range_order": lambda: self.env._(
                "The last number of the range must not be before the first, and neither "
                "may be negative."
            ),
            "range_size": lambda: self.env._(
                "The range holds %(count)s serials; at most %(limit)s can be issued at once: "
                "split it, or use a file.",
                count=params["count"],
                limit=params["limit"],
            ),
            "range_padding": lambda: self.env._(
                "%(last)s has more than %(padding)s digits: raise the number of digits.",
                last=params["last"],
                padding=params["padding"],
            ),
            "encoding": lambda: self.env._("The CSV file must be saved as UTF-8."),
            "xlsx": lambda: self.env._("The file is not a readable XLSX workbook."),
            "empty": lambda: self.env._("The file is empty."),
            "columns": lambda: self.env._(
                "The file has no %(columns)s column: its first line names the columns "
                "(serial, product, and optionally customer, dealer, date).",
                columns=", ".join(params["missing"]),
            ),
        }
        return messages[error.code]()
