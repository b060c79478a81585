from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ConsultingCommon


@tagged("post_install", "-at_install")
class TestExpert(ConsultingCommon):
    def test_employer_and_employee(self):
        self.assertEqual(self.expert_a.employer_id, self.firm_a)
        employee = self.expert_a.employee_id
        self.assertTrue(employee)
        self.assertEqual(employee.work_contact_id, self.person_a)
        self.assertEqual(employee.company_id, self.company)

    def test_expert_needs_a_firm(self):
        loner = self.env["res.partner"].create({"name": "Ensam Person"})
        with self.assertRaises(ValidationError):
            self.env["cluster.expert"].create({"partner_id": loner.id, "hours_per_month": 10})

    def test_non_finite_rate_refused(self):
        with self.assertRaises(ValidationError):
            self.expert_a.hourly_rate = float("inf")

    def test_non_finite_numbers_refused_by_the_finite_mixin(self):
        # cluster_base's finite-number mixin names the field (no private check left)
        with self.assertRaisesRegex(ValidationError, "must be a finite number"):
            self.expert_a.hours_per_month = float("nan")
        with self.assertRaisesRegex(ValidationError, "must be a finite number"):
            self.expert_a.agreement_ids.create(
                {
                    "expert_id": self.expert_a.id,
                    "project_id": self.env["project.project"].create({"name": "P"}).id,
                    "date_from": "2026-01-01",
                    "date_to": "2026-12-31",
                    "hour_cap": float("inf"),
                }
            )

    def test_matchmaking_by_skill_level_and_free_hours(self):
        Expert = self.env["cluster.expert"]
        experts, free = Expert._search_matching(
            skill=self.skill_coaching,
            min_level=3,
            date_from=self.date_from,
            date_to=self.date_to,
        )
        self.assertIn(self.expert_a, experts)
        self.assertNotIn(self.expert_b, experts, "level 2 is below the minimum 3")
        self.assertEqual(free[self.expert_a], 120.0, "40 h x 3 months")
        # A sales level 2 does not count as coaching level 4 (same skill line).
        experts, _free = Expert._search_matching(skill=self.skill_sales, min_level=3)
        self.assertNotIn(self.expert_a, experts)
        agreement = self._create_agreement(hour_cap=100.0)
        agreement.with_user(self.cluster_manager).action_request()
        free = Expert._get_free_hours(self.expert_a, self.date_from, self.date_to)
        self.assertEqual(free[self.expert_a], 20.0)
        experts, _free = Expert._search_matching(
            skill=self.skill_coaching,
            min_level=1,
            date_from=self.date_from,
            date_to=self.date_to,
            min_free=30.0,
        )
        self.assertNotIn(self.expert_a, experts)
        self.assertIn(self.expert_b, experts)

    def test_matchmaking_wizard(self):
        wizard = (
            self.env["cluster.expert.match"]
            .with_user(self.cluster_user)
            .create(
                {
                    "skill_id": self.skill_coaching.id,
                    "min_level": 2,
                    "date_from": date(2026, 3, 1),
                    "date_to": date(2026, 3, 31),
                }
            )
        )
        wizard.action_search()
        self.assertEqual(wizard.line_ids.expert_id, self.expert_a | self.expert_b)
        self.assertEqual(wizard.line_ids[0].expert_id, self.expert_a, "most free hours first")

    def test_availability_report(self):
        self.env.flush_all()
        rows = self.env["cluster.expert.report.availability"].search(
            [("expert_id", "=", self.expert_a.id)]
        )
        self.assertEqual(len(rows), 24)
        self.assertEqual(set(rows.mapped("released_hours")), {40.0})

    def test_invite_to_portal(self):
        with self.assertRaises(UserError):
            self.expert_a.with_user(self.cluster_user).action_invite_portal()
        self.expert_a.with_user(self.cluster_manager).action_invite_portal()
        user = self.expert_a.user_id
        self.assertTrue(user)
        self.assertTrue(user.share, "the expert gets a portal user")
        self.assertEqual(user.partner_id, self.person_a)
