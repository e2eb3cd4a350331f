"""Extended warranty on the card: what the credit note of a sold extension undoes, the
cards expiring soon and the extension offer to their owners (SMS or opportunity)."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression

SMS_TEMPLATE = "aftersales_warranty.sms_template_warranty_extension_offer"
UTM_SOURCE = "aftersales_warranty.utm_source_aftersales"


class AftersalesWarrantyCard(models.Model):
    _inherit = "aftersales.warranty.card"

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
