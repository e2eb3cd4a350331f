from odoo import api, fields, models
from odoo.modules.db import FunctionStatus
from odoo.tools.sql import create_index

from ..tools import normalize_phone

# The fields res.partner's display name search (``_rec_names_search``) ORs together: the
# search bar's "Customer" and every many2one to a contact search all of them.
TRIGRAM_FIELDS = ("complete_name", "email", "ref", "vat", "company_registry")


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_aftersales_agent = fields.Boolean(
        "Service Agent", index=True, help="An authorized service center that takes jobs."
    )
    aftersales_phone_e164 = fields.Char(
        "Phone (E.164)", compute="_compute_aftersales_phone_keys", store=True, index=True
    )
    aftersales_mobile_e164 = fields.Char(
        "Mobile (E.164)", compute="_compute_aftersales_phone_keys", store=True, index=True
    )
    aftersales_request_ids = fields.One2many(
        "aftersales.request", "partner_id", string="Service Requests"
    )
    aftersales_request_count = fields.Integer(
        "Service Request Count", compute="_compute_aftersales_counts"
    )
    aftersales_open_request_count = fields.Integer(
        "Open Service Requests", compute="_compute_aftersales_counts"
    )
    aftersales_closed_request_count = fields.Integer(
        "Closed Service Requests", compute="_compute_aftersales_counts"
    )
    aftersales_device_count = fields.Integer(
        "Serviced Devices", compute="_compute_aftersales_counts"
    )

    def init(self):
        super().init()
        # Finding a customer by part of a name is an ILIKE '%...%' on each of
        # TRIGRAM_FIELDS: without an index, a scan of every contact (half a second for
        # 300,000). PostgreSQL uses indexes for an OR only when every branch has one,
        # hence one trigram index a field, partial (most of these fields are empty).
        # Odoo creates pg_trgm with the database when it may; without it, nothing here.
        # Persian text needs a database with a UTF-8 LC_CTYPE: under "C", pg_trgm
        # sees no letters in it.
        registry = self.env.registry
        if not registry.has_trigram:
            return
        for fname in TRIGRAM_FIELDS:
            column = f'"{fname}"'
            if registry.has_unaccent == FunctionStatus.INDEXABLE:
                # Searches go through unaccent() then: index what they compare.
                column = registry.unaccent(column)
            create_index(
                self.env.cr,
                indexname=f"res_partner_{fname}_aftersales_trgm_idx",
                tablename=self._table,
                expressions=[f"{column} gin_trgm_ops"],
                method="gin",
                where=f'"{fname}" IS NOT NULL',
            )

    @api.depends("phone", "mobile", "country_id")
    def _compute_aftersales_phone_keys(self):
        default_region = self.env.company.country_id.code or "IR"
        for partner in self:
            region = partner.country_id.code or default_region
            partner.aftersales_phone_e164 = partner.phone and normalize_phone(partner.phone, region)
            partner.aftersales_mobile_e164 = partner.mobile and normalize_phone(
                partner.mobile, region
            )

    def _compute_aftersales_counts(self):
        commercial = self.commercial_partner_id
        Request = self.env["aftersales.request"]
        stats = {}
        for partner, is_closed, count in Request._read_group(
            [("commercial_partner_id", "in", commercial.ids)],
            ["commercial_partner_id", "is_closed"],
            ["__count"],
        ):
            stats.setdefault(partner, {True: 0, False: 0})[bool(is_closed)] += count
        devices = dict(
            self.env["aftersales.request.line"]._read_group(
                [("request_id.commercial_partner_id", "in", commercial.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        device_by_commercial = {}
        for partner, count in devices.items():
            key = partner.commercial_partner_id
            device_by_commercial[key] = device_by_commercial.get(key, 0) + count
        for partner in self:
            counts = stats.get(partner.commercial_partner_id, {True: 0, False: 0})
            partner.aftersales_open_request_count = counts[False]
            partner.aftersales_closed_request_count = counts[True]
            partner.aftersales_request_count = counts[False] + counts[True]
            partner.aftersales_device_count = device_by_commercial.get(
                partner.commercial_partner_id, 0
            )

    def action_view_aftersales_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_base.aftersales_request_action"
        )
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_view_aftersales_devices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_base.aftersales_request_line_action"
        )
        action["domain"] = [
            ("request_id.commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        return action
