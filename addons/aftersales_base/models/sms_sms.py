"""Odoo's SMS queue through the company's own panel when one is configured.

A message the panel did not take (unreachable, 5xx, time-out, 408/425/429) stays in the
queue with a next-try time: the queue run skips it until then, the delays grow
(``tools.sms_gateway.next_try_at``) and the queue cron is triggered for the earliest
one. After the provider's delivery deadline it goes to error (``sms_expired``) and the
provider's responsible user gets one to-do listing the messages given up.
"""

import logging
import threading
from datetime import timedelta

import psycopg2
from psycopg2.extras import execute_values

from odoo import api, fields, models
from odoo.tools.sql import create_index

from ..tools.sms_gateway import RETRY, SENT, SmsMessage, next_try_at, sms_parts

_logger = logging.getLogger(__name__)

# Provider error texts (tools.sms_gateway) -> sms.sms failure types
FAILURE_TYPES = {
    "not enough credit": "sms_credit",
    "invalid API key": "sms_acc",
    "API key not allowed": "sms_acc",
    "invalid receptor": "sms_number_format",
}

# Odoo's queue manager runs hourly: it is triggered for the earliest retry, never sooner
# than this after a run (a message left due by a failing run must not make a busy loop).
MIN_TRIGGER_DELAY = timedelta(minutes=1)


class _QueueRun:
    """What the batches of one ``send`` call share: one adapter (one connection pool, and
    its memory that the panel failed: later batches are not offered to it) and the
    messages given up, reported once at the end."""

    def __init__(self):
        self.adapters = {}
        self.expired = {}

    def adapter(self, provider):
        if provider.id not in self.adapters:
            self.adapters[provider.id] = provider._get_adapter()
        return self.adapters[provider.id]

    def close(self):
        for adapter in self.adapters.values():
            adapter.close()


