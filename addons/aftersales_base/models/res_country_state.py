from odoo import api, models
from odoo.osv import expression

from ..tools import IRAN_PROVINCES


class ResCountryState(models.Model):
    _inherit = "res.country.state"

    @api.depends_context("lang")
    def _compute_display_name(self):
        """Iranian provinces are stored with their Persian names (state names are not
        translatable in Odoo, and addresses are printed in Persian); a reader of another
        language also sees the English name: "Tehran / تهران (IR)"."""
        super()._compute_display_name()
        if (self.env.lang or "en_US").startswith("fa"):
            return
        for state in self:
            names = state.country_id.code == "IR" and IRAN_PROVINCES.get(state.code)
            if names and names[0] != state.name:
                state.display_name = f"{names[0]} / {state.name} ({state.country_id.code})"

    @api.model
    def _search_display_name(self, operator, value):
        # "Tehran" finds the province stored as "تهران".
        domain = super()._search_display_name(operator, value)
        if operator in ("ilike", "=ilike", "=") and isinstance(value, str) and value.strip():
            needle = value.strip().lower()
            codes = [
                code
                for code, (english, _persian) in IRAN_PROVINCES.items()
                if (needle in english.lower() if operator == "ilike" else needle == english.lower())
            ]
            if codes:
                domain = expression.OR(
                    [domain, [("country_id.code", "=", "IR"), ("code", "in", codes)]]
                )
        return domain
