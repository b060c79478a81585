from datetime import date

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import ClusterProjectsCommon


@tagged("post_install", "-at_install")
class TestFundingSplit(ClusterProjectsCommon):
    """Recomputed by hand: two private firms (A at an agreed hourly value, B under the
    salary formula with 31.42 % employer contributions), one municipality (salary
    formula, 40 %), a public funder and a private foundation, a 15 % flat rate of
    direct staff costs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.municipality = Partner.create(
            {"name": "Kvarnby kommun", "is_company": True, "cluster_is_public_body": True}
        )
        cls.foundation = Partner.create(
            {
                "name": "Stiftelsen Kvarnbo",
                "is_company": True,
                "cluster_is_funder": True,
                "cluster_funder_type": "private",
            }
        )
        Overhead = cls.env["cluster.payroll.overhead"]
        cls.payroll_b.pct = 31.42
        Overhead.create({"partner_id": cls.municipality.id, "year": 2026, "pct": 40.0})
        cls.project.cluster_participant_ids = [
            Command.create(
                {
                    "partner_id": cls.municipality.id,
                    "cost_share": 0.0,
                    "committed_cash": 1500.0,
                    "committed_hours": 6.0,
                    "valuation_method": "salary",
                    "average_monthly_salary": 43000.0,
                }
            )
        ]
        cls.employee_m = cls._create_employee("Maria Kvarnby", cls.municipality)
        cls.grant = cls._grant(indirect_rate_pct=15.0, indirect_basis="staff")
        cls.private_grant = cls._grant(
            name="STK-1", funder_id=cls.foundation.id, amount_granted=20000.0
        )
        cls._log(cls.employee_a, 10.0)  # 10 h x 500 = 5 000.00
        # 34 400 x 12 x 1.3142 / 1 720 = 315.408; 5 h -> 1 577.04
        cls._log(cls.employee_b, 5.0)
        # no own salary: the municipality's average 43 000 x 12 x 1.40 / 1 720 = 420; 6 h
        cls._log(cls.employee_m, 6.0)  # -> 2 520.00
        cls._cost(-3000.0, "external")
        cls._pay(cls._share_invoice(cls.firm_a, 2000.0), 2000.0, date(2026, 3, 20))
        cls._pay(cls._share_invoice(cls.municipality, 1500.0), 1500.0, date(2026, 3, 21))
        Claim = cls.env["cluster.grant.claim"]
        for grant, amount in ((cls.grant, 4000.0), (cls.private_grant, 1000.0)):
            Claim.create(
                {
                    "name": f"Rekv {grant.name}",
                    "grant_id": grant.id,
                    "date_from": date(2026, 1, 1),
                    "date_to": date(2026, 6, 30),
                    "amount_claimed": amount,
                }
            )

    def test_hand_figures(self):
        data = self.project._cluster_cofinancing_data()[self.project.id]
        self.assertEqual(data["in_kind_value"], 9097.04)  # 5 000 + 1 577.04 + 2 520
        self.assertEqual(data["direct_cost"], 12097.04)  # + 3 000 external
        # 15 % of direct staff costs 9 097.04 = 1 364.556 -> 1 364.56
        self.assertEqual(data["indirect_cost"], 1364.56)
        self.assertEqual(data["eligible_cost"], 13461.60)
        self.assertEqual(
            data["split"]["actual"],
            {
                "public_cash": 5500.0,  # public grant 4 000 + the municipality's 1 500
                "public_in_kind": 2520.0,  # the municipality's hours
                "private_cash": 3000.0,  # the foundation's 1 000 + A's 2 000
                "private_in_kind": 6577.04,  # A's 5 000 + B's 1 577.04
            },
        )
        # aid intensity on the public total: 8 020 / 13 461.60 = 59.5769... %
        self.assertAlmostEqual(data["public_share"], 59.5769, places=4)
        intensity = [w for w in data["warnings"] if "aid intensity" in w]
        self.assertEqual(len(intensity), 1)
        self.assertIn("8020.00 is 59.58 % of the eligible cost 13461.60", intensity[0])
        self.assertIn("50.00 %", intensity[0])
        # plan: granted 100 000 public + 20 000 private; the municipality commits 1 500
        # cash and 6 h x 420
        self.assertEqual(
            data["split"]["plan"],
            {
                "public_cash": 101500.0,
                "public_in_kind": 2520.0,
                "private_cash": 35000.0,  # 20 000 + A's 10 000 + B's 5 000
                "private_in_kind": 5000.0,  # A 10 h x 500; B names no person or salary
            },
        )
        self.assertEqual(self.project.cluster_indirect_cost, 1364.56)

    def test_claim_shows_the_period_split(self):
        claim = self.grant.claim_ids.with_user(self.cluster_user)
        self.assertEqual(
            (
                claim.period_indirect_cost,
                claim.period_public_cash,
                claim.period_public_in_kind,
                claim.period_private_cash,
                claim.period_private_in_kind,
            ),
            (1364.56, 5500.0, 2520.0, 3000.0, 6577.04),
        )

    def test_xlsx_cells(self):
        import io

        import openpyxl

        wizard = (
            self.env["cluster.funder.report"]
            .with_user(self.cluster_user)
            .create({"project_id": self.project.id})
        )
        wizard.action_export()
        book = openpyxl.load_workbook(io.BytesIO(wizard.attachment_id.sudo().raw), read_only=True)
        summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
        self.assertEqual(
            (
                summary["Eligible cost"],
                summary["Flat-rate indirect costs"],
                summary["Public cash"],
                summary["Public in-kind"],
                summary["Private cash"],
                summary["Private in-kind"],
                summary["Public share (%)"],
            ),
            (13461.60, 1364.56, 5500.0, 2520.0, 3000.0, 6577.04, 59.58),
        )

    def test_all_direct_costs_basis(self):
        self.grant.write({"indirect_rate_pct": 40.0, "indirect_basis": "direct"})
        data = self.project._cluster_cofinancing_data()[self.project.id]
        # 40 % of 12 097.04 = 4 838.816 -> 4 838.82
        self.assertEqual(data["indirect_cost"], 4838.82)

    def test_no_ledger_cost(self):
        """The flat amount is no analytic line and no journal item."""
        lines = self.env["account.analytic.line"].search(
            [("account_id", "=", self.project.account_id.id)]
        )
        self.assertNotIn(1364.56, [abs(amount) for amount in lines.mapped("amount")])

    def test_rate_without_basis_refused(self):
        with self.assertRaisesRegex(ValidationError, "TVV-2026-1.*15.00 %.*no basis"):
            self.grant.indirect_basis = False
        with self.assertRaisesRegex(ValidationError, "STK-1"):
            self.private_grant.indirect_rate_pct = 120.0

    def test_participant_limits(self):
        """A's cost share 60 % of the public grant's 4 000 claimed = 2 400 of aid, on
        60 % of 13 461.60 eligible = 8 076.96 (29.71 %)."""
        participant_a = self.participant_a.with_user(self.cluster_manager)
        participant_a.write({"max_aid_amount": 2400.0, "max_aid_intensity": 29.72})
        Claim = self.env["cluster.grant.claim"].with_user(self.cluster_manager)
        with self.assertRaisesRegex(
            ValidationError,
            "Ringtorp Information AB would receive 2460.00 .*maximum aid amount is 2400.00",
        ):
            Claim.create(
                {
                    "name": "Rekv 2",
                    "grant_id": self.grant.id,
                    "date_from": date(2026, 7, 1),
                    "date_to": date(2026, 9, 30),
                    "amount_claimed": 100.0,
                }
            )
        # a private foundation's money is no aid
        Claim.create(
            {
                "name": "Rekv S2",
                "grant_id": self.private_grant.id,
                "date_from": date(2026, 7, 1),
                "date_to": date(2026, 9, 30),
                "amount_claimed": 100.0,
            }
        )
        # a larger cost share: 65 % of 4 000 = 2 600 > 2 400
        with self.assertRaisesRegex(ValidationError, "2600.00 .*2400.00"):
            participant_a.cost_share = 65.0
        # the intensity: 2 400 / 8 076.96 = 29.71 %; a limit of 29 % is refused
        participant_a.max_aid_amount = 0.0
        with self.assertRaisesRegex(
            ValidationError,
            "2400.00 would cover 29.71 % of the eligible cost 8076.96 of Ringtorp "
            "Information AB.*29.00 %",
        ):
            participant_a.max_aid_intensity = 29.0

    def test_flat_rate_in_budget_actuals(self):
        """The flat-rate line is compared with the budget in force like any cost."""
        Line = self.env["cluster.budget.line"]
        period = {"date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)}
        staff = Line.create(
            {"project_id": self.project.id, "category": "own_staff_in_kind", **period}
        )
        indirect = Line.create(
            {
                "project_id": self.project.id,
                "category": "indirect",
                "amount_planned": 1200.0,
                **period,
            }
        )
        self.assertTrue(indirect.version_id.is_in_force)
        # 15 % of the direct staff costs 9 097.04 of the line's period
        self.assertEqual(staff.amount_actual, 9097.04)
        self.assertEqual(
            (indirect.amount_actual, indirect.amount_variance, indirect.is_over_plan),
            (1364.56, -164.56, True),
        )
        # a line for a period without costs has no flat-rate actual either
        later = Line.create(
            {
                "project_id": self.project.id,
                "category": "indirect",
                "date_from": date(2026, 7, 1),
                "date_to": date(2026, 12, 31),
            }
        )
        self.assertEqual(later.amount_actual, 0.0)
        self.assertEqual(self.project._cluster_actuals_by_category()["indirect"], 1364.56)

        import io

        import openpyxl

        wizard = (
            self.env["cluster.funder.report"]
            .with_user(self.cluster_user)
            .create({"project_id": self.project.id})
        )
        wizard.action_export()
        book = openpyxl.load_workbook(io.BytesIO(wizard.attachment_id.sudo().raw), read_only=True)
        costs = {row[0]: row[1:] for row in book["Costs"].iter_rows(min_row=2, values_only=True)}
        planned, actual, variance = costs["Flat-rate indirect costs"]
        self.assertEqual((planned, actual), (1200.0, 1364.56))
        self.assertAlmostEqual(variance, -164.56, places=2)
        self.assertAlmostEqual(costs["Total"][1], 13461.60, places=2)  # = the eligible cost

    def test_salary_rule_without_salary_basis(self):
        """Firm B (salary formula) names no person for its committed hours and has no
        average salary: the plan says so; an hour of a person without a salary is
        refused instead of counted at 0."""
        plan = self.project._cluster_cofinancing_data()[self.project.id]["plan"]
        self.assertIn(
            "The 4.00 committed hours of Kvarnbo Telemarketing AB in Offentlig sektor som "
            "marknad can't be valued",
            "\n".join(plan["warnings"]),
        )
        newcomer = self._create_employee("Nils Kvarnbo", self.firm_b)
        with self.assertRaisesRegex(
            ValidationError,
            "Kvarnbo Telemarketing AB values its in-kind hours .* Nils Kvarnbo has no "
            "monthly salary",
        ):
            self._log(newcomer, 2.0)
        # with the firm's average salary both are valued: 30 000 x 12 x 1.3142 / 1 720
        self.participant_b.average_monthly_salary = 30000.0
        hour = self._log(newcomer, 2.0)
        self.assertEqual(hour.cluster_in_kind_value, 550.13)
        plan = self.project._cluster_cofinancing_data()[self.project.id]["plan"]
        self.assertFalse([w for w in plan["warnings"] if "can't be valued" in w])
        # a firm switching to the salary formula without any salary is refused too
        self.participant_a.average_monthly_salary = 0.0
        with self.assertRaisesRegex(ValidationError, "Anna Ringtorp has no monthly salary"):
            self.participant_a.valuation_method = "salary"
