"""One row per public warranty check: what the rate limit of the public form counts.

A check writes nothing else, so without this log the form could be used to walk
through serial numbers. No serial number is kept: only the address and the time.
"""

from datetime import timedelta

from odoo import api, fields, models

# Rows older than this are of no use to the hourly limit.
KEEP = timedelta(days=1)


class AftersalesWarrantyCheckLog(models.Model):
    _name = "aftersales.warranty.check.log"
    _description = "Public Warranty Check"
    _order = "date desc, id desc"
    _log_access = False

    ip = fields.Char("Address", required=True, index=True, readonly=True)
    date = fields.Datetime(required=True, index=True, readonly=True, default=fields.Datetime.now)

    @api.model
    def _recent_count(self, ip, since):
        return self.sudo().search_count([("ip", "=", ip), ("date", ">=", since)])

    @api.model
    def _log_check(self, ip):
        return self.sudo().create([{"ip": ip}])

    @api.autovacuum
    def _gc_old_checks(self):
        self.sudo().search([("date", "<", fields.Datetime.now() - KEEP)]).unlink()
