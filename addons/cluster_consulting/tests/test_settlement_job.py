from datetime import date
from unittest.mock import patch

from odoo import sql_db
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.cluster_base.tests.jobs_common import JobCapture

from .common import ConsultingCommon

YEAR = 2037  # far from the demo hours, which are dated around today


class MidRunError(Exception):
    """Stands for a lost worker or a serialization failure in the middle of a run."""


@tagged("post_install", "-at_install")
class TestSettlementJob(ConsultingCommon):
    """The settlement run and the statement mailing as queue_job jobs on the money
    channel: the button answers at once, the job settles each hour once however often
    it is run or retried, and the form shows its state and progress."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.date_from = date(YEAR, 1, 1)
        cls.date_to = date(YEAR, 12, 31)
        cls.treasurer = new_test_user(
            cls.env,
            login="job_treasurer",
            groups="cluster_base.cluster_base_group_manager,account.group_account_invoice",
        )
        cls.agreement_a = cls._activate(cls._create_agreement(hour_cap=60.0))
        cls.agreement_b = cls._activate(
            cls._create_agreement(
                expert_id=cls.expert_b.id,
                buyer_kind="member",
                buyer_id=cls.firm_a.id,
                fee_percent=10.0,
                hour_cap=40.0,
            )
        )
        cls.hours = cls.env["account.analytic.line"]
        for day in (2, 3, 4):
            cls.hours |= cls._log(cls.agreement_a, date(YEAR, 3, day), 4.0)
        cls.hours |= cls._log(cls.agreement_b, date(YEAR, 3, 2), 5.0)
        cls.hours.with_user(cls.cluster_manager).action_cluster_submit()
        cls.hours.with_user(cls.cluster_manager).action_cluster_approve()

    def _settlement(self):
        return (
            self.env["cluster.settlement"]
            .with_user(self.treasurer)
            .create({"date_from": date(YEAR, 3, 1), "date_to": date(YEAR, 3, 31)})
        )

    def _assert_settled_once(self, settlement):
        # 2 bills (one per lender) and 1 invoice (the member buyer); each hour on one
        # bill line, the bought hour on one invoice line
        self.assertEqual(len(settlement.move_ids), 3)
        for hour in self.hours:
            self.assertEqual(len(hour.cluster_bill_line_id), 1)
        self.assertEqual(
            sum(
                settlement.move_ids.invoice_line_ids.filtered(
                    lambda line: line.move_id.move_type == "in_invoice"
                ).mapped("quantity")
            ),
            17.0,
        )
        self.assertEqual(settlement.unbilled_hours, 0.0)

    def test_button_enqueues_and_the_job_settles(self):
        settlement = self._settlement()
        jobs = JobCapture(self)
        action = settlement.action_run_job()
        self.assertEqual(action["tag"], "display_notification")
        [job] = jobs.records
        self.assertEqual((job.records, job.method_name), (settlement, "_cluster_job_run"))
        self.assertEqual(job.channel, "root.cluster.money")
        self.assertEqual(job.identity_key, f"cluster.settlement.run:{settlement.id}")
        self.assertEqual(job.user_id, self.treasurer)
        # the button made nothing: the job does
        self.assertFalse(settlement.move_ids)
        self.assertEqual(settlement.cluster_job_state, "queued")
        self.assertEqual(settlement.cluster_job_progress_total, 17.0)
        jobs.run()
        self._assert_settled_once(settlement)
        self.assertEqual(settlement.state, "done")
        self.assertEqual(settlement.cluster_job_state, "done")
        self.assertEqual(settlement.cluster_job_progress_done, 17.0)
        self.assertEqual(settlement.cluster_job_document_count, 3)
        # the user who asked is told, on the settlement
        message = settlement.message_ids[0]
        self.assertIn("3 documents made", message.body)
        self.assertIn(self.treasurer.partner_id, message.partner_ids)

    def _observe_progress(self, jobs, settlement):
        """The progress rows read after each report, with what the form shows then."""
        return jobs.run_observed(
            settlement.with_user(self.treasurer),
            lambda form: (form.cluster_job_state, form.cluster_job_progress_display),
        )

    def test_progress_is_reported_while_the_job_runs(self):
        settlement = self._settlement()
        jobs = JobCapture(self)
        settlement.action_run_job()
        [record] = jobs.records
        self.assertEqual(settlement.cluster_job_progress_display, "0 of 17")
        seen = self._observe_progress(jobs, settlement)
        # 0 at the start, then after each group of documents (3 documents: a group of
        # one each): the hours on the bills made so far, the documents made so far
        self.assertEqual(len(seen), 4, seen)
        self.assertEqual(seen[0], ((0.0, 0), "queued", "0 of 17"))
        first_bill_hours = seen[1][0][0]
        self.assertIn(first_bill_hours, (12.0, 5.0))
        self.assertEqual(seen[1][0][1], 1)
        self.assertEqual(seen[1][2], f"{first_bill_hours:g} of 17")
        self.assertEqual(seen[2][0], (17.0, 2))
        self.assertEqual(seen[3], ((17.0, 3), "queued", "17 of 17"))
        # ended: the record's own figures; the row is no longer read, and vacuumed
        self.assertEqual(settlement.cluster_job_state, "done")
        self.assertEqual(settlement.cluster_job_progress_display, "17 of 17")
        self.assertEqual(settlement.cluster_job_live_document_count, 3)
        Progress = self.env["cluster.job.progress"]
        self.assertTrue(Progress.search_count([("uuid", "=", record.uuid)]))
        Progress._gc_ended_jobs()
        self.assertFalse(Progress.search_count([("uuid", "=", record.uuid)]))

    def test_progress_of_a_test_is_never_committed(self):
        settlement = self._settlement()
        jobs = JobCapture(self)
        settlement.action_run_job()
        [record] = jobs.records
        self._observe_progress(jobs, settlement)
        self.assertTrue(
            self.env["cluster.job.progress"].search_count([("uuid", "=", record.uuid)])
        )
        # a connection of its own, outside the test's transaction, sees no row
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            cr.execute("SELECT COUNT(*) FROM cluster_job_progress WHERE uuid = %s", [record.uuid])
            self.assertEqual(cr.fetchone()[0], 0)

    def test_a_retried_run_starts_its_progress_from_nothing(self):
        settlement = self._settlement()
        jobs = JobCapture(self)
        settlement.action_run_job()
        [record] = jobs.records
        # a failed try reported 2 documents, then its work was rolled back
        jobs.fail(record, 12.0, 2)
        settlement.invalidate_recordset()
        self.assertEqual(settlement.cluster_job_state, "failed")
        settlement.with_user(self.treasurer).action_cluster_job_retry()
        settlement.invalidate_recordset()
        self.assertEqual(settlement.cluster_job_state, "queued")
        self.assertEqual(settlement.cluster_job_progress_display, "0 of 17")
        self.assertEqual(settlement.cluster_job_live_document_count, 0)
        seen = self._observe_progress(jobs, settlement)
        self.assertEqual(seen[0][0], (0.0, 0))
        self._assert_settled_once(settlement)

    def test_a_run_outside_a_job_reports_no_progress(self):
        settlement = self._settlement()
        settlement.action_run()
        self.assertFalse(self.env["cluster.job.progress"].search_count([]))
        self.assertEqual(settlement.cluster_job_live_done, 0.0)

    def test_only_a_manager_starts_the_job(self):
        settlement = self._settlement()
        jobs = JobCapture(self)
        with self.assertRaises(AccessError):
            settlement.with_user(self.board_user).action_run_job()
        self.assertFalse(jobs.records)

    def test_same_job_twice_settles_once(self):
        settlement = self._settlement()
        jobs = JobCapture(self)
        settlement.action_run_job()
        [record] = jobs.records
        jobs.load(record).perform()
        jobs.load(record).perform()
        self.env.invalidate_all()
        self._assert_settled_once(settlement)
        self.assertEqual(settlement.cluster_job_document_count, 0, "the rerun made nothing")

    def test_job_failing_mid_run_leaves_nothing_and_its_retry_settles_once(self):
        settlement = self._settlement()
        Settlement = type(self.env["cluster.settlement"])
        jobs = JobCapture(self)
        settlement.action_run_job()
        [record] = jobs.records
        # the hours' bills and invoices are made and linked, then the run dies before
        # the cost shares: the job's transaction rolls back (the savepoint stands for it)
        with (
            patch.object(Settlement, "_run_cost_shares", side_effect=MidRunError),
            self.assertRaises(MidRunError),
            self.env.cr.savepoint(),
        ):
            jobs.load(record).perform()
        self.env.invalidate_all()
        self.assertFalse(settlement.move_ids)
        self.assertFalse(self.hours.cluster_bill_line_id)
        self.assertEqual(settlement.state, "draft")
        jobs.run()
        self._assert_settled_once(settlement)
        self.assertEqual(settlement.cluster_job_state, "done")

    def test_asked_twice_before_the_job_ran_is_one_job(self):
        settlement = self._settlement()
        jobs = JobCapture(self)
        settlement.action_run_job()
        self.assertEqual(settlement.cluster_job_state, "queued")
        action = settlement.action_run_job()
        self.assertIn("already queued", action["params"]["message"])
        self.assertEqual(len(jobs.records), 1)
        # the statements wait for the run
        with self.assertRaises(UserError):
            settlement.action_send_statements_job()
        jobs.run()
        self._assert_settled_once(settlement)

    def test_job_of_a_deleted_settlement_makes_nothing(self):
        settlement = self._settlement()
        jobs = JobCapture(self)
        settlement.action_run_job()
        settlement.unlink()
        jobs.run()
        self.assertEqual(jobs.records.state, "done")
        self.assertIn("deleted", jobs.records.result)
        self.assertFalse(self.hours.cluster_bill_line_id)

    def test_statements_job_queues_the_mails(self):
        settlement = self._settlement()
        settlement.action_run()
        jobs = JobCapture(self)
        settlement.action_send_statements_job()
        [job] = jobs.records
        self.assertEqual(job.method_name, "_cluster_job_send_statements")
        self.assertEqual(job.channel, "root.cluster.money")
        jobs.run()
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "cluster.settlement"),
                ("res_id", "=", settlement.id),
                ("attachment_ids", "!=", False),
            ]
        )
        self.assertEqual(len(mails), 2)
        self.assertEqual(settlement.cluster_job_document_count, 2)

    def test_statements_go_out_once_unless_sent_again_on_purpose(self):
        settlement = self._settlement()
        settlement.action_run()
        jobs = JobCapture(self)
        settlement.action_send_statements_job()
        jobs.run()
        self.assertTrue(settlement.statement_sent_date)
        domain = [("model", "=", "cluster.settlement"), ("res_id", "=", settlement.id)]
        sent = self.env["mail.mail"].search_count(domain)
        # the button again: refused at once, nothing enqueued, nothing sent
        with self.assertRaisesRegex(UserError, "already sent"):
            settlement.action_send_statements_job()
        # a job enqueued before the first ended (or a direct call) is refused too
        with self.assertRaisesRegex(UserError, "already sent"):
            settlement.action_send_statements()
        self.assertEqual(self.env["mail.mail"].search_count(domain), sent)
        # Send again, on purpose: the resend travels as the job's argument
        jobs = JobCapture(self)
        settlement.with_context(cluster_statement_resend=True).action_send_statements_job()
        [job] = jobs.records
        self.assertEqual(job.kwargs, {"resend": True})
        jobs.run()
        self.assertEqual(self.env["mail.mail"].search_count(domain), 2 * sent)
