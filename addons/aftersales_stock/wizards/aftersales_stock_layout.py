from odoo import api, fields, models


class AftersalesStockLayout(models.TransientModel):
    """Set up the after-sales warehouse layout of the current company: spare parts,
    consignment (one location per agent), defective cores, refurbishing."""

    _name = "aftersales.stock.layout"
    _description = "After-Sales Warehouse Layout"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse", required=True, domain="[('company_id', '=', company_id)]"
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        company = self.env.company
        warehouse = company.aftersales_stock_warehouse_id or self.env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        values.setdefault("warehouse_id", warehouse.id)
        return values

    def action_setup(self):
        self.ensure_one()
        self.company_id._aftersales_stock_layout(self.warehouse_id)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("The after-sales warehouse layout is ready."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
