from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ClusterProjectsCommon


@tagged("post_install", "-at_install")
class TestFundingAudit(ClusterProjectsCommon):
    """Changes of cost shares, commitments, budget lines and indicators reach the chatter."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.budget_a = cls.env["cluster.budget.line"].create(
            {
                "project_id": cls.project.id,
                "category": "travel",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
                "amount_planned": 1000.0,
            }
        )
        cls.budget_b = cls.env["cluster.budget.line"].create(
            {
                "project_id": cls.project.id,
                "category": "external",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
                "amount_planned": 2000.0,
            }
        )
        cls.indicator = cls.env["cluster.indicator"].create(
            {
                "project_id": cls.project.id,
                "kind": "new_jobs",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
                "target": 3.0,
            }
        )

    def _notes(self):
        return self.env["mail.message"].search(
            [
                ("model", "=", "project.project"),
                ("res_id", "=", self.project.id),
                ("subtype_id", "=", self.env.ref("mail.mt_note").id),
            ]
        )

    def test_participant_change_posted_once_with_old_and_new(self):
        before = self._notes()
        participants = (self.participant_a | self.participant_b).with_user(self.cluster_manager)
        participants.write({"cost_share": 50.0})
        new = self._notes() - before
        self.assertEqual(len(new), 1, "one note for one write, whatever the number of records")
        self.assertEqual(new.author_id, self.cluster_manager.partner_id)
        self.assertTrue(new.subtype_id.internal)
        body = str(new.body)
        self.assertIn(self.firm_a.name, body)
        self.assertIn(self.firm_b.name, body)
        self.assertIn("60.00 → 50.00", body)
        self.assertIn("40.00 → 50.00", body)
        self.assertIn(self.cluster_manager.name, body)

    def test_committed_cash_and_budget_and_indicator(self):
        before = self._notes()
        self.participant_a.with_user(self.cluster_manager).committed_cash = 12500.0
        (self.budget_a | self.budget_b).with_user(self.cluster_manager).write(
            {"amount_planned": 1500.0}
        )
        self.indicator.with_user(self.cluster_manager).target = 5.0
        new = (self._notes() - before).sorted("id")
        self.assertEqual(len(new), 3)
        cash, budget, indicator = (str(message.body) for message in new)
        self.assertIn("10,000.00", cash)
        self.assertIn("12,500.00", cash)
        self.assertIn("Travel", budget)
        self.assertIn("External services", budget)
        self.assertIn("1,000.00", budget)
        self.assertIn("2,000.00", budget)
        self.assertEqual(budget.count("1,500.00"), 2)
        self.assertIn("New jobs", indicator)
        self.assertIn("3.00 → 5.00", indicator)

    def test_unchanged_value_or_other_field_posts_nothing(self):
        before = self._notes()
        self.participant_a.with_user(self.cluster_manager).cost_share = 60.0
        self.budget_a.with_user(self.cluster_manager).amount_planned = 1000.0
        self.indicator.with_user(self.cluster_manager).evidence = "Avtal"
        self.assertFalse(self._notes() - before)

    def test_user_cannot_change_unnoticed(self):
        with self.assertRaises(AccessError):
            self.budget_a.with_user(self.cluster_user).amount_planned = 0.0
