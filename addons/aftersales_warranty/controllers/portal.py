"""Customer portal "My Devices": the warranty cards a customer owns.

Portal users hold no access rights on warranty cards: every page reads through
``sudo()`` with the ownership domain of :meth:`_warranty_card_domain`, and the templates
get plain values (``_warranty_card_values``), never the card itself, so that a template
cannot show a field it was not meant to (the verification token, the dealer, notes).
"""

from odoo import fields, http
from odoo.addons.aftersales_base.controllers.portal import AftersalesPortal
from odoo.addons.aftersales_base.tools import normalize_serial
from odoo.http import content_disposition, request

from .main import warranty_facts

CARD_REPORT = "aftersales_warranty.action_report_warranty_card"
CARD_FIELDS = [
    "name",
    "product_id",
    "serial_number",
    "state",
    "start_date",
    "end_date",
    "policy_id",
    "lot_id",
    "dealer_id",
    "dealer_date",
    "dealer_deadline",
    "duration_months",
    "dealer_months",
    "extension_months",
    "replaced_by_id",
    "void_date",
    "void_reason_id",
    "start_rule",
]


class AftersalesWarrantyPortal(AftersalesPortal):
    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _warranty_card_domain(self):
        """Cards of the user's company (commercial partner) and of its contacts."""
        partner = request.env.user.partner_id.commercial_partner_id
        return [("partner_id", "child_of", partner.id)]

    def _warranty_get_card(self, card_id):
        """The card if the portal user owns it; ``None`` otherwise (the caller answers 404)."""
        Card = request.env["aftersales.warranty.card"].sudo()
        if request.env.user._is_public():
            return None
        card = Card.search([("id", "=", card_id), *self._warranty_card_domain()], limit=1)
        return card or None

    def _warranty_card_values(self, cards):
        """``[dict]``: what the portal shows of each card, in the order of ``cards``."""
        today = fields.Date.context_today(cards)
        rows = []
        for card in cards:
            facts = warranty_facts(card._warranty_result(today))
            rows.append(
                {
                    "id": card.id,
                    "url": f"/my/warranty-cards/{card.id}",
                    "name": card.name,
                    "product": facts["product"],
                    "serial": card.serial_number,
                    "status": facts["status"],
                    "status_label": facts["status_label"],
                    "covered": facts["covered"],
                    "start_date": card.start_date,
                    "end_date": facts["end_date"],
                }
            )
        return rows

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "aftersales_warranty_card_count" in counters:
            values["aftersales_warranty_card_count"] = (
                request.env["aftersales.warranty.card"]
                .sudo()
                .search_count(self._warranty_card_domain())
            )
        return values

    # ------------------------------------------------------------------
    # Routes
    # ------------------------------------------------------------------

    @http.route(
        ["/my/warranty-cards", "/my/warranty-cards/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_warranty_cards(self, page=1, sortby=None, search=None, **kw):
        env = request.env
        values = self._prepare_portal_layout_values()
        sortings = {
            "date": {"label": env._("Newest"), "order": "issue_date desc, id desc"},
            "end": {"label": env._("Warranty End"), "order": "end_date, id desc"},
            "product": {"label": env._("Product"), "order": "product_id, id desc"},
        }
        domain = self._warranty_card_domain()
        if search:
            domain += [
                "|",
                ("serial_number", "=", normalize_serial(search)),
                ("product_id.name", "ilike", search),
            ]
        cards, pager, sortby = self._aftersales_page(
            "aftersales.warranty.card",
            domain,
            "/my/warranty-cards",
            sortings,
            sortby,
            search,
            page,
            CARD_FIELDS,
        )
        cards.product_id.fetch(["name"])
        values.update(
            {
                "warranty_cards": self._warranty_card_values(cards),
                "page_name": "aftersales_warranty_card",
                "default_url": "/my/warranty-cards",
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "search": search or "",
            }
        )
        return request.render("aftersales_warranty.portal_my_warranty_cards", values)

    @http.route("/my/warranty-cards/<int:card_id>", type="http", auth="user", website=True)
    def portal_warranty_card(self, card_id, **kw):
        card = self._warranty_get_card(card_id)
        if not card:
            raise request.not_found()
        env = request.env
        values = self._prepare_portal_layout_values()
        row = self._warranty_card_values(card)[0]
        policy = card.policy_id
        row.update(
            {
                "policy": policy.name,
                "months": card._total_months(),
                "cover_parts": card.cover_parts,
                "cover_labour": card.cover_labour,
                "cover_travel": card.cover_travel,
                "pdf_url": f"/my/warranty-cards/{card.id}/card",
                "has_pdf": bool(env.ref(CARD_REPORT, raise_if_not_found=False)),
            }
        )
        # The requests on this serial that the customer may see: their own.
        requests = (
            env["aftersales.request"]
            .sudo()
            .search_fetch(
                [*self._aftersales_domain(), ("line_ids.lot_id", "=", card.lot_id.id)],
                ["name", "request_date", "stage_id", "service_type_id"],
                order="request_date desc, id desc",
            )
        )
        values.update(
            {
                "warranty_card": row,
                "service_requests": [
                    {
                        "name": sr.name,
                        "url": sr.access_url,
                        "date": sr.request_date,
                        "service": sr.service_type_id.name,
                        "stage": sr.stage_id.name,
                    }
                    for sr in requests
                ],
                "page_name": "aftersales_warranty_card",
            }
        )
        return request.render("aftersales_warranty.portal_warranty_card_page", values)

    @http.route("/my/warranty-cards/<int:card_id>/card", type="http", auth="user", website=True)
    def portal_warranty_card_pdf(self, card_id, **kw):
        card = self._warranty_get_card(card_id)
        if not card:
            raise request.not_found()
        pdf, _type = (
            request.env["ir.actions.report"].sudo()._render_qweb_pdf(CARD_REPORT, [card.id])
        )
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", content_disposition(f"{card.name}.pdf")),
            ],
        )
