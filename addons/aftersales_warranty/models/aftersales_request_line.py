"""Reception learns about warranty cards: the device line finds its serial in stock
and its card, and shows the warranty status at the request date (R-WAR-5)."""

from odoo import api, fields, models
from odoo.addons.aftersales_base.tools import normalize_serial

from .. import tools as wtools
from .aftersales_warranty_card import WARRANTY_STATUSES, WarrantyCheck

TECHNICIAN = "aftersales_base.group_aftersales_technician"


class AftersalesRequestLine(models.Model):
    _inherit = "aftersales.request.line"

    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial (Stock)",
        compute="_compute_lot_id",
        store=True,
        index="btree_not_null",
        help="The serial as stock knows it, found from the device and its serial number.",
    )
    warranty_card_id = fields.Many2one("aftersales.warranty.card", compute="_compute_warranty")
    warranty_status = fields.Selection(
        WARRANTY_STATUSES,
        compute="_compute_warranty",
        string="Warranty",
        help="Warranty status at the request date.",
    )
    warranty_reason = fields.Char("Warranty Check", compute="_compute_warranty")
    warranty_end_date = fields.Date(compute="_compute_warranty", string="Warranty End")

    @api.depends("product_id", "serial_number")
    def _compute_lot_id(self):
        Lot = self.env["stock.lot"].sudo()
        lines = self.filtered(lambda line: line.product_id and line.serial_number)
        (self - lines).lot_id = False
        if not lines:
            return
        # Normalized here too: in the form the serial is checked before it is saved.
        serials = {line: normalize_serial(line.serial_number) for line in lines}
        lots = Lot.search(
            [
                ("aftersales_serial", "in", list(set(serials.values()))),
                ("product_id", "in", lines.product_id.ids),
            ],
            order="company_id, id",
        )
        by_key = {}
        for lot in lots:
            by_key.setdefault((lot.product_id.id, lot.aftersales_serial), []).append(lot)
        for line in lines:
            candidates = by_key.get((line.product_id.id, serials[line]), [])
            # A lot of the request's company first, else a lot shared by all companies.
            lot = next(
                (lot for lot in candidates if lot.company_id == line.company_id),
                next((lot for lot in candidates if not lot.company_id), Lot),
            )
            line.lot_id = lot.id

    @api.depends("lot_id", "serial_number", "request_id.request_date")
    def _compute_warranty(self):
        for line, check in self._warranty_checks().items():
            line.warranty_card_id = check.card
            line.warranty_status = check.status
            line.warranty_reason = check.reason
            line.warranty_end_date = check.end_date

    def _warranty_checks(self):
        """``{line: WarrantyCheck}`` at each request's date, from one search of cards.

        The card is found through the line's stock serial (product + serial), the
        status and its reason come from the card's ``_warranty_result`` as in
        ``_check_warranty_many``.
        """
        Card = self.env["aftersales.warranty.card"]
        cards = Card.search([("lot_id", "in", self.lot_id.ids)]) if self.lot_id else Card
        by_lot = cards.grouped("lot_id")
        checks = {}
        for line in self:
            card = by_lot.get(line.lot_id, Card)._aftersales_current()
            if card:
                on_date = Card._to_date(line.request_id.request_date or fields.Datetime.now())
                checks[line] = card._warranty_result(on_date)
            else:
                reason = (
                    self.env._("No warranty card for serial %(serial)s.", serial=line.serial_number)
                    if line.serial_number
                    else self.env._("No serial number given.")
                )
                checks[line] = WarrantyCheck(
                    line.serial_number, wtools.UNKNOWN_SERIAL, Card, reason, None, None
                )
        return checks

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.request_id._check_warranty_repair()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if {"product_id", "serial_number", "request_id"} & vals.keys():
            self.request_id._check_warranty_repair()
        return res
