# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
import math

from odoo import api, fields, models
from odoo.exceptions import AccessError

_logger = logging.getLogger(__name__)

# queue_job's states, as the user reads them on the record
JOB_STATES = {
    "wait_dependencies": "queued",
    "pending": "queued",
    "enqueued": "queued",
    "started": "running",
    "done": "done",
    "failed": "failed",
    "cancelled": "cancelled",
}


class ClusterJobMixin(models.AbstractModel):
    """A record whose long work runs as an OCA ``queue_job`` job.

    The record keeps the uuid of its last job and shows the job's state and error (read
    from ``queue.job``, which only job managers may open), its progress (reported by the
    job while it runs, ``_cluster_job_report_progress``, and written on the record when
    it ends) and, for managers, a button that requeues a failed job. The job posts what
    it made on the record and notifies the user who asked for it.
    """

    _name = "cluster.job.mixin"
    _description = "Cluster Background Job"

    cluster_job_uuid = fields.Char(string="Job", readonly=True, copy=False)
    cluster_job_state = fields.Selection(
        [
            ("queued", "Queued"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        string="Job state",
        compute="_compute_cluster_job",
    )
    cluster_job_error = fields.Char(string="Job error", compute="_compute_cluster_job")
    cluster_job_date_done = fields.Datetime(string="Job done", compute="_compute_cluster_job")
    cluster_job_progress_total = fields.Float(
        string="To do", readonly=True, copy=False, help="What the job has to do."
    )
    cluster_job_progress_done = fields.Float(
        string="Done", readonly=True, copy=False, help="What the job has done."
    )
    cluster_job_document_count = fields.Integer(string="Documents made", readonly=True, copy=False)
    # what the form shows: the job's own report while it runs, the record's figures after
    cluster_job_live_done = fields.Float(string="Done so far", compute="_compute_cluster_job")
    cluster_job_live_document_count = fields.Integer(
        string="Documents made so far", compute="_compute_cluster_job"
    )
    cluster_job_progress_display = fields.Char(
        string="Progress", compute="_compute_cluster_job", help="Done of what the job has to do."
    )

    @api.depends("cluster_job_uuid")
    def _compute_cluster_job(self):
        uuids = [uuid for uuid in self.mapped("cluster_job_uuid") if uuid]
        jobs = {}
        if uuids:
            # sudo: queue.job is for job managers; a user who reads the record sees the
            # state, the error message and the end of its own job, nothing else
            for job in (
                self.env["queue.job"]
                .sudo()
                .search_fetch(
                    [("uuid", "in", uuids)], ["uuid", "state", "exc_message", "date_done"]
                )
            ):
                jobs[job.uuid] = job
        progress = {}
        if uuids:
            # sudo: the job's progress is read with the record, like its state
            for row in (
                self.env["cluster.job.progress"]
                .sudo()
                .search_fetch([("uuid", "in", uuids)], ["uuid", "done", "document_count"])
            ):
                progress[row.uuid] = row
        for record in self:
            job = jobs.get(record.cluster_job_uuid)
            state = JOB_STATES.get(job.state) if job else False
            record.cluster_job_state = state
            record.cluster_job_error = job.exc_message if job and job.state == "failed" else False
            record.cluster_job_date_done = job.date_done if job else False
            # until the job ended, its own report (none before it started)
            live = (
                progress.get(record.cluster_job_uuid) if state in ("queued", "running") else None
            )
            record.cluster_job_live_done = live.done if live else record.cluster_job_progress_done
            record.cluster_job_live_document_count = (
                live.document_count if live else record.cluster_job_document_count
            )
            done = f"{record.cluster_job_live_done:g}"
            total = f"{record.cluster_job_progress_total:g}"
            record.cluster_job_progress_display = (
                self.env._("%(done)s of %(total)s", done=done, total=total) if state else False
            )

    # Enqueue ---------------------------------------------------------------------

    def _cluster_job_busy(self):
        """Whether the record's last job is still to run or running."""
        self.ensure_one()
        return self.cluster_job_state in ("queued", "running")

    def _cluster_job_enqueue(
        self, method, *args, channel, description, identity_key=None, total=0.0, **kwargs
    ):
        """Enqueue ``method`` of this record as a job and keep its uuid."""
        self.ensure_one()
        job = getattr(
            self.with_delay(channel=channel, description=description, identity_key=identity_key),
            method,
        )(*args, **kwargs)
        self.write(
            {
                "cluster_job_uuid": job.uuid,
                "cluster_job_progress_total": total,
                "cluster_job_progress_done": 0.0,
                "cluster_job_document_count": 0,
            }
        )
        return job

    def _cluster_job_queued_action(self, message):
        """The answer of a button that enqueued a job: a notification, then a reload."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Started in the background"),
                "message": message,
                "type": "info",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # Progress ------------------------------------------------------------------------

    @api.model
    def _cluster_job_progress_step(self, count):
        """How many of ``count`` items a job handles between two progress reports: about
        one report per tenth of the run, never one per item of a large run."""
        return max(1, math.ceil(count / 10))

    def _cluster_job_report_progress(self, done, documents=0):
        """While the job runs: ``done`` of what it has to do and ``documents`` made so
        far, visible to every reader at once. The job's own transaction commits only at
        its end (a failed try leaves nothing), so the report goes through a cursor of its
        own into ``cluster.job.progress``, a row the job's transaction never touches (an
        update of the record itself would make the job's final write fail to serialize).
        A job reports 0 when it starts, which clears what a failed try reported.
        Outside a job (a direct call) it does nothing.

        Tests that run a job in-process enter the registry's test mode (the shared
        ``JobCapture`` does), so this cursor is a test cursor on the test's transaction.
        """
        uuid = self.env.context.get("job_uuid")
        if not uuid:
            return
        with self.env.registry.cursor() as cr:
            self._cluster_job_write_progress(cr, uuid, done, documents)

    @api.model
    def _cluster_job_write_progress(self, cr, uuid, done, documents):
        cr.execute(
            """
            INSERT INTO cluster_job_progress (uuid, done, document_count)
            VALUES (%s, %s, %s)
            ON CONFLICT (uuid)
            DO UPDATE SET done = EXCLUDED.done, document_count = EXCLUDED.document_count
            """,
            (uuid, done, documents),
        )

    # Done, failed, retried ------------------------------------------------------------

    def _cluster_job_notify(self, message, level="success"):
        """Tell the user who asked (the job runs as them): a message on the record and a
        notification in their open browser tabs."""
        user = self.env.user
        for record in self:
            if hasattr(record, "message_post"):
                record.message_post(body=message, partner_ids=user.partner_id.ids)
        user._bus_send(
            "simple_notification",
            {
                "title": self.env._("Background run"),
                "message": message,
                "type": level,
                "sticky": level == "danger",
            },
        )

    def _cluster_job_failed(self, exc_info=None, exc_name=None, exc_message=None):
        """queue_job's on-fail hook (set on our job functions): the reason in words on
        the record and to the user. Runs in a transaction of its own after the job's was
        rolled back, so nothing of the job's work is left."""
        records = self.exists()
        if not records:
            return
        _logger.info("cluster job failed on %s: %s", records, exc_name)
        # what the failed try reported is not what exists (its work was rolled back)
        self.env["cluster.job.progress"]._cluster_clear(records.mapped("cluster_job_uuid"))
        records._cluster_job_notify(
            self.env._(
                "The background run failed: %(reason)s",
                reason=exc_message or exc_name or self.env._("unknown error"),
            ),
            level="danger",
        )

    def _cluster_job_can_retry(self):
        return self.env.user.has_group("cluster_base.cluster_base_group_manager")

    def action_cluster_job_retry(self):
        """Requeue the failed job (queue_job's own requeue); managers only."""
        if not self._cluster_job_can_retry():
            raise AccessError(self.env._("Only a cluster manager can retry a background run."))
        self.check_access("write")
        uuids = [r.cluster_job_uuid for r in self if r.cluster_job_state == "failed"]
        # sudo: queue.job is for job managers; the record's access was checked above
        jobs = self.env["queue.job"].sudo().search([("uuid", "in", uuids)])
        # the retry starts from nothing: no figure of the failed try is shown as progress
        self.env["cluster.job.progress"]._cluster_clear(uuids)
        jobs.requeue()
        return self._cluster_job_queued_action(
            self.env._("The run is queued again; you will be notified when it ends.")
        )


class ClusterJobProgress(models.Model):
    """What a running job has done so far, written by the job through a cursor of its
    own (``cluster.job.mixin._cluster_job_report_progress``) and read with the record
    whose job it is."""

    _name = "cluster.job.progress"
    _description = "Cluster Background Job Progress"
    _log_access = False

    uuid = fields.Char(string="Job", required=True, index=True)
    done = fields.Float(string="Done")
    document_count = fields.Integer(string="Documents made")

    _sql_constraints = [
        ("uuid_unique", "UNIQUE(uuid)", "A background run has one progress."),
    ]

    @api.model
    def _cluster_clear(self, uuids):
        """Forget what the jobs ``uuids`` reported (a failed try, a retry)."""
        # sudo: the rows are read and written for the record whose job it is
        self.sudo().search([("uuid", "in", [uuid for uuid in uuids if uuid])]).unlink()

    @api.autovacuum
    def _gc_ended_jobs(self):
        """The rows of jobs that ended (done, failed, cancelled) or are gone: the record
        shows its own figures then, the row is no longer read."""
        self.env["queue.job"].flush_model(["uuid", "state"])
        self.flush_model()
        self.env.cr.execute(
            """
            DELETE FROM cluster_job_progress p
             WHERE NOT EXISTS (
                   SELECT 1 FROM queue_job j
                    WHERE j.uuid = p.uuid
                      AND j.state IN ('wait_dependencies', 'pending', 'enqueued', 'started'))
            """
        )
        self.invalidate_model()
