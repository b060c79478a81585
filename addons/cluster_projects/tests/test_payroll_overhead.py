from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import ClusterProjectsCommon


@tagged("post_install", "-at_install")
class TestPayrollOverhead(ClusterProjectsCommon):
    """Salary formula: monthly salary x 12 x (1 + employer contributions %) / 1 720,
    the % per firm and year."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.payroll_b.unlink()
        Overhead = cls.env["cluster.payroll.overhead"]
        cls.row_2025 = Overhead.create({"partner_id": cls.firm_b.id, "year": 2025, "pct": 20.0})
        cls.row_2026 = Overhead.create({"partner_id": cls.firm_b.id, "year": 2026})

    def test_default_is_statutory_rate(self):
        self.assertEqual(self.row_2026.pct, 31.42)

    def test_logged_hour_with_contributions(self):
        # 34 400 x 12 x 1.3142 / 1 720 = 315.408 per hour; 5 h -> 1 577.04
        hour = self._log(self.employee_b, 5.0, day=date(2026, 3, 2))
        self.assertEqual(hour.cluster_in_kind_value, 1577.04)
        # an hour of 2025 takes that year's 20 %: 34 400 x 12 x 1.2 / 1 720 = 288 -> 576
        self.project.date_start = date(2025, 1, 1)
        old = self._log(self.employee_b, 2.0, day=date(2025, 11, 3))
        self.assertEqual(old.cluster_in_kind_value, 576.0)
        # the firm's hourly value rule (A) takes no contributions: 10 h x 500
        self.assertEqual(self._log(self.employee_a, 10.0).cluster_in_kind_value, 5000.0)
        # a change of the rate revalues the hours not yet claimed: 35 % -> 5 h x 324
        self.row_2026.pct = 35.0
        self.assertEqual(hour.cluster_in_kind_value, 1620.0)

    def test_firm_without_rate_gets_the_statutory_rate(self):
        # firm C has no row: 34 400 x 12 x 1.3142 / 1 720 = 315.408 per hour; 5 h
        self.env["cluster.project.participant"].create(
            {
                "project_id": self.project.id,
                "partner_id": self.firm_c.id,
                "valuation_method": "salary",
                "average_monthly_salary": 34400.0,
            }
        )
        self.assertFalse(self.firm_c.cluster_payroll_overhead_ids)
        hour = self._log(self.employee_c, 5.0, day=date(2026, 3, 2))
        self.assertEqual(hour.cluster_in_kind_value, 1577.04)

    def test_committed_hours_with_contributions(self):
        # committed hours take the rate of the project's start year (2026): 4 h x 315.408
        self.participant_b.committed_employee_id = self.employee_b
        self.assertEqual(self.participant_b._cluster_committed_value(), 1261.63)

    def test_claim_freezes_the_rate(self):
        hour = self._log(self.employee_b, 5.0, day=date(2026, 3, 4))
        claim = self.env["cluster.grant.claim"].create(
            {
                "name": "Rekv 1",
                "grant_id": self._grant().id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 3, 31),
                "amount_claimed": 1000.0,
            }
        )
        claim.with_user(self.cluster_manager).action_submit()
        row = claim.line_ids.filtered(lambda r: r.line_id == hour)
        self.assertEqual(
            (row.payroll_pct, row.monthly_salary, row.hourly_rate, row.value),
            (31.42, 34400.0, 315.408, 1577.04),
        )
        self.row_2026.pct = 40.0  # later: the claimed hour keeps its value
        self.assertEqual(hour.cluster_in_kind_value, 1577.04)

    def test_bad_rate_refused(self):
        with self.assertRaisesRegex(ValidationError, "Kvarnbo Telemarketing AB.*150"):
            self.row_2025.pct = 150.0

    def test_access(self):
        row = self.row_2026.with_user(self.cluster_user)
        self.assertEqual(row.pct, 31.42)  # an association user reads it
        with self.assertRaises(AccessError):
            row.pct = 10.0
        self.row_2026.with_user(self.cluster_manager).pct = 32.0
        self.assertEqual(self.row_2026.pct, 32.0)


@tagged("post_install", "-at_install")
class TestAssociationStaff(ClusterProjectsCommon):
    """The association's own staff hours are a cash staff cost of their own category."""

    def test_association_staff_category(self):
        staff = self._create_employee("Sara Kansli", self.company.partner_id)
        staff.hourly_cost = 400.0
        hour = self._log(staff, 3.0)
        self.assertEqual(hour.amount, -1200.0)
        self.assertEqual(hour.cluster_cost_category, "association_staff")
        self.assertFalse(hour.cluster_hour_use)
        actuals = self.project._cluster_actuals_by_category()
        self.assertEqual(actuals["association_staff"], 1200.0)
        self.assertNotIn("other", actuals)
        # a person of a firm that does not take part is no association staff
        self.assertFalse(self._log(self.employee_c, 2.0).cluster_cost_category)
        # nor a member firm's person (in-kind)
        in_kind = self._log(self.employee_a, 1.0)
        self.assertEqual(in_kind.cluster_cost_category, "own_staff_in_kind")
