"""Jobs in tests: what the code enqueued, as OCA queue_job stored it, and its execution
by queue_job's own runner code (without the runner's commit), shared by the addons.

queue_job's ``trap_jobs`` helper needs a newer Odoo 18 test framework than the one this
project runs on, and these tests want the jobs as the runner sees them anyway: stored
rows with their channel, identity key and arguments, run from the table.
"""

from unittest.mock import patch

from odoo.addons.queue_job.controllers.main import RunJobController
from odoo.addons.queue_job.job import Job


class JobCapture:
    """The jobs enqueued since this object was made, in test ``case``.

    It puts the registry in test mode for the rest of the test (unless it is already,
    as in an HttpCase): what a job writes through a cursor of its own, as its progress
    does (``registry.cursor()``), then goes to a test cursor on the test's transaction
    and is rolled back with it, never committed to the database.
    """

    def __init__(self, case):
        env = self.env = case.env
        if not env.registry.in_test_mode():
            env.registry.enter_test_mode(env.cr)
            case.addCleanup(env.registry.leave_test_mode)
        env.flush_all()
        env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM queue_job")
        self.start = env.cr.fetchone()[0]

    @property
    def records(self):
        self.env.flush_all()
        return self.env["queue.job"].sudo().search([("id", ">", self.start)], order="id")

    def of(self, method_name):
        return self.records.filtered(lambda job: job.method_name == method_name)

    def load(self, record):
        return Job.load(self.env, record.uuid)

    def run(self, records=None):
        """Run the waiting jobs in the order they were asked, as the job runner's HTTP
        worker does (``/queue_job/runjob``): perform, then mark done."""
        records = self.records if records is None else records
        for record in records.filtered(lambda job: job.state in ("pending", "enqueued")):
            RunJobController._runjob(self.env, self.load(record))
        self.env.invalidate_all()

    def fail(self, record, done, documents, message="Lost worker"):
        """Job ``record`` tried, reported ``done`` and ``documents``, then failed: its
        work was rolled back, only its progress row (its own cursor's) stays."""
        self.env["cluster.job.mixin"]._cluster_job_write_progress(
            self.env.cr, record.uuid, done, documents
        )
        record.write({"state": "failed", "exc_message": message})

    def run_observed(self, record, read=lambda record: ()):
        """Run the waiting jobs; after each progress report of ``record``'s job, what
        another cursor (``registry.cursor()``, a test cursor here) reads of its
        progress row, and ``read(record)`` (e.g. what its form shows then)."""
        Model = type(record)
        report = Model._cluster_job_report_progress
        seen = []

        def observe(this, done, documents=0):
            report(this, done, documents=documents)
            with record.env.registry.cursor() as cr:
                cr.execute(
                    "SELECT done, document_count FROM cluster_job_progress WHERE uuid = %s",
                    [record.cluster_job_uuid],
                )
                row = cr.fetchone()
            self.env.invalidate_all()
            seen.append((row, *read(record.browse(record.id))))

        with patch.object(Model, "_cluster_job_report_progress", observe):
            self.run()
        return seen
