import io
from datetime import date

import openpyxl

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import ClusterProjectsCommon


@tagged("post_install", "-at_install")
class TestCofinancing(ClusterProjectsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.grant = cls._grant()
        cls._log(cls.employee_a, 6.0, day=date(2026, 2, 2))
        cls._log(cls.employee_a, 4.0, day=date(2026, 3, 2))  # A: 10 h x 500 = 5 000
        cls._log(cls.employee_b, 5.0)  # B: 5 h x 240 = 1 200
        cls._log(cls.employee_c, 3.0)  # not a participant: not in-kind, no cost (no hourly cost)
        cls._cost(-3000.0, "external")
        cls._cost(-1000.0, "travel")
        # A's cash share, invoiced to the firm and paid
        cls._pay(cls._share_invoice(cls.firm_a, 10000.0), 10000.0, date(2026, 3, 20))
        # B invoiced through a contact and paid; a second invoice not paid yet
        invoice_b = cls._share_invoice(cls.employee_b.work_contact_id, 2000.0)
        cls._pay(invoice_b, 2000.0, date(2026, 3, 25))
        cls.invoice_b_open = cls._share_invoice(cls.firm_b, 1000.0, day=date(2026, 3, 28))
        cls.claim = cls.env["cluster.grant.claim"].create(
            {
                "name": "Rekv 1",
                "grant_id": cls.grant.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 6, 30),
                "amount_claimed": 3000.0,
                "amount_received": 2500.0,
            }
        )

    def test_summary_exact_figures(self):
        self.assertFalse(self.project._cluster_cofinancing_data()[self.project.id]["warnings"])
        self._to_running()  # commitments are checked once the project runs
        data = self.project._cluster_cofinancing_data()[self.project.id]
        self.assertEqual(data["cash_cost"], 4000.0)
        self.assertEqual(data["in_kind_hours"], 15.0)
        self.assertEqual(data["in_kind_value"], 6200.0)
        self.assertEqual(data["eligible_cost"], 10200.0)
        self.assertEqual(data["public"], 3000.0)
        self.assertEqual(data["member_cash"], 12000.0)
        self.assertEqual(data["member_cash_open"], 1000.0)  # invoiced to B, not paid
        self.assertAlmostEqual(data["public_share"], 29.41, places=2)
        part_a = data["participants"][self.participant_a.id]
        part_b = data["participants"][self.participant_b.id]
        self.assertEqual(
            (part_a["hours"], part_a["in_kind"], part_a["cash"], part_a["behind"]),
            (10.0, 5000.0, 10000.0, False),
        )
        self.assertEqual(
            (part_b["hours"], part_b["in_kind"], part_b["cash"], part_b["behind"]),
            (5.0, 1200.0, 2000.0, True),
        )
        self.assertEqual((part_a["cash_open"], part_b["cash_open"]), (0.0, 1000.0))
        grant = data["grants"][self.grant.id]
        self.assertEqual(
            (grant["claimed"], grant["received"], grant["max_allowed"]),
            (3000.0, 2500.0, 5100.0),
        )
        self.assertFalse(grant["over_max"])
        self.assertEqual(len(data["warnings"]), 1)
        self.assertIn("Kvarnbo Telemarketing AB has paid 2000.00 of 5000.00", data["warnings"][0])
        # the same figures on the fields
        self.assertEqual(self.project.cluster_eligible_cost, 10200.0)
        self.assertEqual(self.participant_b.cash_received, 2000.0)
        self.assertTrue(self.participant_b.is_behind)
        self.assertEqual(self.grant.amount_claimed, 3000.0)
        self.assertEqual(self.grant.amount_received, 2500.0)

    def test_four_way_split(self):
        """Public/private x cash/in-kind: the funder's type decides a grant, the public
        body flag a participant; the aid intensity uses the public total."""
        self.firm_b.cluster_is_public_body = True  # e.g. a municipality
        self.participant_b.committed_employee_id = self.employee_b
        foundation = self.env["res.partner"].create(
            {
                "name": "Stiftelsen Kvarnbo",
                "is_company": True,
                "cluster_is_funder": True,
                "cluster_funder_type": "private",
            }
        )
        private_grant = self._grant(name="STK-1", funder_id=foundation.id, amount_granted=20000.0)
        self.env["cluster.grant.claim"].create(
            {
                "name": "Rekv S1",
                "grant_id": private_grant.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 6, 30),
                "amount_claimed": 1000.0,
            }
        )
        self.project.invalidate_recordset()
        data = self.project._cluster_cofinancing_data()[self.project.id]
        # public grant claimed 3 000 + B's cash 2 000; B's in-kind 5 h x 240
        self.assertEqual(
            data["split"]["actual"],
            {
                "public_cash": 5000.0,
                "public_in_kind": 1200.0,
                "private_cash": 11000.0,  # A's cash 10 000 + the foundation's 1 000
                "private_in_kind": 5000.0,  # A's 10 h x 500
            },
        )
        # 6 200 public of 10 200 eligible
        self.assertAlmostEqual(data["public_share"], 60.78, places=2)
        self.assertEqual(self.project.cluster_public_cash_actual, 5000.0)
        self.assertEqual(self.project.cluster_private_in_kind_actual, 5000.0)
        # plan: granted 100 000 public, 20 000 private; A commits 10 000 + 10 h x 500,
        # B (public) 5 000 + 4 h x 240
        self.assertEqual(
            data["split"]["plan"],
            {
                "public_cash": 105000.0,
                "public_in_kind": 960.0,
                "private_cash": 30000.0,
                "private_in_kind": 5000.0,
            },
        )
        self.assertEqual(self.project.cluster_public_cash_plan, 105000.0)
        self.assertEqual(self.project.cluster_private_cash_plan, 30000.0)

    def test_customer_credit_note_is_no_cost(self):
        """A member's cash share invoiced and credited again: never a cost of the
        project, and no money received; while open it is invoiced, not paid."""
        self._to_running()
        before = self.project._cluster_cofinancing_data()[self.project.id]
        invoice = self._share_invoice(self.firm_a, 1500.0, day=date(2026, 3, 20))
        invoiced = self.project._cluster_cofinancing_data()[self.project.id]
        self.assertEqual(invoiced["cash_cost"], before["cash_cost"])
        part_a = invoiced["participants"][self.participant_a.id]
        self.assertEqual(part_a["cash"], before["participants"][self.participant_a.id]["cash"])
        self.assertEqual(part_a["cash_open"], 1500.0)
        credit = invoice._reverse_moves(
            [{"invoice_date": date(2026, 3, 25), "ref": "Kreditering"}]
        )
        credit.action_post()
        after = self.project._cluster_cofinancing_data()[self.project.id]
        self.assertEqual(after["cash_cost"], before["cash_cost"])
        self.assertEqual(after["eligible_cost"], before["eligible_cost"])
        self.assertEqual(
            after["participants"][self.participant_a.id]["cash"],
            before["participants"][self.participant_a.id]["cash"],
        )
        self.assertEqual(after["participants"][self.participant_a.id]["cash_open"], 0.0)
        self.assertEqual(after["member_cash_open"], before["member_cash_open"])
        actuals = self.project._cluster_actuals_by_category()
        self.assertEqual(sum(actuals.values()), before["eligible_cost"])

    def _to_running(self):
        self.project.action_cluster_apply()
        decision = self.env["cluster.decision"].create(
            {
                "title": "Bevilja",
                "res_model": "project.project",
                "res_id": self.project.id,
            }
        )
        decision.action_adopt()
        self.project.cluster_decision_id = decision
        self.project.action_cluster_grant()
        self.project.action_cluster_start()

    def test_final_report_blocked_then_allowed(self):
        self._to_running()
        with self.assertRaisesRegex(UserError, "Kvarnbo Telemarketing AB has paid"):
            self.project.action_final_report()
        # B's invoiced 1 000 counts only once paid: 3 000 received makes 5 000
        invoice = self._share_invoice(self.firm_b, 2000.0, day=date(2026, 4, 1))
        self.project.invalidate_recordset()
        self.assertIn("has paid 2000.00 of 5000.00", self.project.cluster_cofinancing_warning)
        self._pay(invoice, 2000.0, date(2026, 4, 2))
        self._pay(self.invoice_b_open, 1000.0, date(2026, 4, 3))
        self.project.invalidate_recordset()
        self.assertFalse(self.project.cluster_cofinancing_warning)
        # public share above the grant's maximum: 6 000 / 10 200 = 58.82 % > 50 %
        self.claim.amount_claimed = 6000.0
        self.project.invalidate_recordset()
        self.assertIn("58.82 % of eligible cost", self.project.cluster_cofinancing_warning)
        with self.assertRaisesRegex(UserError, "maximum is 50.00 %"):
            self.project.action_final_report()
        self.assertEqual(self.project.cluster_stage, "running")
        self.claim.amount_claimed = 5100.0  # exactly the maximum
        self.project.action_final_report()
        self.assertEqual(self.project.cluster_stage, "final_reporting")
        self.project.action_cluster_close()
        self.assertEqual(self.project.cluster_stage, "closed")

    def _count(self, func):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        func()
        return self.env.cr.sql_log_count - before

    def test_query_count_constant(self):
        """The summary costs the same number of queries for N and 2N hours."""
        Line = self.env["account.analytic.line"]
        vals = {
            "name": "Timme",
            "project_id": self.project.id,
            "task_id": self.task.id,
            "employee_id": self.employee_a.id,
            "unit_amount": 1.0,
            "date": date(2026, 4, 1),
        }
        Line.create([vals] * 50)
        self.env.flush_all()
        self.env.invalidate_all()  # both measures start from the same (empty) cache
        projects = self.project
        first = self._count(lambda: projects._cluster_cofinancing_data())
        Line.create([vals] * 100)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(first):
            data = projects._cluster_cofinancing_data()
        self.assertEqual(data[self.project.id]["in_kind_hours"], 165.0)
        self.assertLessEqual(first, 15)

    def test_query_count_independent_of_projects(self):
        """Summary and budget actuals of 1 or 4 projects cost the same queries."""
        projects = self.project
        for i in range(3):
            project = self.env["project.project"].create(
                {
                    "name": f"Extra {i}",
                    "is_joint_project": True,
                    "date_start": date(2026, 1, 1),
                    "date": date(2026, 12, 31),
                    "cluster_participant_ids": [
                        Command.create(
                            {
                                "partner_id": self.firm_a.id,
                                "cost_share": 100,
                                "hourly_value": 100,
                            }
                        )
                    ],
                    "cluster_budget_line_ids": [
                        Command.create(
                            {
                                "category": "own_staff_in_kind",
                                "date_from": date(2026, 1, 1),
                                "date_to": date(2026, 12, 31),
                                "amount_planned": 1000,
                            }
                        )
                    ],
                }
            )
            task = self.env["project.task"].create({"name": "T", "project_id": project.id})
            self.env["account.analytic.line"].create(
                {
                    "name": "Arbete",
                    "project_id": project.id,
                    "task_id": task.id,
                    "employee_id": self.employee_a.id,
                    "unit_amount": 2.0,
                    "date": date(2026, 5, 5),
                }
            )
            projects |= project
        self.env["cluster.budget.line"].create(
            {
                "project_id": self.project.id,
                "category": "external",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
                "amount_planned": 1000,
            }
        )
        self.env.flush_all()
        one = self._count(lambda: self.project._cluster_cofinancing_data())
        four = self._count(lambda: projects._cluster_cofinancing_data())
        self.assertEqual(one, four)
        budget_one = self._count(
            lambda: self.project.cluster_budget_line_ids._cluster_get_actuals()
        )
        budget_four = self._count(lambda: projects.cluster_budget_line_ids._cluster_get_actuals())
        self.assertEqual(budget_one, budget_four)
        self.assertLessEqual(budget_four, 5)
        data = projects._cluster_cofinancing_data()
        self.assertEqual(data[projects[-1].id]["in_kind_value"], 200.0)
        actuals = projects.cluster_budget_line_ids._cluster_get_actuals()
        line = projects[-1].cluster_budget_line_ids
        self.assertEqual(actuals[line.id], 200.0)

    def test_plan(self):
        Budget = self.env["cluster.budget.line"]
        Budget.create(
            {
                "project_id": self.project.id,
                "category": "external",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
                "amount_planned": 150000.0,
            }
        )
        plan = self.project._cluster_cofinancing_data()[self.project.id]["plan"]
        # private: A 10 000 cash + 10 h x 500; B 5 000 cash (hours by salary without a
        # salary: unvalued, and said so)
        self.assertEqual(
            (plan["cost"], plan["public"], plan["private"]),
            (150000.0, 100000.0, 20000.0),
        )
        self.assertEqual(plan["gap"], 30000.0)
        self.assertEqual(len(plan["warnings"]), 3)
        self.assertIn("more than 50.00 % of the planned cost (75000.00)", plan["warnings"][0])
        self.assertIn("4.00 committed hours of Kvarnbo Telemarketing AB", plan["warnings"][1])
        self.assertIn("30000.00 more than the granted", plan["warnings"][2])
        Budget.create(
            {
                "project_id": self.project.id,
                "category": "travel",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
                "amount_planned": 50000.0,
            }
        )
        self.project.invalidate_recordset()
        self.assertEqual(self.project.cluster_plan_cost, 200000.0)
        # 100 000 is exactly 50 % of 200 000: only the gap is left
        self.assertEqual(self.project.cluster_plan_gap, 80000.0)
        self.assertEqual(
            self.project.cluster_plan_warning.splitlines()[-1],
            "The planned cost is 80000.00 more than the granted and committed funding.",
        )

    def test_plan_values_salary_commitments(self):
        """Committed hours under the salary formula are valued like logged hours."""
        self.env["cluster.budget.line"].create(
            {
                "project_id": self.project.id,
                "category": "external",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
                "amount_planned": 150000.0,
            }
        )
        # B commits 4 h of Bertil: 34 400 x 12 / 1 720 = 240 per hour -> 960.00
        self.participant_b.committed_employee_id = self.employee_b
        plan = self.project._cluster_cofinancing_data()[self.project.id]["plan"]
        self.assertEqual((plan["private"], plan["gap"]), (20960.0, 29040.0))
        # the same value as 4 logged hours of the same person
        self.assertEqual(self._log(self.employee_b, 4.0).cluster_in_kind_value, 960.0)
        # no person named: the firm's stated average monthly salary 38 700.55
        # 38 700.55 x 12 / 1 720 = 270.0038372... per hour; 4 h -> 1 080.02
        self.participant_b.write(
            {"committed_employee_id": False, "average_monthly_salary": 38700.55}
        )
        self.project.invalidate_recordset()
        self.assertEqual(self.project.cluster_plan_private, 21080.02)
        self.assertEqual(self.project.cluster_plan_gap, 28919.98)
        # a person of B without a monthly salary logs at the same average: 2 h -> 540.01
        other = self._create_employee("Berit Kvarnbo", self.firm_b)
        self.assertEqual(self._log(other, 2.0).cluster_in_kind_value, 540.01)


