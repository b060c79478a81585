from datetime import date, timedelta

import psycopg2

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import ConsultingCommon


@tagged("post_install", "-at_install")
class TestHours(ConsultingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agreement = cls._activate(cls._create_agreement(hour_cap=60.0))
        cls.expert_user = new_test_user(
            cls.env,
            login="cons_expert_a",
            groups="base.group_portal",
            partner_id=cls.person_a.id,
        )

    def test_hour_is_bought_out(self):
        line = self._log(self.agreement, date(2026, 3, 2), 3.0)
        self.assertEqual(line.cluster_hour_use, "bought_out")
        self.assertEqual(line.cluster_hour_state, "draft")
        self.assertEqual(line.cluster_lender_id, self.firm_a)
        self.assertEqual(line.cluster_agreement_amount, 2400.0)

    def test_hour_knows_its_buyer(self):
        """The buying firm is stored on the hour (an indexed column the portal rules use)."""
        bought = self._activate(
            self._create_agreement(hour_cap=10.0, buyer_kind="member", buyer_id=self.firm_b.id)
        )
        line = self._log(bought, date(2026, 3, 3), 2.0)
        self.assertEqual(line.cluster_buyer_id, self.firm_b)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT cluster_buyer_id FROM account_analytic_line WHERE id = %s", [line.id]
        )
        self.assertEqual(self.env.cr.fetchone()[0], self.firm_b.id)
        # time bought by the association: the association's own partner is the buyer
        own = self._log(self.agreement, date(2026, 3, 3), 1.0)
        self.assertEqual(own.cluster_buyer_id, self.agreement.buyer_id)

    def test_in_kind_refused_by_orm(self):
        with self.assertRaises(ValidationError):
            self._log(self.agreement, date(2026, 3, 2), 3.0, cluster_hour_use="in_kind")
        line = self._log(self.agreement, date(2026, 3, 2), 3.0)
        with self.assertRaises(ValidationError):
            line.write({"cluster_hour_use": "in_kind"})
        self.assertEqual(line.cluster_hour_use, "bought_out")

    def test_in_kind_refused_by_database(self):
        line = self._log(self.agreement, date(2026, 3, 2), 3.0)
        self.env.flush_all()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.CheckViolation),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                "UPDATE account_analytic_line SET cluster_hour_use = 'in_kind' WHERE id = %s",
                [line.id],
            )
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.CheckViolation),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                "UPDATE account_analytic_line SET cluster_hour_use = NULL WHERE id = %s",
                [line.id],
            )

    def test_bad_hours(self):
        for hours in (0.0, -1.0, 25.0, float("nan")):
            with self.subTest(hours=hours), self.assertRaises(ValidationError):
                self._log(self.agreement, date(2026, 3, 2), hours)
        self._log(self.agreement, date(2026, 3, 3), 20.0)
        with self.assertRaisesRegex(ValidationError, "24 hours"):
            self._log(self.agreement, date(2026, 3, 3), 5.0)

    def test_hours_outside_period_project_or_expert(self):
        with self.assertRaises(ValidationError):
            self._log(self.agreement, date(2026, 2, 28), 2.0)
        with self.assertRaises(ValidationError):
            self._log(self.agreement, date(2026, 6, 1), 2.0)
        with self.assertRaises(ValidationError):
            self._log(self.agreement, date(2026, 3, 2), 2.0, project_id=self.other_project.id)
        with self.assertRaises(ValidationError):
            self._log(
                self.agreement,
                date(2026, 3, 2),
                2.0,
                employee_id=self.expert_b.employee_id.id,
            )

    def test_only_while_active(self):
        draft = self._create_agreement(hour_cap=10.0, project_id=self.other_project.id)
        with self.assertRaises(ValidationError):
            self._log(draft, date(2026, 3, 2), 2.0)
        self.agreement.with_user(self.cluster_manager).action_close()
        with self.assertRaises(ValidationError):
            self._log(self.agreement, date(2026, 3, 2), 2.0)

    def test_cap_enforced_and_raised(self):
        self._log(self.agreement, date(2026, 3, 2), 8.0)
        for day in range(3, 10):
            self._log(self.agreement, date(2026, 3, day), 7.0)  # 8 + 49 = 57
        with self.assertRaisesRegex(ValidationError, "allows"):
            self._log(self.agreement, date(2026, 3, 10), 4.0)
        self.assertEqual(self.agreement.hours_consumed, 57.0)
        self.assertEqual(self.agreement.hours_remaining, 3.0)
        self.agreement.with_user(self.cluster_manager)._raise_cap(70.0, "extension")
        self._log(self.agreement, date(2026, 3, 10), 4.0)
        self.agreement.invalidate_recordset()
        self.assertEqual(self.agreement.hours_consumed, 61.0)

    def test_cap_alerts(self):
        self._log(self.agreement, date(2026, 3, 2), 20.0)
        self.assertEqual(self.agreement.cap_alert_level, 0)
        self._log(self.agreement, date(2026, 3, 3), 20.0)
        self._log(self.agreement, date(2026, 3, 4), 9.0)  # 49 / 60 > 80 %
        self.assertEqual(self.agreement.cap_alert_level, 80)
        cap_activities = self.agreement.activity_ids.filtered(lambda a: "hour cap" in a.summary)
        self.assertEqual(len(cap_activities), 1)
        self._log(self.agreement, date(2026, 3, 5), 11.0)  # 60 / 60
        self.assertEqual(self.agreement.cap_alert_level, 100)
        cap_activities = self.agreement.activity_ids.filtered(lambda a: "hour cap" in a.summary)
        self.assertEqual(len(cap_activities), 2)

    def test_rejected_hours_free_the_cap_until_resubmitted(self):
        line = self._log(self.agreement, date(2026, 3, 2), 20.0)
        self._log(self.agreement, date(2026, 3, 3), 20.0)
        line.with_user(self.cluster_manager).action_cluster_submit()
        line.with_user(self.project_manager).action_cluster_reject()
        self._log(self.agreement, date(2026, 3, 4), 20.0)  # 40 counted, rejected 20 not
        line.with_user(self.cluster_manager).write({"unit_amount": 21.0})  # correct it
        with self.assertRaisesRegex(ValidationError, "allows"):
            line.with_user(self.cluster_manager).action_cluster_submit()  # 40 + 21 > 60
        self.assertEqual(line.cluster_hour_state, "rejected")
        line.with_user(self.cluster_manager).write({"unit_amount": 10.0})
        line.with_user(self.cluster_manager).action_cluster_submit()
        self.assertEqual(line.cluster_hour_state, "submitted")
        self.agreement.invalidate_recordset()
        self.assertEqual(self.agreement.hours_consumed, 50.0)

    def test_approval_rules(self):
        line = self._log(self.agreement, date(2026, 3, 2), 4.0)
        with self.assertRaises(UserError):
            line.with_user(self.project_manager).action_cluster_approve()  # not submitted
        line.with_user(self.cluster_manager).action_cluster_submit()
        # the expert cannot approve their own hours, even as a cluster manager
        self.expert_user.groups_id = [(6, 0, [self.env.ref("base.group_portal").id])]
        with self.assertRaises(AccessError):
            line.with_user(self.expert_user).action_cluster_approve()
        employee_manager = new_test_user(
            self.env,
            login="cons_mgr_expert",
            groups="cluster_base.cluster_base_group_manager",
        )
        self.expert_a.employee_id.user_id = employee_manager
        with self.assertRaises(AccessError):
            line.with_user(employee_manager).action_cluster_approve()
        self.expert_a.employee_id.user_id = False
        # a user who is neither the project manager nor a cluster manager
        with self.assertRaises(AccessError):
            line.with_user(self.cluster_user).action_cluster_approve()
        # status fields cannot be written directly
        with self.assertRaises(AccessError):
            line.with_user(self.cluster_manager).write({"cluster_hour_state": "approved"})
        line.with_user(self.project_manager).action_cluster_approve()
        self.assertEqual(line.cluster_hour_state, "approved")
        self.assertEqual(line.cluster_approved_by_id, self.project_manager)
        self.assertTrue(line.cluster_approved_on)
        self.assertEqual(self.agreement.hours_approved, 4.0)
        self.assertEqual(self.agreement.amount_approved, 3200.0)

    def test_expert_submits_own_hours_only(self):
        own = self._log(self.agreement, date(2026, 3, 2), 4.0)
        other_agreement = self._activate(
            self._create_agreement(expert_id=self.expert_b.id, hour_cap=10.0)
        )
        other = self._log(other_agreement, date(2026, 3, 2), 2.0)
        with self.assertRaises(AccessError):
            (own | other).with_user(self.expert_user).action_cluster_submit()
        self.assertEqual(own.cluster_hour_state, "draft")
        own.with_user(self.expert_user).action_cluster_submit()
        self.assertEqual(own.cluster_hour_state, "submitted")
        with self.assertRaises(AccessError):
            own.with_user(self.expert_user).action_cluster_approve()

    def test_hours_submitted_before_closing_can_be_approved(self):
        line = self._log(self.agreement, date(2026, 3, 2), 4.0)
        line.with_user(self.cluster_manager).action_cluster_submit()
        self.agreement.with_user(self.cluster_manager).action_close()
        line.with_user(self.project_manager).action_cluster_approve()
        self.assertEqual(line.cluster_hour_state, "approved")

    def test_approved_hours_are_frozen(self):
        line = self._log(self.agreement, date(2026, 3, 2), 4.0)
        submitted = self._log(self.agreement, date(2026, 3, 3), 4.0)
        (line | submitted).with_user(self.cluster_manager).action_cluster_submit()
        with self.assertRaises(UserError):
            submitted.with_user(self.cluster_manager).write({"unit_amount": 3.0})
        line.with_user(self.cluster_manager).action_cluster_approve()
        for vals in (
            {"unit_amount": 2.0},
            {"date": date(2026, 3, 4)},
            {"name": "changed"},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                line.with_user(self.cluster_manager).write(vals)
        with self.assertRaises(UserError):
            line.sudo().write({"unit_amount": 2.0})
        with self.assertRaises(UserError):
            line.with_user(self.cluster_manager).unlink()
        self.assertEqual(line.unit_amount, 4.0)
        self.assertEqual(line.name, "Coaching session")
        with self.assertRaises(UserError):
            line.with_user(self.cluster_manager).action_cluster_submit()

    def test_approve_query_count_does_not_grow(self):
        agreement = self._activate(
            self._create_agreement(
                hour_cap=60.0,
                date_from=date(2026, 6, 1),
                date_to=date(2026, 7, 31),
            )
        )
        start = date(2026, 6, 1)
        lines_n = self.env["account.analytic.line"]
        lines_2n = self.env["account.analytic.line"]
        for offset in range(10):
            lines_n |= self._log(agreement, start + timedelta(days=offset), 1.0)
        for offset in range(10, 30):
            lines_2n |= self._log(agreement, start + timedelta(days=offset), 1.0)
        (lines_n | lines_2n).with_user(self.cluster_manager).action_cluster_submit()
        self.env.flush_all()
        self.env.invalidate_all()
        queries_before = self.cr.sql_log_count
        lines_n.with_user(self.project_manager).action_cluster_approve()
        self.env.flush_all()
        queries_n = self.cr.sql_log_count - queries_before
        self.env.invalidate_all()
        with self.assertQueryCount(queries_n):
            lines_2n.with_user(self.project_manager).action_cluster_approve()
            self.env.flush_all()
        self.assertEqual(set(lines_2n.mapped("cluster_hour_state")), {"approved"})
