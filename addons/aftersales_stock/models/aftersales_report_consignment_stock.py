"""Consignment stock per agent (R-STK-3, R-STK-7), as of now: what is on hand in each
agent's consignment location (company-owned, valued at the part's cost) and the open
consignment items, overdue or not. Quants and items are separate rows of the view so
that neither is counted twice when grouped."""

from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..tools import NUMBER, TEXT

SOURCES = [("quant", "Stock on Hand"), ("item", "Consignment Item")]


class AftersalesReportConsignmentStock(models.Model):
    _name = "aftersales.report.consignment.stock"
    _description = "Consignment Stock Report"
    _auto = False
    _order = "agent_id, product_id, id"
    _rec_name = "product_id"
    # Pending writes of these fields are flushed before the view is read.
    _depends = {
        "stock.quant": ["quantity", "location_id", "product_id", "company_id"],
        "stock.location": ["aftersales_agent_id"],
        "aftersales.consignment.item": [
            "company_id",
            "agent_id",
            "location_id",
            "product_id",
            "settle_by",
            "state",
            "quantity_open",
        ],
        "product.product": ["product_tmpl_id", "standard_price"],
        "product.template": ["categ_id"],
        "res.company": ["currency_id"],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    source = fields.Selection(SOURCES, readonly=True)
    agent_id = fields.Many2one("res.partner", "Service Agent", readonly=True)
    location_id = fields.Many2one("stock.location", "Consignment Location", readonly=True)
    product_id = fields.Many2one("product.product", "Part", readonly=True)
    categ_id = fields.Many2one("product.category", "Part Category", readonly=True)
    item_id = fields.Many2one("aftersales.consignment.item", "Consignment Item", readonly=True)
    settle_by = fields.Date(readonly=True)
    quantity = fields.Float("On Hand", readonly=True, digits="Product Unit of Measure")
    value = fields.Monetary(
        readonly=True, help="Quantity on hand at the part's cost in the company."
    )
    open_quantity = fields.Float(
        "Open Consignment", readonly=True, digits="Product Unit of Measure"
    )
    overdue_quantity = fields.Float(
        "Overdue",
        readonly=True,
        digits="Product Unit of Measure",
        help="Open consignment past its settle-by date.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %s AS (
                SELECT quant.id * 2 AS id,
                       quant.company_id AS company_id,
                       company.currency_id AS currency_id,
                       'quant' AS source,
                       location.aftersales_agent_id AS agent_id,
                       quant.location_id AS location_id,
                       quant.product_id AS product_id,
                       template.categ_id AS categ_id,
                       NULL::integer AS item_id,
                       NULL::date AS settle_by,
                       quant.quantity AS quantity,
                       quant.quantity * COALESCE(
                           (product.standard_price ->> quant.company_id::text)::numeric, 0.0
                       ) AS value,
                       0.0 AS open_quantity,
                       0.0 AS overdue_quantity
                  FROM stock_quant quant
                  JOIN stock_location location ON location.id = quant.location_id
                  JOIN res_company company ON company.id = quant.company_id
                  JOIN product_product product ON product.id = quant.product_id
                  JOIN product_template template ON template.id = product.product_tmpl_id
                 WHERE location.aftersales_agent_id IS NOT NULL
                UNION ALL
                SELECT item.id * 2 + 1 AS id,
                       item.company_id AS company_id,
                       company.currency_id AS currency_id,
                       'item' AS source,
                       item.agent_id AS agent_id,
                       item.location_id AS location_id,
                       item.product_id AS product_id,
                       template.categ_id AS categ_id,
                       item.id AS item_id,
                       item.settle_by AS settle_by,
                       0.0 AS quantity,
                       0.0 AS value,
                       item.quantity_open AS open_quantity,
                       CASE WHEN item.settle_by < CURRENT_DATE THEN item.quantity_open
                            ELSE 0.0 END AS overdue_quantity
                  FROM aftersales_consignment_item item
                  JOIN res_company company ON company.id = item.company_id
                  JOIN product_product product ON product.id = item.product_id
                  JOIN product_template template ON template.id = product.product_tmpl_id
                 WHERE item.state = 'open'
            )
            """,
                SQL.identifier(self._table),
            )
        )

    @api.model
    def _aftersales_xlsx_sheet(self, domain):
        """One row per agent and part."""
        groups = self._read_group(
            domain,
            ["agent_id", "product_id"],
            ["quantity:sum", "value:sum", "open_quantity:sum", "overdue_quantity:sum"],
        )
        groups.sort(key=lambda g: (g[0].display_name or "", g[1].display_name or ""))
        columns = [
            (self.env._("Service Agent"), TEXT),
            (self.env._("Part Code"), TEXT),
            (self.env._("Part"), TEXT),
            (self.env._("On Hand"), NUMBER),
            (self.env._("Value"), NUMBER),
            (self.env._("Open Consignment"), NUMBER),
            (self.env._("Overdue"), NUMBER),
        ]
        rows = [
            [
                agent.display_name,
                product.aftersales_part_code or "",
                product.display_name,
                quantity,
                value,
                open_quantity,
                overdue,
            ]
            for agent, product, quantity, value, open_quantity, overdue in groups
        ]
        return self.env._("Consignment Stock"), columns, rows
