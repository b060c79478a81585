from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ClusterProjectsCommon


@tagged("post_install", "-at_install")
class TestGrant(ClusterProjectsCommon):
    def test_grant_period_inside_project(self):
        with self.assertRaisesRegex(ValidationError, "outside the project's"):
            self._grant(date_from=date(2025, 12, 1))
        with self.assertRaisesRegex(ValidationError, "outside the project's"):
            self._grant(date_to=date(2027, 1, 31))
        self._grant()
        with self.assertRaisesRegex(ValidationError, "outside the project's"):
            self.project.date = date(2026, 6, 30)

    def test_grant_bad_amounts(self):
        with self.assertRaisesRegex(ValidationError, "finite"):
            self._grant(amount_granted=float("nan"))
        with self.assertRaisesRegex(ValidationError, "zero or more"):
            self._grant(amount_granted=-10.0)
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self._grant(max_public_share=120.0)
        with self.assertRaisesRegex(ValidationError, "not marked as a funder"):
            self._grant(funder_id=self.firm_a.id)

    def test_several_grants_and_claims(self):
        grant = self._grant()
        self._grant(
            name="REG-7",
            funder_id=self.funder_region.id,
            amount_granted=40000.0,
            max_public_share=20.0,
        )
        self.assertEqual(len(self.project.cluster_grant_ids), 2)
        Claim = self.env["cluster.grant.claim"]
        with self.assertRaisesRegex(ValidationError, "within the eligible period"):
            Claim.create(
                {
                    "name": "R0",
                    "grant_id": grant.id,
                    "date_from": date(2025, 1, 1),
                    "date_to": date(2026, 3, 31),
                }
            )
        with self.assertRaisesRegex(ValidationError, "finite"):
            Claim.create(
                {
                    "name": "R0",
                    "grant_id": grant.id,
                    "date_from": date(2026, 1, 1),
                    "date_to": date(2026, 3, 31),
                    "amount_claimed": float("inf"),
                }
            )
        claim = Claim.create(
            {
                "name": "R1",
                "grant_id": grant.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 3, 31),
                "amount_claimed": 1234.5,
            }
        )
        claim.action_submit()
        with self.assertRaisesRegex(UserError, "Only draft"):
            claim.action_submit()
        with freeze_time("2026-05-10"):
            claim.action_mark_paid()
        self.assertEqual(claim.date_received, date(2026, 5, 10))
        self.assertEqual(grant.amount_claimed, 1234.5)

    def test_report_deadlines_as_activities(self):
        grant = self._grant(report_frequency="half_yearly")
        grant.with_user(self.cluster_manager).action_schedule_report_deadlines()
        activity_type = self.env.ref("cluster_projects.mail_activity_type_funder_report")
        deadlines = grant.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        ).mapped("date_deadline")
        self.assertEqual(sorted(deadlines), [date(2026, 7, 30), date(2027, 1, 31)])
        grant.action_schedule_report_deadlines()  # idempotent
        self.assertEqual(len(grant.activity_ids), 2)
