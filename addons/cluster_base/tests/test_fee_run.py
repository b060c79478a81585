import psycopg2
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import ClusterMembershipCommon
from .jobs_common import JobCapture


@tagged("post_install", "-at_install")
class TestFeeRun(ClusterMembershipCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.membership_a = cls._active_membership(cls.firm_a)
        cls.membership_b = cls._active_membership(cls.firm_b)
        cls.firm_c = cls.env["res.partner"].create(
            {"name": "Testbolaget Gamma AB", "is_company": True}
        )
        cls.applicant = cls.env["cluster.membership"].create(
            {"partner_id": cls.firm_c.id, "membership_type_id": cls.type_core.id}
        )
        cls.members = cls.membership_a | cls.membership_b

    def _run(self, year=2026, user=None):
        wizard = Form(self.env["cluster.fee.run"].with_user(user or self.cluster_manager))
        wizard.year = year
        wizard.post = True
        return wizard.save().action_run()

    def test_run_is_idempotent(self):
        self._run()
        moves = self.members.move_ids.filtered(lambda m: m.cluster_move_kind == "fee")
        self.assertEqual(len(moves), 2)
        self.assertEqual(moves.mapped("state"), ["posted", "posted"])
        self.assertEqual(moves.mapped("amount_total"), [5000.0, 5000.0])
        self.assertFalse(self.applicant.move_ids)
        lines = self.members.fee_line_ids
        self.assertEqual(len(lines), 2)
        self.assertEqual(set(lines.mapped("cluster_fee_year")), {2026})
        self.assertEqual(set(lines.mapped("state")), {"invoiced"})
        # a rerun, from the wizard or the scheduled action, creates nothing
        self._run()
        with freeze_time("2026-12-01"):
            jobs = JobCapture(self)
            self.env["cluster.membership"]._cron_annual_fee_run()
            # one fee-run job per company
            self.assertEqual(len(jobs.records), self.env["res.company"].search_count([]))
            jobs.run()
        self.assertEqual(len(self.members.fee_line_ids), 2)
        self.assertEqual(
            len(self.members.move_ids.filtered(lambda m: m.cluster_move_kind == "fee")), 2
        )
        # the next year is a new fee
        with freeze_time("2027-01-15"):
            jobs = JobCapture(self)
            self.env["cluster.membership"]._cron_annual_fee_run()
            jobs.run()
        self.assertEqual(len(self.members.fee_line_ids), 4)

    def test_first_year_prorated_by_type(self):
        self.type_core.fee_prorated = True
        self.applicant.action_apply()
        self.applicant.admission_decision_id = self._adopted_decision(date="2026-10-15")
        self.applicant.write(
            {"date_application": "2026-10-01", "date_admission": "2026-10-15", "state": "admitted"}
        )
        self.applicant.write({"state": "active"})
        self._run(2026)
        fee = self.applicant.move_ids.filtered(lambda m: m.cluster_move_kind == "fee")
        # admitted in October: October, November and December
        self.assertEqual(fee.amount_total, 1250.0)
        self.assertIn("3 of 12 months", fee.invoice_line_ids.name)
        # the members admitted on 1 February pay February to December
        self.assertEqual(
            self.members.move_ids.filtered(lambda m: m.cluster_move_kind == "fee").mapped(
                "amount_total"
            ),
            [4583.33, 4583.33],
        )
        # and the next year is a full fee for the new member too
        self._run(2027)
        fee_2027 = self.applicant.move_ids.filtered(
            lambda m: m.cluster_move_kind == "fee" and m != fee
        )
        self.assertEqual(fee_2027.amount_total, 5000.0)

    def test_not_prorated_by_default(self):
        self.applicant.action_apply()
        self.applicant.admission_decision_id = self._adopted_decision(date="2026-10-15")
        self.applicant.write(
            {"date_application": "2026-10-01", "date_admission": "2026-10-15", "state": "admitted"}
        )
        self.applicant.write({"state": "active"})
        self._run(2026)
        fee = self.applicant.move_ids.filtered(lambda m: m.cluster_move_kind == "fee")
        self.assertEqual(fee.amount_total, 5000.0)

    def test_new_member_invoiced_on_rerun(self):
        self._run()
        self.applicant.action_apply()
        self.applicant.admission_decision_id = self._adopted_decision()
        self.applicant.write({"state": "admitted"})
        self.applicant.write({"state": "active"})
        self._run()
        self.assertEqual(len(self.applicant.fee_line_ids), 1)
        self.assertEqual(len(self.members.fee_line_ids), 2)

    def test_payment_makes_fee_paid(self):
        self._run()
        move = self.membership_a.move_ids.filtered(lambda m: m.cluster_move_kind == "fee")
        self._pay(move)
        self.assertEqual(self.membership_a.fee_line_ids.state, "paid")
        self.assertEqual(self.membership_b.fee_line_ids.state, "invoiced")

    def test_cancelled_fee_can_be_invoiced_again(self):
        self._run()
        move = self.membership_a.move_ids.filtered(lambda m: m.cluster_move_kind == "fee")
        move.button_draft()
        move.button_cancel()
        self._run()
        self.assertEqual(len(self.membership_a.fee_line_ids), 2)
        self.assertEqual(len(self.membership_b.fee_line_ids), 1)

    def test_reversed_fee_can_be_invoiced_again(self):
        self._run()
        move = self.membership_a.move_ids.filtered(lambda m: m.cluster_move_kind == "fee")
        move._reverse_moves(cancel=True)
        self.assertEqual(move.payment_state, "reversed")
        self._run()
        self.assertEqual(len(self.membership_a.fee_line_ids), 2)
        self.assertEqual(len(self.membership_b.fee_line_ids), 1)
        self._run()
        self.assertEqual(len(self.membership_a.fee_line_ids), 2)

    def test_database_refuses_second_fee_of_a_year(self):
        self._run()
        line = self.membership_a.fee_line_ids
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError):
            with self.env.cr.savepoint():
                line.copy(
                    {
                        "cluster_membership_id": self.membership_a.id,
                        "cluster_fee_year": 2026,
                        "account_invoice_line": line.account_invoice_line.id,
                    }
                )
                self.env.flush_all()

    def test_fee_product_without_membership_flag(self):
        self.fee_product.membership = False
        self._run()
        self.assertEqual(len(self.members.fee_line_ids), 2)
        self._run()
        self.assertEqual(len(self.members.fee_line_ids), 2)

    def test_only_manager_runs_fees(self):
        with self.assertRaises(AccessError):
            self._run(user=self.cluster_user)

    def test_reminders(self):
        self.env["ir.config_parameter"].sudo().set_param("cluster_base.reminder_days", "10")
        with freeze_time("2026-03-01"):
            self._run()
        move_a = self.membership_a.move_ids.filtered(lambda m: m.cluster_move_kind == "fee")
        self._pay(move_a)
        Membership = self.env["cluster.membership"]
        reminder_type = self.env.ref("cluster_base.mail_activity_type_fee_reminder")
        with freeze_time("2026-03-05"):
            self.assertFalse(Membership._cron_fee_reminders())
        with freeze_time("2026-06-01"):
            reminded = Membership._cron_fee_reminders()
            self.assertEqual(reminded.cluster_membership_id, self.membership_b)
            # a second run does not remind twice
            self.assertFalse(Membership._cron_fee_reminders())
        activities = self.members.activity_ids.filtered(
            lambda a: a.activity_type_id == reminder_type
        )
        self.assertEqual(activities.res_id, self.membership_b.id)
        self.assertEqual(len(activities), 1)
