"""Offer an extended warranty to the owners of the selected cards (expiring soon)."""

from odoo import api, fields, models


class AftersalesWarrantyExtensionOffer(models.TransientModel):
    _name = "aftersales.warranty.extension.offer"
    _description = "Offer Warranty Extension"

    card_ids = fields.Many2many(
        "aftersales.warranty.card",
        "aftersales_warranty_extension_offer_card_rel",
        "wizard_id",
        "card_id",
        string="Cards",
        required=True,
    )
    channel = fields.Selection(
        [("sms", "SMS to the Customer"), ("opportunity", "Opportunity for the Sales Team")],
        required=True,
        default="sms",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        default=lambda self: self.env["crm.team"]._get_default_team_id(),
        help="The team the opportunities go to, unassigned, for the team to share out.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        active_ids = self.env.context.get("active_ids")
        if (
            "card_ids" in fields_list
            and not values.get("card_ids")
            and self.env.context.get("active_model") == "aftersales.warranty.card"
            and active_ids
        ):
            values["card_ids"] = [fields.Command.set(active_ids)]
        return values

    def action_confirm(self):
        self.ensure_one()
        cards = self.card_ids
        if self.channel == "sms":
            offered = cards._aftersales_offer_extension_sms()
            skipped = cards - offered
            message = self.env._(
                "Extension offer queued by SMS for %(count)s cards.", count=len(offered)
            )
            if skipped:
                message += " " + self.env._(
                    "Without a customer mobile number: %(cards)s.",
                    cards=", ".join(skipped.mapped("name")),
                )
        else:
            leads, skipped = cards._aftersales_offer_extension_opportunities(self.team_id)
            message = self.env._("%(count)s opportunities created.", count=len(leads))
            if skipped:
                message += " " + self.env._(
                    "Left out (an open opportunity already, or no customer): %(cards)s.",
                    cards=", ".join(skipped.mapped("name")),
                )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Warranty Extension Offer"),
                "message": message,
                "type": "warning" if skipped else "success",
                "sticky": bool(skipped),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
