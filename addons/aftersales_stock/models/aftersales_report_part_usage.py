"""Parts used on approved work reports (R-STK-7): the most-used parts per period, part,
device and agent, for purchasing. One row per part line (voided lines left out); the
cost is what the consumption stock move took out of the valuation."""

from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..tools import INTEGER, NUMBER, TEXT

REPORT_TYPES = [
    ("installation", "Installation"),
    ("warranty_repair", "Warranty Repair"),
    ("paid_repair", "Paid Repair"),
    ("periodic_service", "Periodic Service"),
]


class AftersalesReportPartUsage(models.Model):
    _name = "aftersales.report.part.usage"
    _description = "Parts Usage Report"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "product_id"
    # Pending writes of these fields are flushed before the view is read.
    _depends = {
        "aftersales.work.report.part": ["report_id", "product_id", "quantity", "voided"],
        "aftersales.work.report": [
            "approved_date",
            "state",
            "company_id",
            "report_type",
            "agent_id",
            "product_id",
            "categ_id",
        ],
        "stock.move": ["aftersales_work_report_part_id"],
        "stock.valuation.layer": ["stock_move_id", "value"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["aftersales_part_code", "categ_id"],
        "res.company": ["currency_id"],
    }

    date = fields.Date("Approved On", readonly=True, help="Day the work report was approved (UTC).")
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    report_id = fields.Many2one("aftersales.work.report", "Work Report", readonly=True)
    report_type = fields.Selection(REPORT_TYPES, "Work", readonly=True)
    agent_id = fields.Many2one("res.partner", "Service Agent", readonly=True)
    product_id = fields.Many2one("product.product", "Part", readonly=True)
    part_code = fields.Char(readonly=True)
    categ_id = fields.Many2one("product.category", "Part Category", readonly=True)
    device_product_id = fields.Many2one("product.product", readonly=True)
    device_categ_id = fields.Many2one("product.category", "Device Category", readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    cost = fields.Monetary(
        readonly=True, help="Value the consumption stock move took out of the inventory."
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %s AS (
                SELECT part.id AS id,
                       (report.approved_date)::date AS date,
                       report.company_id AS company_id,
                       company.currency_id AS currency_id,
                       report.id AS report_id,
                       report.report_type AS report_type,
                       report.agent_id AS agent_id,
                       part.product_id AS product_id,
                       template.aftersales_part_code AS part_code,
                       template.categ_id AS categ_id,
                       report.product_id AS device_product_id,
                       report.categ_id AS device_categ_id,
                       part.quantity AS quantity,
                       COALESCE(valuation.cost, 0.0) AS cost
                  FROM aftersales_work_report_part part
                  JOIN aftersales_work_report report ON report.id = part.report_id
                  JOIN res_company company ON company.id = report.company_id
                  JOIN product_product product ON product.id = part.product_id
                  JOIN product_template template ON template.id = product.product_tmpl_id
             LEFT JOIN (
                        SELECT move.aftersales_work_report_part_id AS part_id,
                               -SUM(layer.value) AS cost
                          FROM stock_move move
                          JOIN stock_valuation_layer layer ON layer.stock_move_id = move.id
                         WHERE move.aftersales_work_report_part_id IS NOT NULL
                         GROUP BY move.aftersales_work_report_part_id
                       ) valuation ON valuation.part_id = part.id
                 WHERE report.state = 'approved'
                   AND part.voided IS NOT TRUE
            )
            """,
                SQL.identifier(self._table),
            )
        )

    @api.model
    def _aftersales_xlsx_sheet(self, domain):
        """Columns and rows of the export: one row per part, most used first."""
        groups = self._read_group(
            domain, ["product_id"], ["quantity:sum", "cost:sum", "report_id:count_distinct"]
        )
        groups.sort(key=lambda g: (-g[1], g[0].display_name))
        columns = [
            (self.env._("Part Code"), TEXT),
            (self.env._("Part"), TEXT),
            (self.env._("Part Category"), TEXT),
            (self.env._("Quantity Used"), NUMBER),
            (self.env._("Work Reports"), INTEGER),
            (self.env._("Cost"), NUMBER),
        ]
        rows = [
            [
                product.aftersales_part_code or "",
                product.display_name,
                product.categ_id.display_name,
                quantity,
                reports,
                cost,
            ]
            for product, quantity, cost, reports in groups
        ]
        return self.env._("Most-Used Parts"), columns, rows
