from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from odoo.addons.queue_job.controllers.main import RunJobController
from odoo.addons.queue_job.job import Job

from .common import ClusterMembershipCommon
from .jobs_common import JobCapture


class MidRunError(Exception):
    """Stands for a lost worker or a serialization failure in the middle of a run."""


@tagged("post_install", "-at_install")
@freeze_time("2026-06-10")
class TestFeeRunJob(ClusterMembershipCommon):
    """The annual fee run as a queue_job job: enqueued by the button and the scheduled
    action, run once whatever is retried, its state and error on a record the user
    reopens."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.members = cls._active_membership(cls.firm_a) | cls._active_membership(cls.firm_b)

    def _wizard(self, user=None):
        form = Form(self.env["cluster.fee.run"].with_user(user or self.cluster_manager))
        form.year = 2026
        form.post = True
        return form.save()

    def _fee_moves(self):
        self.members.invalidate_recordset()
        return self.members.move_ids.filtered(lambda m: m.cluster_move_kind == "fee")

    def test_button_enqueues_on_money_channel_and_answers_at_once(self):
        wizard = self._wizard()
        jobs = JobCapture(self)
        action = wizard.action_run_job()
        request = self.env["cluster.job.request"].browse(action["res_id"])
        [job] = jobs.records
        self.assertEqual(job.uuid, request.cluster_job_uuid)
        self.assertEqual(job.records, request)
        self.assertEqual(job.method_name, "_cluster_job_run")
        model, values = job.args
        self.assertEqual(model, "cluster.fee.run")
        self.assertEqual(
            (values["year"], values["invoice_date"], values["post"]),
            (2026, wizard.invoice_date, True),
        )
        self.assertEqual(job.channel, "root.cluster.money")
        self.assertEqual(job.identity_key, f"cluster.fee.run:{self.env.company.id}:2026")
        self.assertEqual(job.user_id, self.cluster_manager)
        # nothing is invoiced before the job runs
        self.assertFalse(self._fee_moves())
        self.assertEqual(request.kind, "fee_run")
        self.assertEqual(request.cluster_job_state, "queued")
        self.assertEqual(request.cluster_job_progress_total, 2)
        jobs.run()
        self.assertEqual(request.cluster_job_state, "done")
        self.assertEqual(len(self._fee_moves()), 2)
        self.assertEqual(request.move_ids, self._fee_moves())
        self.assertEqual(request.cluster_job_progress_done, 2)
        self.assertEqual(request.cluster_job_document_count, 2)
        self.assertIn("2 fee invoices", request.summary)
        # the user who asked is told, on the record
        self.assertIn(self.cluster_manager.partner_id, request.message_ids[:1].partner_ids)

    def test_fee_run_reports_memberships_done_and_invoices_made(self):
        wizard = self._wizard()
        jobs = JobCapture(self)
        request = self.env["cluster.job.request"].browse(wizard.action_run_job()["res_id"])
        self.assertEqual(request.cluster_job_progress_display, "0 of 2")
        seen = jobs.run_observed(
            request.with_user(self.cluster_manager),
            lambda form: (form.cluster_job_progress_display, form.cluster_job_live_document_count),
        )
        # 0 at the start, then after each group of memberships (2: a group of one each)
        self.assertEqual(
            seen,
            [((0.0, 0), "0 of 2", 0), ((1.0, 1), "1 of 2", 1), ((2.0, 2), "2 of 2", 2)],
        )
        self.assertEqual(request.cluster_job_state, "done")
        self.assertEqual(request.cluster_job_progress_display, "2 of 2")
        self.assertEqual(request.cluster_job_live_document_count, 2)

    def test_a_run_reports_about_ten_times_whatever_its_size(self):
        Mixin = self.env["cluster.job.mixin"]
        self.assertEqual(Mixin._cluster_job_progress_step(2), 1)
        self.assertEqual(Mixin._cluster_job_progress_step(10), 1)
        self.assertEqual(Mixin._cluster_job_progress_step(11), 2)
        self.assertEqual(Mixin._cluster_job_progress_step(5000), 500)

    def test_a_retry_starts_from_no_progress_and_ended_rows_are_vacuumed(self):
        jobs = JobCapture(self)
        request = self.env["cluster.job.request"].browse(self._wizard().action_run_job()["res_id"])
        [record] = jobs.records
        # what a failed try reported stays in the table (its own cursor committed it)
        Progress = self.env["cluster.job.progress"]
        jobs.fail(record, 1.0, 1)
        request.invalidate_recordset()
        self.assertEqual(request.cluster_job_state, "failed")
        self.assertEqual(request.cluster_job_progress_display, "0 of 2")
        request.with_user(self.cluster_manager).action_cluster_job_retry()
        request.invalidate_recordset()
        self.assertEqual(request.cluster_job_state, "queued")
        self.assertEqual(request.cluster_job_progress_display, "0 of 2")
        self.assertEqual(request.cluster_job_live_document_count, 0)
        # a queued job's row stays; an ended job's row goes
        self.env["cluster.job.mixin"]._cluster_job_write_progress(self.env.cr, record.uuid, 0.0, 0)
        Progress._gc_ended_jobs()
        self.assertTrue(Progress.search_count([("uuid", "=", record.uuid)]))
        jobs.run()
        self.assertEqual(request.cluster_job_state, "done")
        self.assertEqual(len(self._fee_moves()), 2)
        Progress._gc_ended_jobs()
        self.assertFalse(Progress.search_count([("uuid", "=", record.uuid)]))

    def test_same_job_twice_invoices_once(self):
        jobs = JobCapture(self)
        self._wizard().action_run_job()
        [record] = jobs.records
        jobs.load(record).perform()
        jobs.load(record).perform()
        self.assertEqual(len(self._fee_moves()), 2)
        self.assertEqual(len(self.members.fee_line_ids), 2)

    def test_job_failing_mid_run_leaves_nothing_and_its_retry_invoices_once(self):
        Membership = type(self.env["cluster.membership"])
        jobs = JobCapture(self)
        self._wizard().action_run_job()
        [record] = jobs.records
        # the invoices are created, then the run dies: the job's transaction rolls back
        # (the savepoint stands for it)
        with (
            patch.object(Membership, "_fee_period", side_effect=MidRunError),
            self.assertRaises(MidRunError),
            self.env.cr.savepoint(),
        ):
            jobs.load(record).perform()
        self.env.invalidate_all()
        self.assertFalse(self._fee_moves())
        self.assertFalse(self.members.fee_line_ids)
        jobs.run()
        self.assertEqual(len(self._fee_moves()), 2)
        self.assertEqual(len(self.members.fee_line_ids), 2)

    def test_asked_twice_before_the_job_ran_is_one_run(self):
        jobs = JobCapture(self)
        first = self._wizard().action_run_job()
        second = self._wizard().action_run_job()
        self.assertEqual(first["res_id"], second["res_id"])
        self.assertEqual(len(jobs.records), 1)
        jobs.run()
        self.assertEqual(len(self._fee_moves()), 2)

    def test_scheduled_run_enqueues_the_same_job(self):
        jobs = JobCapture(self)
        requests = self.env["cluster.membership"]._cron_annual_fee_run()
        # one run per company, each the same job as the button's
        self.assertEqual(requests.company_id, self.env["res.company"].search([]))
        self.assertEqual(set(requests.mapped("kind")), {"fee_run"})
        self.assertEqual(
            self.env["cluster.job.request"].union(*(job.records for job in jobs.records)),
            requests,
        )
        self.assertEqual(set(jobs.records.mapped("channel")), {"root.cluster.money"})
        jobs.run()
        self.assertEqual(len(self._fee_moves()), 2)
        self.assertEqual(set(jobs.records.mapped("state")), {"done"})

    def test_failed_job_shows_its_reason_and_a_manager_requeues_it(self):
        jobs = JobCapture(self)
        request_action = self._wizard().action_run_job()
        request = self.env["cluster.job.request"].browse(request_action["res_id"])
        # the treasurer loses the manager role before the job runs: the job fails with
        # the reason in words, as queue_job's runner records it
        manager_group = self.env.ref("cluster_base.cluster_base_group_manager")
        self.cluster_manager.groups_id = [(3, manager_group.id)]
        # the runner stores the failure in a cursor of its own; here, the test's (as
        # queue_job's own tests of the runner do). Not assertRaises: Odoo's rolls back
        # to a savepoint, the stored failure with it.
        failure = None
        with (
            patch.object(Job, "in_temporary_env") as temp_env,
            mute_logger("odoo.addons.queue_job.controllers.main"),
        ):
            temp_env.return_value.__enter__.return_value = self.env
            try:
                RunJobController._runjob(self.env, jobs.load(jobs.records))
            except AccessError as exc:
                failure = exc
        self.assertTrue(failure, "the job fails")
        request.invalidate_recordset()
        self.assertEqual(request.cluster_job_state, "failed")
        self.assertEqual(request.cluster_job_error, failure.args[0])
        self.assertFalse(self._fee_moves())
        self.assertIn("The background run failed", request.message_ids[0].body)
        self.assertIn(failure.args[0][:40], request.message_ids[0].body)
        # a plain user may not retry; a manager may (queue_job's requeue)
        with self.assertRaises(AccessError):
            request.with_user(self.cluster_user).action_cluster_job_retry()
        self.cluster_manager.groups_id = [(4, manager_group.id)]
        request.with_user(self.cluster_manager).action_cluster_job_retry()
        request.invalidate_recordset()
        self.assertEqual(request.cluster_job_state, "queued")
        jobs.run()
        self.assertEqual(len(self._fee_moves()), 2)

    def test_a_user_sees_only_own_runs(self):
        request = self.env["cluster.job.request"].create(
            {"name": "Run", "kind": "fee_run", "user_id": self.cluster_manager.id}
        )
        Request = self.env["cluster.job.request"]
        self.assertFalse(Request.with_user(self.cluster_user).search([("id", "=", request.id)]))
        self.assertEqual(
            Request.with_user(self.cluster_manager).search([("id", "=", request.id)]), request
        )
        with self.assertRaises(AccessError):
            self._wizard(user=self.cluster_user).action_run_job()
