"""Warranty provision set aside vs the actual warranty cost, per product and month (R-FIN,
R-REP)."""

from odoo import fields, models
from odoo.addons.aftersales_base.tools import build_xlsx
from odoo.tools import SQL


class AftersalesWarrantyProvisionReport(models.Model):
    _name = "aftersales.warranty.provision.report"
    _description = "Warranty Provision vs Warranty Cost"
    _auto = False
    _order = "date desc, product_id"
    _rec_name = "product_id"

    date = fields.Date("Month", readonly=True)
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
                   date_trunc('month', aml.date)::date AS date,
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
                      template.categ_id, date_trunc('month', aml.date)
            """
        )

    def _xlsx_export(self, domain):
        """Bytes of the XLSX of the report rows matching ``domain``, one row per company,
        product and month, in the reader's language."""
        persian = (self.env.lang or "en_US").startswith("fa")
        groups = self._read_group(
            domain,
            ["date:month", "company_id", "product_id"],
            ["provision_amount:sum", "cost_amount:sum", "difference_amount:sum"],
            order="date:month, company_id, product_id",
        )
        columns = [
            (self.env._("Month"), "date"),
            (self.env._("Company"), "text"),
            (self.env._("Product"), "text"),
            (self.env._("Provision"), "number"),
            (self.env._("Actual Warranty Cost"), "number"),
            (self.env._("Provision Left"), "number"),
        ]
        rows = [
            [month, company.name, product.display_name, provision, cost, difference]
            for month, company, product, provision, cost, difference in groups
        ]
        return build_xlsx(
            self.env._("Warranty Provision"), columns, rows, rtl=persian, jalali=persian
        )

    def action_export_xlsx(self):
        """Download the selected rows as XLSX (all rows the user reads when none)."""
        url = "/aftersales/warranty/provision/xlsx"
        if self:
            url += "?ids=" + ",".join(map(str, self.ids))
        return {"type": "ir.actions.act_url", "url": url, "target": "self"}
