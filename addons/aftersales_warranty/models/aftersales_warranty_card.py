"""Warranty card (R-WAR-1..8): one per serial, its dates, its owner and its history.

Every card is born in ``create``, which validates and fills a whole batch (delivery,
batch wizard, import, XML-RPC alike) and inserts it with one statement
(``_insert_cards``); ``_issue_cards`` and ``_issue_for_lots`` are the doors the other
addons use. The warranty status of a serial comes from one place,
``_check_warranty_many``, which reads the dates through ``tools.warranty_status``.
"""

import base64
import json
import secrets
from collections import defaultdict, namedtuple
from datetime import date as date_type
from datetime import datetime, timedelta

from psycopg2 import errors as pg_errors

from odoo import Command, api, fields, models
from odoo.addons.aftersales_base import tools as base_tools
from odoo.addons.aftersales_base.tools import normalize_phone, normalize_serial
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from .. import tools as wtools
from .aftersales_warranty_policy import START_RULES

CARD_STATES = [
    ("draft", "Awaiting Start"),
    ("dealer", "Dealer Period"),
    ("active", "In Warranty"),
    ("expired", "Expired"),
    ("voided", "Voided"),
    ("replaced", "Replaced"),
]
WARRANTY_STATUSES = [
    (wtools.IN_WARRANTY, "In Warranty"),
    (wtools.DEALER_PERIOD, "Dealer Period"),
    (wtools.EXPIRED, "Expired"),
    (wtools.VOIDED, "Voided"),
    (wtools.UNKNOWN_SERIAL, "Unknown Serial"),
    (wtools.NOT_ACTIVE, "Not Active"),
]
ACTIVATION_SOURCES = [
    ("delivery", "Delivery to the Customer"),
    ("invoice", "Invoice"),
    ("installation", "Installation Report"),
    ("registration", "Customer Registration"),
    ("dealer_fallback", "End of the Dealer Period"),
    ("manual", "By Hand"),
]
# What the warranty check reads of a card (``_warranty_result``).
CHECK_FIELDS = [
    "name",
    "serial_number",
    "state",
    "start_rule",
    "issue_date",
    "dealer_date",
    "dealer_deadline",
    "start_date",
    "end_date",
    "duration_months",
    "extension_months",
    "dealer_id",
    "void_date",
    "void_reason_id",
    "replaced_by_id",
]
MANAGER = "aftersales_base.group_aftersales_manager"
OPERATOR = "aftersales_base.group_aftersales_operator"
# A replaced card is history: its serial may be carded again (a refurbished device).
LOT_INDEX = "aftersales_warranty_card_lot_uniq"
# Fields that change only through the card's actions (or by a manager).
PROTECTED_FIELDS = frozenset(
    {
        "name",
        "lot_id",
        "company_id",
        "partner_id",
        "dealer_id",
        "policy_id",
        "state",
        "start_rule",
        "duration_months",
        "dealer_months",
        "extension_months",
        "issue_date",
        "dealer_date",
        "start_date",
        "activation_source",
        "void_reason_id",
        "void_date",
        "void_note",
        "replaced_by_id",
        "replacement_of_id",
        "verification_token",
    }
)


def _check_access_batch(records, operation):
    """``records.check_access(operation)`` with the record rules applied in one query
    (Odoo filters the records in Python, one by one); the check itself words the error
    when a record is refused."""
    records.browse().check_access(operation)
    if not records:
        return
    domain = records.env["ir.rule"]._compute_domain(records._name, operation)
    if domain:
        allowed = records.sudo().with_context(active_test=False)
        if allowed.search_count([("id", "in", records.ids), *domain]) != len(records):
            records.check_access(operation)


def _plain_value(value):
    return value or None


# ``value`` of a field as the ORM stores it, in JSON (dates and datetimes are written by
# ``json.dumps(default=str)``; see ``_insert_cards``).
COLUMN_VALUE = {
    "many2one": lambda value: value.id if isinstance(value, models.BaseModel) else value or None,
    "integer": lambda value: int(value or 0),
    "boolean": bool,
}


# A serial as issuing a card reads it (see ``_issue_serials``).
IssueSerial = namedtuple("IssueSerial", "id name product_id product_tmpl_id company_id serial")


class WarrantyCheck(namedtuple("WarrantyCheck", "serial status card reason start_date end_date")):
    """Answer of the warranty check: ``status`` is one of ``tools.STATUSES``, ``card``
    the card found (an empty recordset for an unknown serial), ``reason`` a translated
    sentence for the user."""

    __slots__ = ()

    @property
    def covered(self):
        return wtools.is_covered(self.status)


SMS_TEMPLATE = "aftersales_warranty.sms_template_warranty_extension_offer"
UTM_SOURCE = "aftersales_warranty.utm_source_aftersales"


# Stored computed fields that ``_fill_terms`` fills at issue (see ``create``).
PREFILLED_FIELDS = ("product_id", "product_tmpl_id", "serial_number", "end_date", "dealer_deadline")
# Column types a batch of cards is inserted with in one statement (see ``_insert_cards``).
SET_INSERT_TYPES = frozenset(
    {"many2one", "integer", "char", "text", "selection", "date", "datetime", "boolean"}
)


