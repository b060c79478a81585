from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ClusterProjectsCommon


@tagged("post_install", "-at_install")
class TestBudget(ClusterProjectsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Budget = cls.env["cluster.budget.line"]
        cls.b_inkind_q1 = Budget.create(
            {
                "project_id": cls.project.id,
                "category": "own_staff_in_kind",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 3, 31),
                "amount_planned": 4000.0,
            }
        )
        cls.b_external = Budget.create(
            {
                "project_id": cls.project.id,
                "category": "external",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
                "amount_planned": 2000.0,
            }
        )
        cls.b_travel_days = Budget.create(
            {
                "project_id": cls.project.id,
                "category": "travel",
                "date_from": date(2026, 3, 10),
                "date_to": date(2026, 3, 20),
                "amount_planned": 1000.0,
            }
        )
        cls.b_other = Budget.create(
            {
                "project_id": cls.project.id,
                "category": "other",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
                "amount_planned": 500.0,
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Konsulttjänst", "cluster_cost_category": "external"}
        )

    def test_actuals_per_category(self):
        self._log(self.employee_a, 6.0, day=date(2026, 2, 2))  # 3 000 in-kind in Q1
        self._log(self.employee_a, 4.0, day=date(2026, 4, 2))  # outside Q1
        self._cost(-1500.0, "external")
        line = self._cost(-1000.0, day=date(2026, 5, 5))
        line.product_id = self.product  # category from the product
        self.assertEqual(line.cluster_cost_category, "external")
        self._cost(-700.0, "travel", day=date(2026, 3, 12))
        self._cost(-300.0, "travel", day=date(2026, 3, 25))  # outside the travel period
        self._cost(-200.0)  # no category: other
        self._cost(800.0, partner=self.firm_a)  # income, not a cost
        budget = self.project.cluster_budget_line_ids
        budget.invalidate_recordset()
        self.assertEqual(self.b_inkind_q1.amount_actual, 3000.0)
        self.assertEqual(self.b_inkind_q1.amount_variance, 1000.0)
        self.assertFalse(self.b_inkind_q1.is_over_plan)
        self.assertEqual(self.b_external.amount_actual, 2500.0)
        self.assertEqual(self.b_external.amount_variance, -500.0)
        self.assertTrue(self.b_external.is_over_plan)
        self.assertEqual(self.b_travel_days.amount_actual, 700.0)
        self.assertEqual(self.b_other.amount_actual, 200.0)

    def test_account_category_mapping(self):
        account = self.env["account.account"].search(
            [("company_ids", "in", self.env.company.id)], limit=1
        )
        account.cluster_cost_category = "premises"
        line = self._cost(-900.0)
        line.general_account_id = account
        self.assertEqual(line.cluster_cost_category, "premises")

    def test_one_read_group_per_batch(self):
        self._cost(-100.0, "external")
        budget = self.project.cluster_budget_line_ids
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        budget.mapped("amount_actual")
        first = self.env.cr.sql_log_count - before
        for _i in range(20):
            self._cost(-10.0, "external", day=date(2026, 6, 1))
        self.env.invalidate_all()
        with self.assertQueryCount(first):
            budget.mapped("amount_actual")
        self.assertEqual(self.b_external.amount_actual, 300.0)

    def test_bad_input(self):
        with self.assertRaisesRegex(ValidationError, "finite"):
            self.b_other.amount_planned = float("inf")
        with self.assertRaisesRegex(ValidationError, "zero or more"):
            self.b_other.amount_planned = -1.0
        with self.assertRaisesRegex(ValidationError, "must end after it starts"):
            self.b_other.write({"date_to": date(2025, 1, 1)})
