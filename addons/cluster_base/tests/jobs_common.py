"""Jobs in tests: what the code enqueued, as OCA queue_job stored it, and its execution
by queue_job's own runner code (without the runner's commit), shared by the addons.

queue_job's ``trap_jobs`` helper needs a newer Odoo 18 test framework than the one this
project runs on, and these tests want the jobs as the runner sees them anyway: stored
rows with their channel, identity key and arguments, run from the table.
"""

from odoo.addons.queue_job.controllers.main import RunJobController
from odoo.addons.queue_job.job import Job


class JobCapture:
    """The jobs enqueued since this object was made."""

    def __init__(self, env):
        self.env = env
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