@tagged("post_install", "-at_install")
class TestCashReceived(ClusterProjectsCommon):
    """Members' cash is money received: payments on the project's invoices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice_a = cls._share_invoice(cls.firm_a, 10000.0, day=date(2026, 3, 15))
        cls.payment_a = cls._pay(cls.invoice_a, 4000.0, date(2026, 4, 10))
        # 1 200 of a 2 000 invoice is the project's: a payment of 1 000 pays 600 of it
        cls.invoice_b = cls._share_invoice(cls.firm_b, 1200.0, day=date(2026, 4, 1), other=800.0)
        cls.payment_b = cls._pay(cls.invoice_b, 1000.0, date(2026, 5, 5))
        cls._share_invoice(cls.firm_c, 700.0)  # not a participant: not members' cash

    def _figures(self, date_from=None, date_to=None):
        data = self.project._cluster_cofinancing_data(date_from, date_to)[self.project.id]
        parts = data["participants"]
        return (
            data["member_cash"],
            data["member_cash_open"],
            parts[self.participant_a.id]["cash"],
            parts[self.participant_b.id]["cash"],
        )

    def test_cash_is_payments_by_payment_date(self):
        # whole project: received 4 000 + 600; open 6 000 + 600
        self.assertEqual(self._figures(), (4600.0, 6600.0, 4000.0, 600.0))
        # first quarter: A's invoice, nothing paid yet; B's invoice is dated in April
        self.assertEqual(
            self._figures(date(2026, 1, 1), date(2026, 3, 31)), (0.0, 10000.0, 0.0, 0.0)
        )
        # second quarter: both payments, and what is still open on 30 June
        self.assertEqual(
            self._figures(date(2026, 4, 1), date(2026, 6, 30)), (4600.0, 6600.0, 4000.0, 600.0)
        )
        self.assertEqual(self.participant_a.cash_received, 4000.0)
        self.assertEqual(self.participant_a.cash_open, 6000.0)
        self.assertEqual(self.project.cluster_member_cash, 4600.0)
        self.assertEqual(self.project.cluster_member_cash_open, 6600.0)

    def test_unpaid_invoice_is_no_cash(self):
        """Invoiced is not received (the old figure counted every invoiced share)."""
        self._share_invoice(self.firm_a, 2500.0, day=date(2026, 6, 1))
        self.assertEqual(self._figures(), (4600.0, 9100.0, 4000.0, 600.0))

    def test_xlsx_cash_received_and_open(self):
        wizard = (
            self.env["cluster.funder.report"]
            .with_user(self.cluster_user)
            .create({"project_id": self.project.id})
        )
        wizard.action_export()
        book = openpyxl.load_workbook(io.BytesIO(wizard.attachment_id.sudo().raw), read_only=True)
        summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
        self.assertEqual(summary["Members' cash"], 4600.0)
        self.assertEqual(summary["Members' cash invoiced, not paid"], 6600.0)
        cash = list(book["Cash received"].iter_rows(values_only=True))
        self.assertEqual(cash[0], ("Date", "Firm", "Invoice", "Payment", "Amount"))
        self.assertEqual(
            cash[1:],
            [
                (
                    "2026-04-10",
                    "Ringtorp Information AB",
                    self.invoice_a.name,
                    self.payment_a.name,
                    4000,
                ),
                (
                    "2026-05-05",
                    "Kvarnbo Telemarketing AB",
                    self.invoice_b.name,
                    self.payment_b.name,
                    600,
                ),
                ("Total", None, None, None, 4600),
            ],
        )
        unpaid = list(book["Invoiced, not paid"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(
            unpaid,
            [
                ("2026-03-15", "Ringtorp Information AB", self.invoice_a.name, 10000, 6000),
                ("2026-04-01", "Kvarnbo Telemarketing AB", self.invoice_b.name, 1200, 600),
                ("Total", None, None, None, 6600),
            ],
        )
        cofin = {
            row[0]: row[1:] for row in book["Co-financing"].iter_rows(min_row=2, values_only=True)
        }
        self.assertEqual(cofin["Ringtorp Information AB"][1], 4000)
        self.assertEqual(cofin["Ringtorp Information AB"][7], 6000)
        self.assertEqual(cofin["Total"][1], 4600)
        self.assertEqual(cofin["Total"][7], 6600)