class AftersalesWarrantyCard(models.Model):
    _name = "aftersales.warranty.card"
    _description = "Warranty Card"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "serial_number", "partner_id.name"]

    name = fields.Char(
        "Card Number",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        default=lambda self: self.env._("New"),
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
    )
    product_id = fields.Many2one(
        related="lot_id.product_id", string="Product", store=True, index=True
    )
    product_tmpl_id = fields.Many2one(
        related="product_id.product_tmpl_id", string="Product Template", store=True
    )
    serial_number = fields.Char(
        related="lot_id.aftersales_serial", string="Serial Number", store=True, index=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        tracking=True,
        check_company=True,
        help="The end customer who owns the device.",
    )
    dealer_id = fields.Many2one(
        "res.partner",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('is_aftersales_dealer', '=', True)]",
    )
    policy_id = fields.Many2one(
        "aftersales.warranty.policy",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    state = fields.Selection(
        CARD_STATES, required=True, default="draft", index=True, tracking=True, copy=False
    )
    # The policy's terms at issue: a later change of the policy does not shorten
    # the warranty of devices already sold.
    start_rule = fields.Selection(START_RULES, readonly=True)
    duration_months = fields.Integer("Duration (months)", readonly=True)
    dealer_months = fields.Integer("Dealer Period (months)", readonly=True)
    extension_months = fields.Integer(
        "Extension (months)", readonly=True, tracking=True, copy=False
    )
    cover_parts = fields.Boolean(related="policy_id.cover_parts")
    cover_labour = fields.Boolean(related="policy_id.cover_labour")
    cover_travel = fields.Boolean(related="policy_id.cover_travel")
    # Dates
    issue_date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        index=True,
        help="Delivery of the device (to the customer or the dealer), or issue by hand.",
    )
    dealer_date = fields.Date("Delivered to Dealer", readonly=True)
    dealer_deadline = fields.Date(
        "Dealer Period Ends",
        compute="_compute_dealer_deadline",
        store=True,
        index=True,
        help="Last day of the dealer period; the warranty starts the day after unless "
        "the device is installed or registered before.",
    )
    start_date = fields.Date("Warranty Start", index=True, tracking=True, copy=False)
    end_date = fields.Date(
        "Warranty End",
        compute="_compute_end_date",
        store=True,
        index=True,
        tracking=True,
        help="Last day covered.",
    )
    activation_source = fields.Selection(
        ACTIVATION_SOURCES, string="Started By", readonly=True, copy=False
    )
    # Voiding and replacement
    void_reason_id = fields.Many2one("aftersales.warranty.void.reason", tracking=True, copy=False)
    void_date = fields.Date(readonly=True, copy=False)
    void_note = fields.Text(copy=False)
    replaced_by_id = fields.Many2one("aftersales.warranty.card", readonly=True, copy=False)
    replacement_of_id = fields.Many2one("aftersales.warranty.card", readonly=True, copy=False)
    # Origin and verification
    origin = fields.Char(help="Delivery, invoice or document the card was issued from.")
    move_id = fields.Many2one("stock.move", string="Delivery Move", readonly=True, copy=False)
    verification_token = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        groups=OPERATOR,
        default=lambda self: self._new_token(),
        help="Secret printed on the card (QR code) to verify it without an account.",
    )
    verification_url = fields.Char(
        "Verification Page",
        compute="_compute_verification_url",
        groups=OPERATOR,
        help="The public page of the card's QR code: product, status and end date only.",
    )
    # Status and history
    warranty_status = fields.Selection(
        WARRANTY_STATUSES,
        compute="_compute_warranty_status",
        help="Status today, from the dates (the same answer as the warranty check).",
    )
    event_ids = fields.One2many("aftersales.warranty.card.event", "card_id", string="History")
    request_line_ids = fields.One2many(
        related="lot_id.aftersales_request_line_ids",
        string="Service History",
        help="Every device line of a service request on this serial.",
    )
    request_count = fields.Integer("Service Requests", compute="_compute_request_count")
    history_count = fields.Integer("History Entries", compute="_compute_history_count")
    color = fields.Integer()

    _sql_constraints = [
        # Created by init() as a partial unique index; named here for its message.
        (
            LOT_INDEX.removeprefix("aftersales_warranty_card_"),
            "",
            "A serial has one warranty card.",
        ),
        ("token_uniq", "unique(verification_token)", "The verification token must be unique."),
        (
            "extension_positive",
            "CHECK(extension_months >= 0)",
            "A warranty cannot be shortened by an extension.",
        ),
    ]

    def init(self):
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s (lot_id) WHERE state != 'replaced'",
                SQL.identifier(LOT_INDEX),
                SQL.identifier(self._table),
            )
        )

    # ------------------------------------------------------------------
    # Defaults and computes
    # ------------------------------------------------------------------

    @api.model
    def _new_token(self):
        return secrets.token_urlsafe(24)

    @api.depends("name", "serial_number")
    def _compute_display_name(self):
        for card in self:
            card.display_name = (
                f"{card.name} ({card.serial_number})" if card.serial_number else card.name
            )

    def _compute_verification_url(self):
        for card in self:
            card.verification_url = card.verification_token and card._get_verification_url()

    @api.depends("dealer_date", "dealer_months")
    def _compute_dealer_deadline(self):
        for card in self:
            card.dealer_deadline = wtools.dealer_deadline(card.dealer_date, card.dealer_months)

    @api.depends("start_date", "duration_months", "extension_months")
    def _compute_end_date(self):
        for card in self:
            card.end_date = wtools.warranty_end(card.start_date, card._total_months())

    def _compute_warranty_status(self):
        today = fields.Date.context_today(self)
        for card in self:
            card.warranty_status = card._warranty_status_at(today)

    @api.depends("request_line_ids.request_id")
    def _compute_request_count(self):
        for card in self:
            card.request_count = len(card.request_line_ids.request_id)

    @api.depends("request_line_ids")
    def _compute_history_count(self):
        counts = defaultdict(int)
        for model, lot_field, _label in self._warranty_history_sources():
            for lot, count in self.env[model]._read_group(
                [(lot_field, "in", self.lot_id.ids)], [lot_field], ["__count"]
            ):
                counts[lot] += count
        for card in self:
            card.history_count = counts[card.lot_id]

    # ------------------------------------------------------------------
    # CRUD: the one way cards are born
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = self._prepare_issue_vals(vals_list)
        self.env["ir.sequence"]._aftersales_number(vals_list, "aftersales.warranty.card")
        # The "issue" event is the creation log: no chatter message per card. Nor
        # mail.thread's per-card work at creation: cards have no user field to subscribe
        # and no tracking template; later changes are tracked as usual.
        # The ORM asks ``default_get`` once per new card; a batch shares its defaults
        # (read once here), each card still gets its own token (see ``default_get``).
        Card = self.with_context(
            tracking_disable=True, aftersales_card_defaults=self.default_get(list(self._fields))
        )
        try:
            with self.env.cr.savepoint():
                cards = Card._insert_cards(vals_list)
                if cards is None:
                    cards = super(AftersalesWarrantyCard, Card).create(vals_list)
                # ``_fill_terms`` wrote these stored computed fields with the cards, from
                # the same functions: the ORM need not compute and UPDATE them again.
                for name in PREFILLED_FIELDS:
                    self.env.remove_to_compute(self._fields[name], cards)
        except pg_errors.UniqueViolation as exc:
            if exc.diag.constraint_name != LOT_INDEX:
                raise
            # Another transaction carded one of these serials since our check.
            lots = self.env["stock.lot"].browse([vals["lot_id"] for vals in vals_list])
            raise ValidationError(
                self.env._(
                    "A warranty card was issued meanwhile for one of the serials %(serials)s: "
                    "nothing was issued, try again.",
                    serials=", ".join(lots.mapped("name")),
                )
            ) from exc
        cards = cards.with_env(self.env)
        # A batch shares a few states and dates: word each summary once, from one card.
        summaries = {}
        new_values = {}
        for card, vals in zip(cards, vals_list, strict=True):
            key = (vals["state"], str(vals.get("start_date")), str(vals.get("end_date")))
            if key not in summaries:
                summaries[key] = self.browse(card.id)._state_summary()
            new_values[card] = summaries[key]
        cards._log_events(
            "issue",
            new_values=new_values,
            reason={card: vals.get("origin") for card, vals in zip(cards, vals_list, strict=True)},
        )
        return cards

    @api.model
    def _insert_cards(self, vals_list):
        """The validated cards of ``vals_list`` in one INSERT; ``None`` to leave it to
        the ORM.

        What ``create`` does for these records, set-based: access and record rules,
        defaults (read once per batch), the log columns, the stored computed fields
        (``_fill_terms`` wrote them), the caches of the serials' and contacts' card lists,
        what depends on cards marked for recomputation, Python constraints and the
        company check for the batch. The ORM's per-record work (a cache entry per field
        and card, 100 rows per INSERT) is what issuing 100,000 cards in batch cannot
        afford. Anything this door does not know goes through the ORM: a data file (XML
        ids), a field of another addon computed or stored unlike ours, a translated or
        relational value.
        """
        if self.env.context.get("_import_current_module") or self._inherits:
            return None
        defaults = self.env.context.get("aftersales_card_defaults") or {}
        rows = [{**defaults, **vals} for vals in vals_list]
        names = sorted({name for row in rows for name in row})
        fields_ = [self._fields.get(name) for name in names]
        if not all(
            field
            and field.store
            and field.column_type
            and field.type in SET_INSERT_TYPES
            and not getattr(field, "translate", False)
            and (not field.compute or field.name in PREFILLED_FIELDS)
            for field in fields_
        ) or any(
            field.store and field.compute and name not in PREFILLED_FIELDS
            for name, field in self._fields.items()
        ):
            return None
        self.check_access("create")
        for row in rows:
            # The default is one token for the batch; ``_fill_terms`` took the caller's.
            row["verification_token"] = self._new_token()
        converters = [(field.name, COLUMN_VALUE.get(field.type, _plain_value)) for field in fields_]
        documents = [{name: convert(row.get(name)) for name, convert in converters} for row in rows]
        columns = SQL(", ").join(SQL.identifier(name) for name in names)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO %(table)s (%(columns)s, create_uid, create_date, write_uid,
                                       write_date)
                SELECT %(columns)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM jsonb_populate_recordset(NULL::%(table)s, %(documents)s::jsonb)
             RETURNING id, lot_id
                """,
                table=SQL.identifier(self._table),
                columns=columns,
                uid=self.env.uid,
                now=self.env.cr.now(),
                documents=json.dumps(documents, default=str),
            )
        )
        # A batch carries each serial once (checked before): the serial finds its card.
        card_by_lot = {lot_id: card_id for card_id, lot_id in self.env.cr.fetchall()}
        cards = self.browse([card_by_lot[document["lot_id"]] for document in documents])
        for name in names:
            for inverse in self.pool.field_inverses[self._fields[name]]:
                self.env[inverse.model_name].invalidate_model([inverse.name])
        cards.modified(names, create=True)
        cards._validate_fields(names)
        _check_access_batch(cards, "create")
        cards._check_company()
        return cards

    @api.model
    def default_get(self, fields_list):
        batch = self.env.context.get("aftersales_card_defaults")
        if batch is None:
            return super().default_get(fields_list)
        values = {name: batch[name] for name in fields_list if name in batch}
        if "verification_token" in values:
            values["verification_token"] = self._new_token()
        return values

    def _check_company(self, fnames=None):
        """Odoo's check, one query per field and company for a batch.

        The ORM checks every new card field by field (a domain filter per card and
        field, the slowest part of issuing thousands of cards); the cards of a batch
        share one or two companies, so the serials, contacts and policies of each company
        are counted against the company's domain at once. Cards with an inconsistency go
        through Odoo's own check, which words the error.
        """
        if len(self) < 2:
            return super()._check_company(fnames)
        if fnames is None or {"company_id", "company_ids"} & set(fnames):
            fnames = self._fields
        fields_ = [
            self._fields[name]
            for name in fnames
            if self._fields[name].relational and self._fields[name].check_company
        ]
        if any(field.company_dependent or field.type != "many2one" for field in fields_):
            return super()._check_company(fnames)
        self.flush_recordset(["company_id", *(field.name for field in fields_)])
        suspects = set()
        for field in fields_:
            column = SQL.identifier(field.name)
            self.env.cr.execute(
                SQL(
                    "SELECT company_id, array_agg(DISTINCT %s) FROM %s "
                    "WHERE id = ANY(%s) AND %s IS NOT NULL GROUP BY company_id",
                    column,
                    SQL.identifier(self._table),
                    self.ids,
                    column,
                )
            )
            for company_id, ids in self.env.cr.fetchall():
                company = self.env["res.company"].browse(company_id)
                corecords = self.env[field.comodel_name].sudo().with_context(active_test=False)
                corecords = corecords.browse(ids)
                domain = corecords._check_company_domain(company)
                if corecords.search_count([("id", "in", ids), *domain]) == len(ids):
                    continue
                wrong = (corecords - corecords.filtered_domain(domain)).ids
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id = ANY(%s) AND company_id IS NOT DISTINCT "
                        "FROM %s AND %s = ANY(%s)",
                        SQL.identifier(self._table),
                        self.ids,
                        company_id,
                        column,
                        wrong,
                    )
                )
                suspects.update(row[0] for row in self.env.cr.fetchall())
        if suspects:
            return super(AftersalesWarrantyCard, self.browse(suspects))._check_company(fnames)
        return None

    def write(self, vals):
        if PROTECTED_FIELDS & vals.keys():
            self._check_manager(self.env._("edit the terms of"))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        issued = self.filtered(lambda card: card.state != "draft")
        if issued:
            raise UserError(
                self.env._(
                    "Warranty cards %(cards)s have started: void them instead of deleting them.",
                    cards=", ".join(issued.mapped("name")),
                )
            )

    @api.model
    def _prepare_issue_vals(self, vals_list):
        """Validate a batch of new cards and fill their terms, state and dates.

        Refused (nothing is written): a serial of another product, a serial twice in the
        batch, a product not tracked by serial, a product without warranty policy (or
        with another company's), a serial that already has a card. All problems of the
        batch are reported at once, each naming its serial.
        """
        checked = self._check_issue_vals(vals_list)
        problems = [problem for _vals, _lot, _policy, found in checked for problem in found]
        if problems:
            raise ValidationError("\n".join(problems))
        today = fields.Date.context_today(self)
        terms = {}
        prepared = []
        for vals, lot, policy, _found in checked:
            if policy not in terms:
                terms[policy] = {
                    "policy_id": policy.id,
                    "start_rule": policy.start_rule,
                    "duration_months": policy.duration_months,
                    "dealer_months": policy.dealer_months,
                }
            vals = dict(vals)
            vals.pop("product_id", None)
            self._fill_terms(vals, lot, terms[policy], today)
            prepared.append(vals)
        return prepared

    @api.model
    def _issue_serials(self, lot_ids):
        """``{lot id: IssueSerial}`` of the existing serials among ``lot_ids``, in one
        query. What the checks need to word their refusals, whoever issues: the cards
        themselves pass the rights and record rules of their company when inserted."""
        lot_ids = list({lot_id for lot_id in lot_ids if isinstance(lot_id, int)})
        if not lot_ids:
            return {}
        self.env["stock.lot"].flush_model(["name", "product_id", "company_id", "aftersales_serial"])
        self.env.cr.execute(
            SQL(
                "SELECT l.id, l.name, l.product_id, p.product_tmpl_id, l.company_id, "
                "l.aftersales_serial FROM stock_lot l "
                "JOIN product_product p ON p.id = l.product_id WHERE l.id = ANY(%s)",
                lot_ids,
            )
        )
        return {row[0]: IssueSerial(*row) for row in self.env.cr.fetchall()}

    @api.model
    def _check_issue_vals(self, vals_list):
        """``[(vals, serial, policy, problems)]`` for a batch of new cards (``serial`` an
        ``IssueSerial``), from one read of the serials, one policy look-up per product
        and one search of existing cards: the rows themselves are checked in memory."""
        Product = self.env["product.product"]
        Policy = self.env["aftersales.warranty.policy"]
        serials = self._issue_serials(vals.get("lot_id") for vals in vals_list)
        products = Product.browse({serial.product_id for serial in serials.values()})
        policies = products.product_tmpl_id._aftersales_warranty_policies()
        product_info = {
            product.id: (
                product,
                product.tracking == "serial",
                product.aftersales_no_service,
                policies.get(product.product_tmpl_id, Policy),
            )
            for product in products
        }
        # As the superuser would see them: a serial carded in another company is carded.
        carded = {}
        if serials:
            self.flush_model(["lot_id", "state", "name"])
            self.env.cr.execute(
                SQL(
                    "SELECT lot_id, name FROM aftersales_warranty_card "
                    "WHERE lot_id = ANY(%s) AND state != 'replaced'",
                    list(serials),
                )
            )
            carded = dict(self.env.cr.fetchall())
        policy_by_id = {}
        policy_company = {}
        seen = set()
        checked = []
        for vals in vals_list:
            lot = serials.get(vals.get("lot_id"))
            if lot is None:
                checked.append(
                    (
                        vals,
                        None,
                        Policy,
                        [self.env._("Every warranty card needs an existing serial number.")],
                    )
                )
                continue
            product, tracked, no_service, policy = product_info[lot.product_id]
            serial = lot.name
            problems = []
            if vals.get("product_id") and vals["product_id"] != lot.product_id:
                problems.append(
                    self.env._(
                        "Serial %(serial)s belongs to %(lot_product)s, not to %(product)s.",
                        serial=serial,
                        lot_product=product.display_name,
                        product=Product.browse(vals["product_id"]).display_name,
                    )
                )
            if not tracked:
                problems.append(
                    self.env._(
                        "Serial %(serial)s: %(product)s is not tracked by serial number; "
                        "warranty cards are issued per serial.",
                        serial=serial,
                        product=product.display_name,
                    )
                )
            if lot.id in seen:
                problems.append(
                    self.env._("Serial %(serial)s appears twice in this batch.", serial=serial)
                )
            seen.add(lot.id)
            if vals.get("policy_id"):
                policy = policy_by_id.get(vals["policy_id"])
                if policy is None:
                    policy = policy_by_id[vals["policy_id"]] = Policy.browse(vals["policy_id"])
            if policy not in policy_company:
                policy_company[policy] = policy.company_id.id
            company_id = vals.get("company_id") or lot.company_id or self.env.company.id
            if not policy and no_service:
                problems.append(
                    self.env._(
                        "Serial %(serial)s: %(product)s is sold without after-sales service "
                        "and gets no warranty card.",
                        serial=serial,
                        product=product.display_name,
                    )
                )
            elif not policy:
                problems.append(
                    self.env._(
                        "Serial %(serial)s: %(product)s has no warranty policy; set one on "
                        "the product or its category.",
                        serial=serial,
                        product=product.display_name,
                    )
                )
            elif policy_company[policy] not in (False, company_id):
                problems.append(
                    self.env._(
                        "Serial %(serial)s: warranty policy %(policy)s belongs to another company.",
                        serial=serial,
                        policy=policy.display_name,
                    )
                )
            if lot.id in carded:
                problems.append(
                    self.env._(
                        "Serial %(serial)s already has warranty card %(card)s.",
                        serial=serial,
                        card=carded[lot.id],
                    )
                )
            checked.append((vals, lot, policy, problems))
        return checked

    @api.model
    def _fill_terms(self, vals, lot, terms, today):
        """State, dates and terms of a new card from its policy's ``terms`` (policy_id,
        start_rule, duration_months, dealer_months) and who receives it; ``lot`` is the
        card's ``IssueSerial``."""
        vals.update(terms)
        vals.setdefault("company_id", lot.company_id or self.env.company.id)
        vals.setdefault("issue_date", today)
        # Never trusted from the caller: derived below.
        for key in ("state", "end_date", "dealer_deadline", "verification_token"):
            vals.pop(key, None)
        if vals.get("start_date"):
            vals["state"] = "active"
            vals.setdefault("activation_source", "manual")
        elif vals.get("dealer_id") and not vals.get("partner_id"):
            vals["state"] = "dealer"
            vals["dealer_date"] = vals.get("dealer_date") or vals["issue_date"]
        elif vals.get("partner_id") and terms["start_rule"] == "delivery":
            vals["state"] = "active"
            vals["start_date"] = vals["issue_date"]
            vals["activation_source"] = "delivery"
        else:
            vals["state"] = "draft"
        # Stored fields the ORM would otherwise compute after the insert, with one UPDATE
        # per field and batch: the same values, from the serial and terms at hand.
        vals["product_id"] = lot.product_id
        vals["product_tmpl_id"] = lot.product_tmpl_id
        vals["serial_number"] = lot.serial
        months = terms["duration_months"] + (vals.get("extension_months") or 0)
        to_date = fields.Date.to_date
        vals["end_date"] = wtools.warranty_end(to_date(vals.get("start_date")), months) or False
        vals["dealer_deadline"] = (
            wtools.dealer_deadline(to_date(vals.get("dealer_date")), terms["dealer_months"])
            or False
        )

    @api.model
    def _issue_cards(self, vals_list, skip_unwarranted=False):
        """Issue cards in one batch: the door for deliveries, wizards and other addons.

        ``vals_list`` holds at least ``lot_id``; optionally ``partner_id`` (the end
        customer), ``dealer_id``, ``issue_date`` (delivery date), ``start_date``,
        ``activation_source``, ``policy_id`` (else the product's), ``origin``,
        ``move_id``. With ``skip_unwarranted`` (deliveries), serials without policy,
        not tracked by serial or already carded are left out instead of refused.
        """
        if skip_unwarranted:
            vals_list = self._issuable(vals_list)
        if not vals_list:
            return self.browse()
        return self.create(vals_list)

    @api.model
    def _issue_for_lots(self, lots, partner=False, dealer=False, date=None, origin=False):
        """Issue a card for each serial of ``lots`` to one customer or dealer."""
        return self._issue_cards(
            [
                {
                    "lot_id": lot.id,
                    "partner_id": partner.id if partner else False,
                    "dealer_id": dealer.id if dealer else False,
                    "issue_date": date or fields.Date.context_today(self),
                    "origin": origin,
                }
                for lot in lots
            ]
        )

    @api.model
    def _issuable(self, vals_list):
        """The part of ``vals_list`` that ``create`` accepts (deliveries)."""
        return [
            vals for vals, _lot, _policy, found in self._check_issue_vals(vals_list) if not found
        ]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_activate(self):
        """Start the warranty today, by hand (a card awaiting its start or at a dealer)."""
        self._check_group(OPERATOR, self.env._("activate"))
        self._activate(fields.Date.context_today(self), "manual")
        return True

    def action_view_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_base.aftersales_request_action"
        )
        action["domain"] = [("line_ids.lot_id", "=", self.lot_id.id)]
        action["context"] = {}
        return action

    def action_view_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_base.aftersales_request_line_action"
        )
        action["domain"] = [("lot_id", "=", self.lot_id.id)]
        action["context"] = {}
        return action

    def _open_wizard(self, model, title):
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_card_ids": self.ids},
        }

    def action_open_void_wizard(self):
        return self._open_wizard("aftersales.warranty.void", self.env._("Void Warranty"))

    def action_open_transfer_wizard(self):
        return self._open_wizard("aftersales.warranty.transfer", self.env._("Transfer Ownership"))

    def action_open_extend_wizard(self):
        return self._open_wizard("aftersales.warranty.extend", self.env._("Extend Warranty"))

    # ------------------------------------------------------------------
    # Business methods (the other addons call these)
    # ------------------------------------------------------------------

    def _activate(self, start_date, source, partner=None, reason=None):
        """Start the warranty of cards awaiting their start or at a dealer."""
        blocked = self.filtered(lambda card: card.state not in ("draft", "dealer"))
        if blocked:
            raise UserError(
                self.env._(
                    "These warranty cards cannot be started: %(cards)s.",
                    cards=", ".join(f"{c.name} ({c._state_label()})" for c in blocked),
                )
            )
        if not self:
            return self
        old = {card: card._state_summary() for card in self}
        vals = {"state": "active", "start_date": start_date, "activation_source": source}
        if partner:
            vals["partner_id"] = partner.id
        self.sudo().write(vals)
        self._log_events(
            "activate",
            old_values=old,
            new_values={card: card._state_summary() for card in self},
            reason=reason,
        )
        return self

    @api.model
    def _activate_from_installation(self, serial, date, product=None, partner=None):
        """The agent's installation report for ``serial`` on ``date`` (R-WAR-2).

        Starts the card of a device at a dealer, or awaiting its installation, on the
        installation date. Other cards are returned unchanged (their warranty started
        otherwise). Returns the card; ``UserError`` for an unknown or voided serial.
        """
        card = self._card_for_activation(serial, product)
        if card.state == "dealer" or (card.state == "draft" and card.start_rule == "installation"):
            card._activate(
                self._to_date(date),
                "installation",
                partner=partner or None,
                reason=self.env._("Installation report"),
            )
        return card

    @api.model
    def _activate_from_registration(self, serial, phone_or_partner, date=None, product=None):
        """The customer registers the device (SMS, public page): R-WAR-2, R-WAR-8.

        ``phone_or_partner`` is the customer (a ``res.partner``) or their phone number;
        an unknown number becomes a new contact. The card gets this owner when it has
        none (or is at a dealer) and starts when it was waiting for the registration or
        at a dealer. A card owned by someone else is refused.
        """
        card = self._card_for_activation(serial, product)
        partner = self._registration_partner(phone_or_partner, card)
        owner = card.partner_id.commercial_partner_id
        if owner and owner != partner.commercial_partner_id:
            raise UserError(
                self.env._(
                    "Serial %(serial)s is registered to another customer; ask the warranty "
                    "desk for a transfer of ownership.",
                    serial=card.lot_id.name,
                )
            )
        date = self._to_date(date) if date else fields.Date.context_today(self)
        if card.state == "dealer" or (card.state == "draft" and card.start_rule == "registration"):
            card._activate(
                date, "registration", partner=partner, reason=self.env._("Customer registration")
            )
        elif not card.partner_id:
            card._transfer(partner, self.env._("Customer registration"))
        return card

    def _transfer(self, partner, reason, date=None):
        """Give the cards to a new owner (a second-hand sale, a gift, a correction)."""
        self._check_group(OPERATOR, self.env._("transfer"))
        self._check_not_closed(self.env._("transferred"))
        old = {card: card.partner_id.display_name or "" for card in self}
        self.sudo().write({"partner_id": partner.id})
        self._log_events(
            "transfer",
            old_values=old,
            new_values=dict.fromkeys(self, partner.display_name),
            reason=reason,
            date=date,
        )
        return True

    def _extend(self, months, reason):
        """Add ``months`` to the warranty (a goodwill gesture, an extended warranty)."""
        self._check_manager(self.env._("extend"))
        if months <= 0:
            raise UserError(self.env._("Extend a warranty by at least one month."))
        self._check_not_closed(self.env._("extended"))
        old = {card: card._end_summary() for card in self}
        for extension, cards in self.grouped("extension_months").items():
            cards.sudo().write({"extension_months": extension + months})
        today = fields.Date.context_today(self)
        revived = self.filtered(lambda c: c.state == "expired" and c.end_date >= today)
        revived.sudo().write({"state": "active"})
        self._log_events(
            "extend",
            old_values=old,
            new_values={card: card._end_summary() for card in self},
            reason=reason,
        )
        return True

    def _void(self, void_reason, note=False):
        """Void the cards for a coded reason (R-WAR-6)."""
        self._check_manager(self.env._("void"))
        self._check_not_closed(self.env._("voided"))
        for card in self:
            allowed = card.policy_id.void_reason_ids
            if allowed and void_reason not in allowed:
                raise UserError(
                    self.env._(
                        "%(reason)s is not a void condition of policy %(policy)s (card "
                        "%(card)s). Its conditions: %(allowed)s.",
                        reason=void_reason.display_name,
                        policy=card.policy_id.display_name,
                        card=card.name,
                        allowed=", ".join(allowed.mapped("display_name")),
                    )
                )
        old = {card: card._state_summary() for card in self}
        self.sudo().write(
            {
                "state": "voided",
                "void_reason_id": void_reason.id,
                "void_date": fields.Date.context_today(self),
                "void_note": note,
            }
        )
        self._log_events(
            "void",
            old_values=old,
            new_values=dict.fromkeys(self, void_reason.display_name),
            reason=note or void_reason.display_name,
        )
        return True

    def _replace(self, new_lot, reason):
        """Replace the device by ``new_lot``: the warranty moves to a new card on the new
        serial with the same owner, policy and dates; this card stays as history."""
        self.ensure_one()
        self._check_manager(self.env._("replace"))
        self._check_not_closed(self.env._("replaced"))
        vals = {
            "lot_id": new_lot.id,
            "partner_id": self.partner_id.id,
            "dealer_id": self.dealer_id.id,
            "policy_id": self.policy_id.id,
            "company_id": self.company_id.id,
            "issue_date": fields.Date.context_today(self),
            "origin": self.name,
            "replacement_of_id": self.id,
            "extension_months": self.extension_months,
        }
        if self.start_date:
            vals.update(start_date=self.start_date, activation_source=self.activation_source)
        elif self.state == "dealer":
            vals["dealer_date"] = self.dealer_date
        old = self._state_summary()
        self.sudo().write({"state": "replaced"})
        new_card = self.sudo().create([vals]).with_env(self.env)
        self.sudo().write({"replaced_by_id": new_card.id})
        self._log_events(
            "replace",
            old_values={self: old},
            new_values={self: f"{new_card.name} ({new_lot.name})"},
            reason=reason,
        )
        return new_card

    # ------------------------------------------------------------------
    # The warranty check (R-WAR-5): one logic for every caller
    # ------------------------------------------------------------------

    @api.model
    def _check_warranty(self, serial, date=None, product=None):
        """Warranty status of one serial at ``date`` (today by default).

        ``serial`` in any spelling (case, spaces, Persian or Arabic digits). Returns a
        ``WarrantyCheck``. ``product`` narrows the search when serials repeat across
        products.
        """
        return self._check_warranty_many([serial], date=date, product=product)[0]

    @api.model
    def _check_warranty_many(self, serials, date=None, product=None):
        """``_check_warranty`` for many serials in one query; results in input order."""
        on_date = self._to_date(date) if date else fields.Date.context_today(self)
        normalized = [normalize_serial(serial) for serial in serials]
        wanted = sorted({serial for serial in normalized if serial})
        domain = [("serial_number", "in", wanted)]
        if product:
            domain.append(("product_id", "in", product.ids))
        # One query: the card and the fields of the answer (not the whole row).
        cards = self.search_fetch(domain, CHECK_FIELDS) if wanted else self.browse()
        by_serial = cards.grouped("serial_number")
        results = []
        for raw, serial in zip(serials, normalized, strict=True):
            card = by_serial.get(serial, self.browse())._aftersales_current()
            if card:
                results.append(card._warranty_result(on_date))
            else:
                results.append(
                    WarrantyCheck(
                        serial or raw,
                        wtools.UNKNOWN_SERIAL,
                        card,
                        self.env._("No warranty card for serial %(serial)s.", serial=serial or raw)
                        if serial
                        else self.env._("No serial number given."),
                        None,
                        None,
                    )
                )
        return results

    def _warranty_status_at(self, on_date):
        self.ensure_one()
        return wtools.warranty_status(
            on_date,
            self.state,
            start_date=self.start_date,
            end_date=self.end_date,
            dealer_date=self.dealer_date,
            deadline=self.dealer_deadline,
            months=self._total_months(),
        )

    def _warranty_result(self, on_date):
        """The ``WarrantyCheck`` of this card at ``on_date``."""
        self.ensure_one()
        status = self._warranty_status_at(on_date)
        start, end = self.start_date, self.end_date
        if self.state == "dealer" and status != wtools.DEALER_PERIOD and self.dealer_deadline:
            start = wtools.dealer_fallback_start(self.dealer_date, self.dealer_months)
            end = wtools.warranty_end(start, self._total_months())
        fmt = self._format_date
        card = self.name
        if status == wtools.IN_WARRANTY:
            reason = self.env._(
                "In warranty until %(end)s (card %(card)s).", end=fmt(end), card=card
            )
        elif status == wtools.DEALER_PERIOD:
            reason = (
                self.env._(
                    "Dealer period at %(dealer)s until %(deadline)s (card %(card)s).",
                    dealer=self.dealer_id.display_name,
                    deadline=fmt(self.dealer_deadline),
                    card=card,
                )
                if self.dealer_deadline
                else self.env._(
                    "At dealer %(dealer)s, not sold yet (card %(card)s).",
                    dealer=self.dealer_id.display_name,
                    card=card,
                )
            )
        elif status == wtools.EXPIRED:
            reason = self.env._(
                "Warranty expired on %(end)s (card %(card)s).", end=fmt(end), card=card
            )
        elif status == wtools.VOIDED:
            reason = self.env._(
                "Warranty voided on %(date)s: %(reason)s (card %(card)s).",
                date=fmt(self.void_date),
                reason=self.void_reason_id.display_name or "",
                card=card,
            )
        elif self.state == "replaced":
            reason = self.env._(
                "The device was replaced: card %(card)s moved to %(new)s.",
                card=card,
                new=self.replaced_by_id.display_name or "",
            )
        elif self.state == "draft":
            rule = dict(self._fields["start_rule"]._description_selection(self.env)).get(
                self.start_rule, ""
            )
            reason = self.env._(
                "Warranty not started yet: it starts at %(rule)s (card %(card)s).",
                rule=rule.lower(),
                card=card,
            )
        else:
            reason = self.env._(
                "Warranty starts on %(start)s (card %(card)s).", start=fmt(start), card=card
            )
        return WarrantyCheck(self.serial_number, status, self, reason, start, end)

    # ------------------------------------------------------------------
    # History (R-WAR-3)
    # ------------------------------------------------------------------

    @api.model
    def _warranty_history_sources(self):
        """Where the service history of a serial lives.

        ``[(model, lot_field, label)]``: records of ``model`` whose many2one
        ``lot_field`` (to ``stock.lot``) is the card's serial. The history counter of
        the card sums them. Addons that record work or parts against a device
        (installation and repair reports, warranty parts) extend this list::

            def _warranty_history_sources(self):
                return super()._warranty_history_sources() + [
                    ("aftersales.work.report", "lot_id", self.env._("Work reports")),
                ]
        """
        return [("aftersales.request.line", "lot_id", self.env._("Service requests"))]

    # ------------------------------------------------------------------
    # Daily job
    # ------------------------------------------------------------------

    @api.model
    def _cron_warranty_dates(self, batch_size=1000):
        """Dealer cards past their dealer period start their warranty; active cards past
        their end expire. One chunk of ``batch_size`` per transition and call: a few
        writes per chunk (one per dealer deadline, one for the expiries), never one per
        card; the cron runner commits and calls again while work remains."""
        today = fields.Date.context_today(self)
        Card = self.sudo().with_context(tracking_disable=True)
        dealer_domain = [("state", "=", "dealer"), ("dealer_deadline", "<", today)]
        dealer_cards = Card.search(dealer_domain, order="dealer_deadline, id", limit=batch_size)
        for deadline, cards in dealer_cards.grouped("dealer_deadline").items():
            cards._activate(
                deadline + timedelta(days=1),
                "dealer_fallback",
                reason=self.env._("Dealer period over without installation or registration."),
            )
        expire_domain = [("state", "=", "active"), ("end_date", "<", today)]
        expired = Card.search(expire_domain, order="end_date, id", limit=batch_size)
        if expired:
            old = {card: card._state_summary() for card in expired}
            expired.write({"state": "expired"})
            expired._log_events(
                "expire",
                old_values=old,
                new_values={card: card._state_summary() for card in expired},
            )
        remaining = Card.search_count(dealer_domain) + Card.search_count(expire_domain)
        self.env["ir.cron"]._notify_progress(
            done=len(dealer_cards) + len(expired), remaining=remaining
        )
        return remaining

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _aftersales_current(self):
        """The card in force among cards of one serial: not replaced, newest first."""
        live = self.filtered(lambda card: card.state != "replaced")
        return (live or self).sorted("id", reverse=True)[:1]

    def _total_months(self):
        return (self.duration_months or 0) + (self.extension_months or 0)

    def _state_label(self):
        return dict(self._fields["state"]._description_selection(self.env)).get(self.state, "")

    def _state_summary(self):
        self.ensure_one()
        if self.start_date:
            return self.env._(
                "%(state)s, %(start)s - %(end)s",
                state=self._state_label(),
                start=self._format_date(self.start_date),
                end=self._format_date(self.end_date),
            )
        return self._state_label()

    def _end_summary(self):
        self.ensure_one()
        months = self._total_months()
        if self.end_date:
            return self.env._(
                "%(months)s months, until %(end)s",
                months=months,
                end=self._format_date(self.end_date),
            )
        return self.env._("%(months)s months", months=months)

    def _format_date(self, value):
        return self.env["ir.actions.report"]._aftersales_format_date(value) if value else ""

    @api.model
    def _to_date(self, value):
        """A date from a date, a UTC datetime (the user's day) or a string."""
        if isinstance(value, datetime):
            return fields.Date.context_today(self, timestamp=value)
        if isinstance(value, date_type):
            return value
        return fields.Date.to_date(value)

    def _log_events(self, event_type, old_values=None, new_values=None, reason=None, date=None):
        """One history row per card, created in one batch."""
        if not self:
            return self.env["aftersales.warranty.card.event"]
        old_values = old_values or {}
        new_values = new_values or {}
        reasons = reason if isinstance(reason, dict) else dict.fromkeys(self, reason)
        when = date or fields.Datetime.now()
        return self.env["aftersales.warranty.card.event"]._insert_rows(
            [
                (
                    card,
                    event_type,
                    when,
                    self.env.uid,
                    old_values.get(card),
                    new_values.get(card),
                    reasons.get(card),
                )
                for card in self
            ]
        )

    def _check_group(self, group, action):
        if not self.env.su and not self.env.user.has_group(group):
            raise AccessError(
                self.env._("You are not allowed to %(action)s warranty cards.", action=action)
            )

    def _check_manager(self, action):
        if not self.env.su and not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._(
                    "Only an after-sales manager may %(action)s warranty cards.", action=action
                )
            )

    def _check_not_closed(self, action):
        closed = self.filtered(lambda card: card.state in ("voided", "replaced"))
        if closed:
            raise UserError(
                self.env._(
                    "Voided or replaced warranty cards cannot be %(action)s: %(cards)s.",
                    action=action,
                    cards=", ".join(closed.mapped("name")),
                )
            )

    @api.model
    def _card_for_activation(self, serial, product=None):
        result = self._check_warranty(serial, product=product)
        card = result.card
        if not card:
            raise UserError(result.reason)
        if card.state in ("voided", "replaced"):
            raise UserError(result.reason)
        return card

    @api.model
    def _registration_partner(self, phone_or_partner, card):
        if isinstance(phone_or_partner, models.BaseModel):
            return phone_or_partner
        region = card.company_id.country_id.code or "IR"
        key = normalize_phone(phone_or_partner, region) if phone_or_partner else False
        if not key:
            raise UserError(
                self.env._("%(number)s is not a valid phone number.", number=phone_or_partner or "")
            )
        Request = self.env["aftersales.request"].sudo()
        partner = Request._find_partners_by_phone([key]).get(key)
        if not partner:
            partner = (
                self.env["res.partner"]
                .sudo()
                .create({"name": phone_or_partner, "mobile": phone_or_partner})
            )
        return partner

    def _get_verification_url(self):
        """Public page where anyone holding the printed card checks it (its QR code)."""
        self.ensure_one()
        return f"{self.get_base_url()}/warranty/{self.sudo().verification_token}"

    def _get_verification_qr(self):
        """The QR code of the verification URL as a ``data:`` URI: printed by wkhtmltopdf
        without fetching it over HTTP."""
        self.ensure_one()
        png = self.env["ir.actions.report"].barcode(
            "QR", self._get_verification_url(), width=300, height=300, barLevel="M"
        )
        return f"data:image/png;base64,{base64.b64encode(png).decode()}"

    def _print_months(self, lang, after_start=False):
        """The card's length for a reader of ``lang`` ("12 months", Persian digits for
        Persian); ``after_start``: its end while it has not started."""
        self.ensure_one()
        months = str(self._total_months())
        if (lang or "").startswith("fa"):
            months = base_tools.to_persian_digits(months)
        env = self.with_context(lang=lang).env
        if after_start:
            return env._("%(months)s months after the start", months=months)
        return env._("%(months)s months", months=months)

    periodic_visit_ids = fields.One2many(
        "aftersales.warranty.service.visit",
        "card_id",
        string="Periodic Service Visits",
        groups=OPERATOR,
    )
    periodic_visit_count = fields.Integer(
        "Periodic Visits", compute="_compute_periodic_visit_count", groups=OPERATOR
    )

    @api.depends("periodic_visit_ids")
    def _compute_periodic_visit_count(self):
        counts = dict(
            self.env["aftersales.warranty.service.visit"]._read_group(
                [("card_id", "in", self.ids)], ["card_id"], ["__count"]
            )
        )
        for card in self:
            card.periodic_visit_count = counts.get(card, 0)

    def action_view_periodic_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_warranty.aftersales_warranty_service_visit_action"
        )
        action["domain"] = [("card_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_open_dealer_replace_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Replace as Return"),
            "res_model": "aftersales.warranty.dealer.replace",
            "view_mode": "form",
            "target": "new",
            "context": {"default_card_id": self.id},
        }

    # ------------------------------------------------------------------
    # Dealer pre-sale service (R-WAR-8)
    # ------------------------------------------------------------------

    def _replace_as_return(self, new_lot, reason):
        """A device at the dealer that can no longer be sold as new goes back to the
        company's stock and the dealer gets ``new_lot`` (same product, in stock).

        Creates and confirms the return of the dealer's serial (the warehouse's receipt
        type) and the delivery of the new serial to the dealer, each with its serial on
        its move line, and moves the warranty to the new serial (``_replace``): the new
        card stays in its dealer period for the same dealer and dates. Validating the
        delivery later issues no second card (the serial has one). Returns ``(new card,
        return picking, delivery)``.
        """
        self.ensure_one()
        self._check_manager(self.env._("replace"))
        quant = self._check_return_replacement(new_lot)
        company = self.company_id
        warehouse = quant.location_id.warehouse_id or self.env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        dealer = self.dealer_id
        dealer_location = dealer.with_company(company).property_stock_customer or self.env.ref(
            "stock.stock_location_customers"
        )
        stock_location = warehouse.in_type_id.default_location_dest_id or warehouse.lot_stock_id
        origin = self.env._(
            "Replacement of %(old)s by %(new)s (card %(card)s)",
            old=self.lot_id.name,
            new=new_lot.name,
            card=self.name,
        )
        Picking = self.env["stock.picking"].with_company(company)
        pickings = Picking.create(
            [
                self._replacement_picking_vals(
                    warehouse.in_type_id, dealer_location, stock_location, origin
                ),
                self._replacement_picking_vals(
                    warehouse.out_type_id, quant.location_id, dealer_location, origin
                ),
            ]
        )
        receipt, delivery = pickings
        pickings.action_confirm()
        self._set_move_serial(receipt.move_ids, self.lot_id, dealer_location)
        self._set_move_serial(delivery.move_ids, new_lot, quant.location_id)
        new_card = self._replace(
            new_lot,
            self.env._(
                "%(reason)s (return %(receipt)s, delivery %(delivery)s)",
                reason=reason,
                receipt=receipt.name,
                delivery=delivery.name,
            ),
        )
        return new_card, receipt, delivery

    def _check_return_replacement(self, new_lot):
        """The stock quant of ``new_lot`` the replacement leaves from; ``UserError``
        when the card or the serial does not allow a replacement as a return."""
        self.ensure_one()
        if self.state != "dealer":
            raise UserError(
                self.env._(
                    "Card %(card)s is not in its dealer period (%(state)s): only a device still "
                    "at the dealer is replaced as a return.",
                    card=self.name,
                    state=self._state_label(),
                )
            )
        if not new_lot or new_lot.product_id != self.product_id:
            raise UserError(
                self.env._(
                    "The new serial must be a %(product)s, as the device it replaces.",
                    product=self.product_id.display_name,
                )
            )
        if new_lot == self.lot_id:
            raise UserError(self.env._("Choose another serial than the one being returned."))
        carded = self.sudo().search(
            [("lot_id", "=", new_lot.id), ("state", "!=", "replaced")], limit=1
        )
        if carded:
            raise UserError(
                self.env._(
                    "Serial %(serial)s already has warranty card %(card)s: choose a serial "
                    "that has not been sold.",
                    serial=new_lot.name,
                    card=carded.name,
                )
            )
        quants = self.env["stock.quant"].search(
            [
                ("lot_id", "=", new_lot.id),
                ("location_id.usage", "=", "internal"),
                ("company_id", "=", self.company_id.id),
                ("quantity", ">", 0),
            ]
        )
        quant = quants.filtered(lambda q: q.quantity - q.reserved_quantity > 0)[:1]
        if not quant:
            raise UserError(
                self.env._(
                    "Serial %(serial)s is not available in the stock of %(company)s.",
                    serial=new_lot.name,
                    company=self.company_id.name,
                )
            )
        return quant

    def _replacement_picking_vals(self, picking_type, source, destination, origin):
        product = self.product_id
        return {
            "picking_type_id": picking_type.id,
            "partner_id": self.dealer_id.id,
            "location_id": source.id,
            "location_dest_id": destination.id,
            "origin": origin,
            "company_id": self.company_id.id,
            "move_ids": [
                Command.create(
                    {
                        "name": product.display_name,
                        "product_id": product.id,
                        "product_uom_qty": 1,
                        "product_uom": product.uom_id.id,
                        "location_id": source.id,
                        "location_dest_id": destination.id,
                        "company_id": self.company_id.id,
                    }
                )
            ],
        }

    @api.model
    def _set_move_serial(self, move, lot, location):
        """Reserve exactly ``lot`` on ``move``: the lines the confirmation proposed (any
        serial, or none) are replaced by one line of the chosen serial."""
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "picking_id": move.picking_id.id,
                "product_id": move.product_id.id,
                "product_uom_id": move.product_uom.id,
                "lot_id": lot.id,
                "quantity": 1,
                "location_id": location.id,
                "location_dest_id": move.location_dest_id.id,
            }
        )

    is_expiring_soon = fields.Boolean(
        "Expiring Soon",
        compute="_compute_is_expiring_soon",
        search="_search_is_expiring_soon",
        help="In warranty and ending within the days set in the company's settings "
        "(Offer extension N days before expiry).",
    )
    extension_lead_ids = fields.One2many(
        "crm.lead", "aftersales_warranty_card_id", string="Extension Opportunities"
    )

    extension_lead_count = fields.Integer(
        "Extension Opportunities Count", compute="_compute_extension_lead_count"
    )

    def _compute_is_expiring_soon(self):
        today = fields.Date.context_today(self)
        for card in self:
            days = card.company_id.aftersales_extension_offer_days
            card.is_expiring_soon = bool(
                card.state == "active"
                and card.end_date
                and today <= card.end_date <= today + timedelta(days=days)
            )

    @api.depends("extension_lead_ids")
    def _compute_extension_lead_count(self):
        # The salesperson's own view of the leads: counted with their rights.
        Lead = self.env["crm.lead"]
        counts = {}
        if Lead.has_access("read"):
            counts = dict(
                Lead._read_group(
                    [("aftersales_warranty_card_id", "in", self.ids)],
                    ["aftersales_warranty_card_id"],
                    ["__count"],
                )
            )
        for card in self:
            card.extension_lead_count = counts.get(card, 0)

    @api.model
    def _search_is_expiring_soon(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        today = fields.Date.context_today(self)
        per_company = [
            [
                ("company_id", "=", company.id),
                ("end_date", "<=", today + timedelta(days=company.aftersales_extension_offer_days)),
            ]
            for company in self.env.companies
        ]
        domain = expression.AND(
            [
                [("state", "=", "active"), ("end_date", ">=", today)],
                expression.OR(per_company),
            ]
        )
        if (operator == "=") == bool(value):
            return domain
        return ["!", *expression.normalize_domain(domain)]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_extension_offer_wizard(self):
        return self._open_wizard(
            "aftersales.warranty.extension.offer", self.env._("Offer Warranty Extension")
        )

    def action_view_extension_leads(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_opportunities")
        action["domain"] = [("aftersales_warranty_card_id", "=", self.id)]
        action["context"] = {
            "default_aftersales_warranty_card_id": self.id,
            "default_type": "opportunity",
        }
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _aftersales_in_force(self):
        """The cards in force for these cards: a replaced card's extension lives on the
        card of the replacement device (``_replace`` carries it over)."""
        result = self.browse()
        for card in self:
            seen = card
            while (
                card.state == "replaced" and card.replaced_by_id and card.replaced_by_id not in seen
            ):
                card = card.replaced_by_id
                seen |= card
            result |= card
        return result

    def _aftersales_shorten(self, months, reason):
        """Take back ``months`` of a sold extension (its credit note): never more than
        the card's extension; a card now past its end expires at once."""
        if months <= 0:
            raise UserError(self.env._("Shorten a warranty by at least one month."))
        cards = self.filtered("extension_months")
        if not cards:
            return False
        old = {card: card._end_summary() for card in cards}
        for extension, group in cards.grouped("extension_months").items():
            group.sudo().write({"extension_months": max(extension - months, 0)})
        today = fields.Date.context_today(self)
        ended = cards.filtered(lambda c: c.state == "active" and c.end_date < today)
        ended.sudo().write({"state": "expired"})
        cards._log_events(
            "extend_cancel",
            old_values=old,
            new_values={card: card._end_summary() for card in cards},
            reason=reason,
        )
        return True

    @api.model
    def _aftersales_cards_for_serials(self, serials):
        """``{serial as given: card}`` for the serials with a card, in one search."""
        results = self._check_warranty_many(serials)
        return {
            serial: result.card
            for serial, result in zip(serials, results, strict=True)
            if result.card
        }

    def _aftersales_offer_check(self):
        if not self:
            raise UserError(self.env._("Select the warranty cards to offer an extension for."))
        self._check_group(
            "aftersales_base.group_aftersales_operator", self.env._("offer extensions for")
        )
        self._check_not_closed(self.env._("offered an extension"))

    def _aftersales_offer_extension_sms(self):
        """Queue the extension offer by SMS to each card's customer with a mobile number.

        Sent through the company's own SMS panel, as every after-sales SMS; a company
        without one is refused rather than silently skipped. Returns the cards offered;
        the SMS itself is logged on each card's chatter.
        """
        self._aftersales_offer_check()
        template = self.env.ref(SMS_TEMPLATE, raise_if_not_found=False)
        if not template:
            raise UserError(self.env._("The SMS template of the extension offer is missing."))
        Provider = self.env["aftersales.sms.provider"]
        without_panel = self.company_id.filtered(lambda company: not Provider._for_company(company))
        if without_panel:
            raise UserError(
                self.env._(
                    "No SMS panel for %(companies)s: set one up in After-Sales > Configuration "
                    "> SMS Providers, or offer the extension through opportunities.",
                    companies=", ".join(without_panel.mapped("name")),
                )
            )
        offered = self.filtered(lambda card: card.partner_id.mobile)
        for card in offered:
            partner = card.partner_id
            card._message_sms_with_template(
                template=template,
                partner_ids=partner.ids,
                sms_pid_to_number={partner.id: partner.mobile},
                put_in_queue=True,
            )
        return offered

    def _aftersales_offer_extension_opportunities(self, team=None):
        """One CRM opportunity per card for the sales team, unassigned, never a second
        open one for a card.

        Left out: cards with an open opportunity already (searched with ``sudo``: a
        salesperson sees only their own leads, the duplicate check must see all) and
        cards without customer. Returns ``(leads, skipped cards)``.
        """
        self._aftersales_offer_check()
        Lead = self.env["crm.lead"]
        if not Lead.has_access("create"):
            raise AccessError(
                self.env._(
                    "Creating opportunities needs sales rights (Sales: User). Ask a "
                    "salesperson, or offer the extension by SMS."
                )
            )
        open_leads = Lead.sudo().search(
            [
                ("aftersales_warranty_card_id", "in", self.ids),
                ("type", "=", "opportunity"),
                "|",
                ("stage_id", "=", False),
                ("stage_id.is_won", "=", False),
            ]
        )
        skipped = open_leads.aftersales_warranty_card_id | self.filtered(lambda c: not c.partner_id)
        todo = self - skipped
        if not todo:
            return Lead, skipped
        source = self.env.ref(UTM_SOURCE, raise_if_not_found=False)
        leads = Lead.create(
            [
                {
                    "type": "opportunity",
                    "name": self.env._(
                        "Warranty extension: %(product)s %(serial)s",
                        product=card.product_id.display_name,
                        serial=card.serial_number or card.lot_id.name,
                    ),
                    "partner_id": card.partner_id.id,
                    "team_id": team.id if team else False,
                    # Unassigned: the team shares them out (and a salesperson may only
                    # create leads that are theirs or nobody's).
                    "user_id": False,
                    "date_deadline": card.end_date,
                    "source_id": source.id if source else False,
                    "company_id": card.company_id.id,
                    "aftersales_warranty_card_id": card.id,
                }
                for card in todo
            ]
        )
        todo._message_log_batch(
            {
                lead.aftersales_warranty_card_id.id: self.env._(
                    "Extended warranty offered: opportunity %(lead)s for %(team)s.",
                    lead=lead.name,
                    team=lead.team_id.display_name or "",
                )
                for lead in leads
            }
        )
        return leads, skipped
