"""Extended warranty on a sale line: the line names the device (a warranty card, or its
serial) whose warranty the sold extension lengthens once the invoice is posted; and a
product sold without after-sales service (R-WAR-9) warns the seller.

Any card of the company may be named, not only the order customer's: a dealer, a
relative or a company may buy the extension for the owner of the device, who stays the
card's owner. Cards awaiting their start, at a dealer, in warranty or expired can be
extended; voided and replaced cards cannot.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

CLOSED_STATES = ("voided", "replaced")
CHECKED_FIELDS = frozenset(
    {"product_id", "aftersales_card_id", "aftersales_serial", "product_uom_qty", "product_uom"}
)


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    aftersales_is_extension = fields.Boolean(
        "Is a Warranty Extension", compute="_compute_aftersales_is_extension"
    )
    aftersales_card_id = fields.Many2one(
        "aftersales.warranty.card",
        string="Warranty Card",
        index="btree_not_null",
        check_company=True,
        domain=[("state", "not in", CLOSED_STATES)],
        help="The device whose warranty this extension lengthens; any card of the company, "
        "the owner of the device may differ from the buyer.",
    )
    aftersales_serial = fields.Char(
        "Device Serial",
        compute="_compute_aftersales_serial",
        store=True,
        readonly=False,
        help="Serial number of the device to extend; its warranty card is looked up.",
    )

    @api.depends("product_id.aftersales_extension_months")
    def _compute_aftersales_is_extension(self):
        for line in self:
            line.aftersales_is_extension = line.product_id.aftersales_extension_months > 0

    @api.depends("aftersales_card_id")
    def _compute_aftersales_serial(self):
        for line in self:
            if line.aftersales_card_id:
                line.aftersales_serial = line.aftersales_card_id.serial_number

    @api.onchange("aftersales_serial")
    def _onchange_aftersales_serial(self):
        lines = self.filtered(lambda line: line.aftersales_serial)
        cards = self.env["aftersales.warranty.card"]._aftersales_cards_for_serials(
            lines.mapped("aftersales_serial")
        )
        for line in lines:
            line.aftersales_card_id = cards.get(line.aftersales_serial, False)

    def _aftersales_check_extension(self):
        """Refuse extension lines that name no device, a closed card, a card of a policy
        the extension does not cover, a quantity other than 1, or a card twice on one
        order. Called from create and write when these fields change (not as a
        constraint: a card voided after the sale must not block unrelated updates of
        the order; the invoice posting refuses it then)."""
        lines = self.filtered(lambda line: not line.display_type and line.aftersales_is_extension)
        for line in lines:
            line._aftersales_check_extension_line()
        orders_cards = set()
        for line in lines.order_id.order_line.filtered("aftersales_card_id"):
            if not line.aftersales_is_extension:
                continue
            key = (line.order_id, line.aftersales_card_id)
            if key in orders_cards:
                raise ValidationError(
                    self.env._(
                        "Order %(order)s sells two warranty extensions for card %(card)s: sell "
                        "one extension per device.",
                        order=line.order_id.name,
                        card=line.aftersales_card_id.name,
                    )
                )
            orders_cards.add(key)

    @api.model_create_multi
    def create(self, vals_list):
        self._aftersales_resolve_serials(vals_list)
        lines = super().create(vals_list)
        lines._aftersales_check_extension()
        return lines

    def write(self, vals):
        if vals.get("aftersales_serial") and not vals.get("aftersales_card_id"):
            self._aftersales_resolve_serials([vals])
        res = super().write(vals)
        if CHECKED_FIELDS.intersection(vals):
            self._aftersales_check_extension()
        return res

    def _prepare_invoice_line(self, **optional_values):
        values = super()._prepare_invoice_line(**optional_values)
        if self.aftersales_card_id and self.aftersales_is_extension:
            values["aftersales_card_id"] = self.aftersales_card_id.id
        return values

    @api.model
    def _aftersales_resolve_serials(self, vals_list):
        """Fill the card of the vals that name a serial only: one search for the batch.

        A serial without card is left without card: the constraint refuses it in words.
        """
        wanted = [
            vals
            for vals in vals_list
            if vals.get("aftersales_serial") and not vals.get("aftersales_card_id")
        ]
        if not wanted:
            return
        cards = self.env["aftersales.warranty.card"]._aftersales_cards_for_serials(
            [vals["aftersales_serial"] for vals in wanted]
        )
        for vals in wanted:
            card = cards.get(vals["aftersales_serial"])
            if card:
                vals["aftersales_card_id"] = card.id
                vals["aftersales_serial"] = card.serial_number

    def _aftersales_check_extension_line(self):
        self.ensure_one()
        product = self.product_id
        card = self.aftersales_card_id
        if not card:
            if self.aftersales_serial:
                raise ValidationError(
                    self.env._(
                        "%(product)s: no warranty card for serial %(serial)s; only a device with "
                        "a warranty card can get an extended warranty.",
                        product=product.display_name,
                        serial=self.aftersales_serial,
                    )
                )
            raise ValidationError(
                self.env._(
                    "%(product)s is a warranty extension: name the device on the line (its "
                    "warranty card or its serial number).",
                    product=product.display_name,
                )
            )
        if card.state in CLOSED_STATES:
            raise ValidationError(
                self.env._(
                    "Warranty card %(card)s is %(state)s: its warranty cannot be extended.",
                    card=card.display_name,
                    state=card._state_label().lower(),
                )
            )
        if not product.product_tmpl_id._aftersales_extension_covers(card.policy_id):
            raise ValidationError(
                self.env._(
                    "%(product)s does not apply to warranty policy %(policy)s of card "
                    "%(card)s. It extends: %(policies)s.",
                    product=product.display_name,
                    policy=card.policy_id.display_name,
                    card=card.display_name,
                    policies=", ".join(
                        product.aftersales_extension_policy_ids.mapped("display_name")
                    ),
                )
            )
        quantity = self.product_uom._compute_quantity(self.product_uom_qty, product.uom_id)
        if float_compare(quantity, 1.0, precision_rounding=product.uom_id.rounding) != 0:
            raise ValidationError(
                self.env._(
                    "%(product)s for card %(card)s: sell one extension per device (quantity 1); "
                    "for several devices add one line per card.",
                    product=product.display_name,
                    card=card.display_name,
                )
            )

    @api.onchange("product_id")
    def _onchange_product_id_aftersales_no_service(self):
        if not self.product_id.aftersales_no_service:
            return None
        return {
            "warning": {
                "title": self.env._("Sold without after-sales service"),
                "message": self.env._(
                    "%(product)s is sold without after-sales service: no warranty and no "
                    "after-sales service. Tell the customer; the quotation and the invoice "
                    "will say so.",
                    product=self.product_id.display_name,
                ),
            }
        }
