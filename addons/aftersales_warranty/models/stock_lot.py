from odoo import api, fields, models
from odoo.addons.aftersales_base.tools import normalize_serial

from .aftersales_warranty_card import CARD_STATES

TECHNICIAN = "aftersales_base.group_aftersales_technician"


class StockLot(models.Model):
    _inherit = "stock.lot"

    aftersales_serial = fields.Char(
        "Normalized Serial",
        compute="_compute_aftersales_serial",
        store=True,
        index=True,
        help="The serial number as after-sales stores it: upper-case, without spaces, ASCII "
        "digits; what warranty checks and service requests match on.",
    )
    aftersales_warranty_card_ids = fields.One2many(
        "aftersales.warranty.card", "lot_id", string="Warranty Cards", groups=TECHNICIAN
    )
    aftersales_request_line_ids = fields.One2many(
        "aftersales.request.line", "lot_id", string="Service Requests", groups=TECHNICIAN
    )
    aftersales_warranty_card_id = fields.Many2one(
        "aftersales.warranty.card",
        string="Warranty Card",
        compute="_compute_aftersales_warranty_card_id",
        groups=TECHNICIAN,
        help="The card in force for this serial (a replaced card stays in the history).",
    )
    aftersales_warranty_state = fields.Selection(
        CARD_STATES,
        string="Warranty",
        compute="_compute_aftersales_warranty_card_id",
        groups=TECHNICIAN,
    )

    @api.depends("name")
    def _compute_aftersales_serial(self):
        for lot in self:
            lot.aftersales_serial = normalize_serial(lot.name)

    @api.depends("aftersales_warranty_card_ids.state")
    def _compute_aftersales_warranty_card_id(self):
        for lot in self:
            card = lot.aftersales_warranty_card_ids._aftersales_current()
            lot.aftersales_warranty_card_id = card
            lot.aftersales_warranty_state = card.state

    @api.model_create_multi
    def create(self, vals_list):
        lots = super().create(vals_list)
        lots._aftersales_link_request_lines()
        return lots

    def write(self, vals):
        res = super().write(vals)
        if "name" in vals or "product_id" in vals:
            self._aftersales_link_request_lines()
        return res

    def _aftersales_link_request_lines(self):
        """Devices registered at reception before their serial was known to stock get
        their lot (and so their warranty card) once the lot exists."""
        Line = self.env["aftersales.request.line"].sudo()
        serials = [serial for serial in self.mapped("aftersales_serial") if serial]
        if not serials:
            return
        lines = Line.search(
            [
                ("lot_id", "=", False),
                ("serial_number", "in", serials),
                ("product_id", "in", self.product_id.ids),
            ]
        )
        if lines:
            self.env.add_to_compute(Line._fields["lot_id"], lines)

    def action_view_aftersales_warranty_card(self):
        self.ensure_one()
        cards = self.aftersales_warranty_card_ids
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_warranty.aftersales_warranty_card_action"
        )
        if len(cards) == 1:
            action.update(views=[(False, "form")], res_id=cards.id)
        else:
            action["domain"] = [("lot_id", "=", self.id)]
        action["context"] = {}
        return action