class SmsSms(models.Model):
    _inherit = "sms.sms"

    failure_type = fields.Selection(selection_add=[("sms_expired", "Not Delivered in Time")])
    aftersales_provider_ref = fields.Char("Provider Reference", index="btree_not_null", copy=False)
    aftersales_attempts = fields.Integer("Attempts", copy=False, readonly=True)
    aftersales_error = fields.Char("Provider Error", copy=False, readonly=True)
    aftersales_first_try = fields.Datetime(
        "First Try",
        copy=False,
        readonly=True,
        help="When the message was first offered to the panel: its delivery deadline runs "
        "from here.",
    )
    # Indexed with the queue's own condition (see init): sent messages are kept for their
    # delivery reports, so the table grows while the queue stays small.
    aftersales_next_try = fields.Datetime(
        "Next Try",
        copy=False,
        readonly=True,
        help="The panel did not take the message: the queue tries it again at this time.",
    )
    aftersales_parts = fields.Integer("SMS Parts", compute="_compute_aftersales_parts")

    def init(self):
        create_index(
            self.env.cr,
            "sms_sms_aftersales_queue_index",
            self._table,
            ["aftersales_next_try", "id"],
            where="state = 'outgoing'",
        )
        return super().init()

    @api.depends("body")
    def _compute_aftersales_parts(self):
        for sms in self:
            sms.aftersales_parts = sms_parts(sms.body or "")[1]

    def action_set_outgoing(self):
        # Sent back to the queue by hand: a new delivery window, and soon.
        self._aftersales_reset_retries()
        res = super().action_set_outgoing()
        self._aftersales_trigger_queue(fields.Datetime.now())
        return res

    def resend_failed(self):
        self.filtered(lambda sms: sms.state == "error")._aftersales_reset_retries()
        return super().resend_failed()

    def send(self, unlink_failed=False, unlink_sent=True, auto_commit=False, raise_exception=False):
        if self.env.context.get("aftersales_sms_run"):
            return super().send(unlink_failed, unlink_sent, auto_commit, raise_exception)
        run = _QueueRun()
        try:
            res = super(SmsSms, self.with_context(aftersales_sms_run=run)).send(
                unlink_failed=unlink_failed,
                unlink_sent=unlink_sent,
                auto_commit=auto_commit,
                raise_exception=raise_exception,
            )
        finally:
            run.close()
        Provider = self.env["aftersales.sms.provider"].sudo()
        for provider_id, ids in run.expired.items():
            Provider.browse(provider_id)._notify_undelivered(self.sudo().browse(ids))
        return res

    @api.model
    def _process_queue(self, ids=None):
        """Odoo's queue run, skipping the messages that wait for their next try.

        Same contract as ``sms.sms._process_queue`` (which has the waiting filter nowhere
        to go: its domain is inline); the oldest messages first, so that a long outage does
        not starve them behind newer ones.
        """
        domain = [
            ("state", "=", "outgoing"),
            ("to_delete", "!=", True),
            "|",
            ("aftersales_next_try", "=", False),
            ("aftersales_next_try", "<=", fields.Datetime.now()),
        ]
        if ids:
            domain.append(("id", "in", list(ids)))
        todo = self.search(domain, order="id", limit=10000)
        res = None
        try:
            # auto-commit except in testing mode
            auto_commit = not getattr(threading.current_thread(), "testing", False)
            res = todo.send(
                unlink_failed=False,
                unlink_sent=True,
                auto_commit=auto_commit,
                raise_exception=False,
            )
            # Come back for the earliest waiting message (the queue manager is hourly).
            waiting = self.search(
                [
                    ("state", "=", "outgoing"),
                    ("to_delete", "!=", True),
                    ("aftersales_next_try", "!=", False),
                ],
                order="aftersales_next_try",
                limit=1,
            )
            if waiting:
                self._aftersales_trigger_queue(waiting.aftersales_next_try)
        except Exception:
            _logger.exception("Failed processing SMS queue")
        return res

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        provider = self.env["aftersales.sms.provider"]._for_company(self.env.company)
        if not provider:
            return super()._send(
                unlink_failed=unlink_failed,
                unlink_sent=unlink_sent,
                raise_exception=raise_exception,
            )
        todo = self._aftersales_lock_outgoing()
        if not todo:
            return
        run = self.env.context.get("aftersales_sms_run")
        adapter = run.adapter(provider) if run else provider._get_adapter()
        try:
            results = adapter.send([SmsMessage(sms.id, sms.number, sms.body or "") for sms in todo])
        finally:
            if not run:
                adapter.close()
        _logger.info("Sent %s SMS through %s", len(todo), provider.name)
        expired = todo._aftersales_apply_results(results, provider, unlink_failed)
        if expired:
            if run:
                run.expired.setdefault(provider.id, []).extend(expired.ids)
            else:
                provider._notify_undelivered(expired)

    def _aftersales_lock_outgoing(self):
        """The messages of ``self`` still in the queue, locked for this transaction.

        Two transactions sending at once (the cron and a "Send Now") never both take the
        same message: the rows one of them holds are skipped by the other, and a message
        the other has just settled is left alone.
        """
        self.flush_recordset()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "SELECT id FROM sms_sms WHERE id = ANY(%s) AND state = 'outgoing' "
                    "FOR UPDATE SKIP LOCKED",
                    [self.ids],
                )
                ids = {row[0] for row in self.env.cr.fetchall()}
        except psycopg2.errors.SerializationFailure:
            _logger.info("SMS batch %s is being sent by another transaction", self.ids)
            return self.browse()
        return self.filtered(lambda sms: sms.id in ids)

    def _aftersales_apply_results(self, results, provider, unlink_failed):
        """One write per outcome, one UPDATE for the references: no write per message.

        A message the provider did not take (unreachable, failing, rate-limiting) stays in
        the queue until its next try; past the provider's deadline it goes to error.
        Returns the messages given up that way.
        """
        records = self.sudo().with_context(sms_skip_msg_notification=True)
        by_id = {sms.id: sms for sms in records}
        now = fields.Datetime.now()
        hours = provider.retry_deadline_hours
        groups = {}
        refs = []
        expired_ids = []
        for result in results:
            sms = by_id[result.uid]
            attempts = sms.aftersales_attempts + 1
            vals = {"aftersales_attempts": attempts, "aftersales_next_try": False}
            if not sms.aftersales_first_try:
                vals["aftersales_first_try"] = now
            if result.state == SENT:
                vals.update(state="pending", failure_type=False, aftersales_error=False)
                refs.append((sms.id, result.provider_ref))
            elif result.state == RETRY:
                first_try = sms.aftersales_first_try or now
                next_try = next_try_at(now, first_try, attempts, hours, result.retry_after)
                if next_try:
                    vals.update(
                        state="outgoing",
                        failure_type=False,
                        aftersales_error=result.error,
                        aftersales_next_try=next_try,
                    )
                else:
                    expired_ids.append(sms.id)
                    vals.update(
                        state="error",
                        failure_type="sms_expired",
                        aftersales_error=self.env._(
                            "Not delivered within %(hours)s hours: %(error)s",
                            hours=hours,
                            error=result.error,
                        ),
                    )
            else:
                vals.update(
                    state="error",
                    failure_type=FAILURE_TYPES.get(result.error, "sms_server"),
                    aftersales_error=result.error,
                )
            groups.setdefault(tuple(sorted(vals.items())), []).append(sms.id)
        next_tries = []
        for key, ids in groups.items():
            vals = dict(key)
            batch = records.browse(ids)
            state, failure = vals["state"], vals["failure_type"]
            if state == "error" and unlink_failed:
                vals["to_delete"] = True
            batch.write(vals)
            if state == "pending":
                batch.sms_tracker_id._action_update_from_sms_state("pending")
            elif state == "error":
                batch.sms_tracker_id._action_update_from_sms_state("error", failure_type=failure)
            elif vals["aftersales_next_try"]:
                next_tries.append(vals["aftersales_next_try"])
        if next_tries:
            self._aftersales_trigger_queue(min(next_tries))
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
        return self.browse(expired_ids)

    def _aftersales_reset_retries(self):
        self.sudo().write(
            {"aftersales_first_try": False, "aftersales_next_try": False, "aftersales_attempts": 0}
        )

    @api.model
    def _aftersales_trigger_queue(self, when):
        """Have Odoo's queue manager run at ``when`` (not sooner than a minute from now)
        unless it already will: its hourly call or a pending trigger comes first."""
        cron = self.env.ref("sms.ir_cron_sms_scheduler_action", raise_if_not_found=False)
        if not cron:
            return
        cron = cron.sudo()
        now = fields.Datetime.now()
        when = max(when, now + MIN_TRIGGER_DELAY)
        if cron.active and now < cron.nextcall <= when:
            return
        # Triggers due now belong to the run in progress and are deleted when it ends.
        if (
            self.env["ir.cron.trigger"]
            .sudo()
            .search_count(
                [("cron_id", "=", cron.id), ("call_at", ">", now), ("call_at", "<=", when)], limit=1
            )
        ):
            return
        cron._trigger(at=when)
