"""Warranty provision set aside vs the actual warranty cost, per product and month (R-FIN,
R-REP).

One row per company, product and accounting day: the views group them by month, and the
XLSX export by Gregorian month, or by Jalali month for Persian readers (a Gregorian month
bucket would split theirs)."""

from collections import defaultdict

from odoo import fields, models
from odoo.addons.aftersales_base.tools import build_xlsx, to_jalali
from odoo.tools import SQL


class AftersalesWarrantyProvisionReport(models.Model):
    _name = "aftersales.warranty.provision.report"
    _description = "Warranty Provision vs Warranty Cost"
    _auto = False
    _order = "date desc, product_id"
    _rec_name = "product_id"

    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product Template", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    provision_amount = fields.Monetary(
        "Provision",
        readonly=True,
        help="Net credit on the company's warranty provision account (provisions set aside "
        "less credit notes and reversals).",
    )
    cost_amount = fields.Monetary(
        "Actual Warranty Cost",
        readonly=True,
        help="Net debit on the company's warranty cost account.",
    )
    difference_amount = fields.Monetary(
        "Provision Left",
        readonly=True,
        help="Provision less actual cost: negative when the warranty cost more than was set aside.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT MIN(aml.id) AS id,
                   aml.company_id AS company_id,
                   company.currency_id AS currency_id,
                   aml.product_id AS product_id,
                   template.id AS product_tmpl_id,
                   template.categ_id AS categ_id,
                   aml.date AS date,
                   SUM(CASE WHEN aml.account_id = company.aftersales_provision_account_id
                            THEN aml.credit - aml.debit ELSE 0 END) AS provision_amount,
                   SUM(CASE WHEN aml.account_id = company.aftersales_warranty_cost_account_id
                            THEN aml.debit - aml.credit ELSE 0 END) AS cost_amount,
                   -- provision credits less cost debits, on the two accounts only
                   SUM(aml.credit - aml.debit) AS difference_amount
              FROM account_move_line aml
              JOIN res_company company ON company.id = aml.company_id
              JOIN product_product product ON product.id = aml.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
             WHERE aml.parent_state = 'posted'
               AND aml.account_id IN (company.aftersales_provision_account_id,
                                      company.aftersales_warranty_cost_account_id)
             GROUP BY aml.company_id, company.currency_id, aml.product_id, template.id,
                      template.categ_id, aml.date
            """
        )

    def _xlsx_export(self, domain):
        """Bytes of the XLSX of the report rows matching ``domain``: one row per month,
        company and product, in the reader's language and calendar."""
        persian = (self.env.lang or "en_US").startswith("fa")
        groups = self._read_group(
            domain,
            ["date:day", "company_id", "product_id"],
            ["provision_amount:sum", "cost_amount:sum", "difference_amount:sum"],
        )
        totals = defaultdict(lambda: [0.0, 0.0, 0.0])
        for day, company, product, provision, cost, difference in groups:
            if persian:
                jday = to_jalali(day)
                month = f"{jday.year:04d}/{jday.month:02d}"
            else:
                month = day.replace(day=1)
            total = totals[month, company, product]
            total[0] += provision
            total[1] += cost
            total[2] += difference
        columns = [
            (self.env._("Month"), "text" if persian else "date"),
            (self.env._("Company"), "text"),
            (self.env._("Product"), "text"),
            (self.env._("Provision"), "number"),
            (self.env._("Actual Warranty Cost"), "number"),
            (self.env._("Provision Left"), "number"),
        ]
        rows = [
            [
                month,
                company.name,
                product.display_name,
                *(company.currency_id.round(amount) for amount in amounts),
            ]
            for (month, company, product), amounts in sorted(
                totals.items(),
                key=lambda item: (item[0][0], item[0][1].name, item[0][2].display_name),
            )
        ]
        return build_xlsx(self.env._("Warranty Provision"), columns, rows, rtl=persian)

    def action_export_xlsx(self):
        """Download the selected rows as XLSX (all rows the user reads when none)."""
        url = "/aftersales/warranty/provision/xlsx"
        if self:
            url += "?ids=" + ",".join(map(str, self.ids))
        return {"type": "ir.actions.act_url", "url": url, "target": "self"}
