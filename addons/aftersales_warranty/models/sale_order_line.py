"""Products sold without after-sales service (R-WAR-9): the seller is warned on the line."""

from odoo import api, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

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
