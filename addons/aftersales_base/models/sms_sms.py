"""Odoo's SMS queue through the company's own panel when one is configured."""

import logging

from psycopg2.extras import execute_values

from odoo import api, fields, models

from ..tools.sms_gateway import ERROR, RETRY, SENT, SmsMessage, sms_parts

_logger = logging.getLogger(__name__)

# Provider error texts (tools.sms_gateway) -> sms.sms failure types
FAILURE_TYPES = {
    "not enough credit": "sms_credit",
    "invalid API key": "sms_acc",
    "API key not allowed": "sms_acc",
    "invalid receptor": "sms_number_format",
}


class SmsSms(models.Model):
    _inherit = "sms.sms"

    aftersales_provider_ref = fields.Char("Provider Reference", index="btree_not_null", copy=False)
    aftersales_attempts = fields.Integer("Attempts", copy=False)
    aftersales_error = fields.Char("Provider Error", copy=False)
    aftersales_parts = fields.Integer("SMS Parts", compute="_compute_aftersales_parts")

    @api.depends("body")
    def _compute_aftersales_parts(self):
        for sms in self:
            sms.aftersales_parts = sms_parts(sms.body or "")[1]

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        provider = self.env["aftersales.sms.provider"]._for_company(self.env.company)
        if not provider:
            return super()._send(
                unlink_failed=unlink_failed,
                unlink_sent=unlink_sent,
                raise_exception=raise_exception,
            )
        adapter = provider._get_adapter()
        try:
            results = adapter.send([SmsMessage(sms.id, sms.number, sms.body or "") for sms in self])
        finally:
            adapter.close()
        _logger.info("Sent %s SMS through %s", len(self), provider.name)
        self._aftersales_apply_results(results, provider, unlink_failed)

    def _aftersales_apply_results(self, results, provider, unlink_failed):
        """One write per outcome, one UPDATE for the references: no write per message.

        A message the provider did not take (network error, 5xx) stays in the queue for
        the SMS cron, with the error shown, until ``max_attempts``.
        """
        records = self.sudo().with_context(sms_skip_msg_notification=True)
        by_id = {sms.id: sms for sms in records}
        groups = {}
        refs = []
        for result in results:
            sms = by_id[result.uid]
            attempts = sms.aftersales_attempts + 1
            if result.state == SENT:
                key = ("pending", False, False, attempts)
                refs.append((sms.id, result.provider_ref))
            elif result.state == RETRY and attempts < provider.max_attempts:
                key = ("outgoing", False, result.error, attempts)
            elif result.state == ERROR:
                key = (
                    "error",
                    FAILURE_TYPES.get(result.error, "sms_server"),
                    result.error,
                    attempts,
                )
            else:
                key = ("error", "sms_server", result.error, attempts)
            groups.setdefault(key, []).append(sms.id)
        for (state, failure, error, attempts), ids in groups.items():
            batch = records.browse(ids)
            vals = {
                "state": state,
                "failure_type": failure,
                "aftersales_error": error,
                "aftersales_attempts": attempts,
            }
            if state == "error" and unlink_failed:
                vals["to_delete"] = True
            batch.write(vals)
            if state == "pending":
                batch.sms_tracker_id._action_update_from_sms_state("pending")
            elif state == "error":
                batch.sms_tracker_id._action_update_from_sms_state("error", failure_type=failure)
        if refs:
            records.flush_recordset()
            execute_values(
                self.env.cr._obj,
                "UPDATE sms_sms SET aftersales_provider_ref = v.ref "
                "FROM (VALUES %s) AS v(id, ref) WHERE sms_sms.id = v.id",
                refs,
            )
            records.invalidate_recordset(["aftersales_provider_ref"])
        records.mail_message_id._notify_message_notification_update()
