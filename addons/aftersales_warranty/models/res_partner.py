from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_aftersales_dealer = fields.Boolean(
        "Dealer",
        index=True,
        help="A reseller: devices delivered to it get a warranty card in the dealer period "
        "(R-WAR-8) until they are sold on, installed or registered by the end customer.",
    )
    aftersales_warranty_card_count = fields.Integer(
        "Warranty Cards",
        compute="_compute_aftersales_warranty_card_count",
        groups="aftersales_base.group_aftersales_technician",
    )

    def _compute_aftersales_warranty_card_count(self):
        Card = self.env["aftersales.warranty.card"]
        commercial = self.commercial_partner_id
        counts = {}
        for field in ("partner_id", "dealer_id"):
            for partner, count in Card._read_group(
                [(field, "in", commercial.ids)], [field], ["__count"]
            ):
                counts[partner] = counts.get(partner, 0) + count
        for partner in self:
            partner.aftersales_warranty_card_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_aftersales_warranty_cards(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_warranty.aftersales_warranty_card_action"
        )
        commercial = self.commercial_partner_id.id
        action["domain"] = ["|", ("partner_id", "=", commercial), ("dealer_id", "=", commercial)]
        action["context"] = {}
        return action
