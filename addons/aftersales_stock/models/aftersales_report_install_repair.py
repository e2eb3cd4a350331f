"""Installations against warranty repairs per device product (R-STK-7), for production
and import planning. Rows: approved installation reports, approved warranty repair
reports (the warranty check or a manager's override put them in the warranty period)
and the warranty cards started (a replacement card is not a new device). A pivot cannot
divide two sums: the repair rate per product is in the XLSX export."""

from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..tools import INTEGER, PERCENT, TEXT

SOURCES = [
    ("installation", "Installation Report"),
    ("repair", "Warranty Repair Report"),
    ("card", "Warranty Card"),
]


class AftersalesReportInstallRepair(models.Model):
    _name = "aftersales.report.install.repair"
    _description = "Installations and Warranty Repairs Report"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "product_id"
    # Pending writes of these fields are flushed before the view is read.
    _depends = {
        "aftersales.work.report": [
            "approved_date",
            "state",
            "company_id",
            "report_type",
            "agent_id",
            "product_id",
        ],
        "aftersales.warranty.card": [
            "start_date",
            "company_id",
            "product_id",
            "state",
            "replacement_of_id",
        ],
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id"],
    }

    date = fields.Date(
        readonly=True,
        help="Approval day of the work report (UTC), or the start of the warranty card.",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    source = fields.Selection(SOURCES, readonly=True)
    product_id = fields.Many2one("product.product", "Device Product", readonly=True)
    categ_id = fields.Many2one("product.category", "Product Category", readonly=True)
    agent_id = fields.Many2one("res.partner", "Service Agent", readonly=True)
    report_id = fields.Many2one("aftersales.work.report", "Work Report", readonly=True)
    card_id = fields.Many2one("aftersales.warranty.card", "Warranty Card", readonly=True)
    installed = fields.Integer("Installations", readonly=True)
    card_count = fields.Integer("Warranty Cards Started", readonly=True)
    repaired = fields.Integer("Warranty Repairs", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %s AS (
                SELECT report.id * 2 AS id,
                       (report.approved_date)::date AS date,
                       report.company_id AS company_id,
                       CASE WHEN report.report_type = 'installation'
                            THEN 'installation' ELSE 'repair' END AS source,
                       report.product_id AS product_id,
                       template.categ_id AS categ_id,
                       report.agent_id AS agent_id,
                       report.id AS report_id,
                       NULL::integer AS card_id,
                       CASE WHEN report.report_type = 'installation' THEN 1 ELSE 0 END
                           AS installed,
                       0 AS card_count,
                       CASE WHEN report.report_type = 'warranty_repair' THEN 1 ELSE 0 END
                           AS repaired
                  FROM aftersales_work_report report
                  JOIN product_product product ON product.id = report.product_id
                  JOIN product_template template ON template.id = product.product_tmpl_id
                 WHERE report.state = 'approved'
                   AND report.report_type IN ('installation', 'warranty_repair')
                UNION ALL
                SELECT card.id * 2 + 1 AS id,
                       card.start_date AS date,
                       card.company_id AS company_id,
                       'card' AS source,
                       card.product_id AS product_id,
                       template.categ_id AS categ_id,
                       NULL::integer AS agent_id,
                       NULL::integer AS report_id,
                       card.id AS card_id,
                       0 AS installed,
                       1 AS card_count,
                       0 AS repaired
                  FROM aftersales_warranty_card card
                  JOIN product_product product ON product.id = card.product_id
                  JOIN product_template template ON template.id = product.product_tmpl_id
                 WHERE card.start_date IS NOT NULL
                   AND card.state != 'voided'
                   AND card.replacement_of_id IS NULL
            )
            """,
                SQL.identifier(self._table),
            )
        )

    @api.model
    def _aftersales_xlsx_sheet(self, domain):
        """One row per device product with the repair rate: warranty repairs per
        installation and per warranty card started in the period."""
        groups = self._read_group(
            domain, ["product_id"], ["installed:sum", "card_count:sum", "repaired:sum"]
        )
        groups.sort(key=lambda g: (-g[3], g[0].display_name))
        columns = [
            (self.env._("Device Product"), TEXT),
            (self.env._("Installations"), INTEGER),
            (self.env._("Warranty Cards Started"), INTEGER),
            (self.env._("Warranty Repairs"), INTEGER),
            (self.env._("Repairs per Installation"), PERCENT),
            (self.env._("Repairs per Warranty Card"), PERCENT),
        ]
        rows = [
            [
                product.display_name,
                installed,
                cards,
                repaired,
                repaired / installed if installed else None,
                repaired / cards if cards else None,
            ]
            for product, installed, cards, repaired in groups
        ]
        return self.env._("Installations and Repairs"), columns, rows
