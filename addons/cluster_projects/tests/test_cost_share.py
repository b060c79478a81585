from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ClusterProjectsCommon

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


@tagged("post_install", "-at_install")
class TestCostShare(ClusterProjectsCommon):
    """The participants' cash shares of a period are decided here, from the project's
    co-financing data, without cluster_consulting's settlement."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.currency = cls.env.company.currency_id
        cls._cost(-1500.01, "external")
        cls._cost(-200.0, "travel", day=date(2026, 4, 2))  # another period
        grant = cls._grant()
        cls.env["cluster.grant.claim"].create(
            {
                "name": "Rekv mars",
                "grant_id": grant.id,
                "date_from": MARCH[0],
                "date_to": MARCH[1],
                "amount_claimed": 500.0,
            }
        )

    def test_shares_of_the_period_lead_takes_the_remainder(self):
        [(project, figures, amounts)] = self.project._cluster_cost_shares(*MARCH, self.currency)
        self.assertEqual(project, self.project)
        self.assertEqual(figures, {"cost": 1500.01, "public": 500.0, "base": 1000.01})
        # B: 40 % of 1 000.01 = 400.004 -> 400.00; the lead takes the rest, 600.01
        self.assertEqual(
            [(p.partner_id, amount) for p, amount in amounts],
            [(self.firm_a, 600.01), (self.firm_b, 400.0)],
        )

    def test_shares_not_summing_to_100_are_refused_with_the_project(self):
        self.participant_b.cost_share = 30.0
        with self.assertRaisesRegex(UserError, "Offentlig sektor som marknad.*90.00"):
            self.project._cluster_cost_shares(*MARCH, self.currency)

    def test_nothing_to_share_without_members_part(self):
        self.assertEqual(
            self.project._cluster_cost_shares(date(2026, 5, 1), date(2026, 5, 31), self.currency),
            [],
        )
        domain = self.env["project.project"]._cluster_get_share_domain(self.env.company)
        self.assertIn(self.project, self.env["project.project"].search(domain))

    def test_only_projects_with_a_cost_or_a_claim_of_the_period_are_worked_out(self):
        Project = self.env["project.project"]
        grant = self.project.cluster_grant_ids
        self.env["cluster.grant.claim"].create(
            {
                "name": "Rekv juni",
                "grant_id": grant.id,
                "date_from": date(2026, 6, 1),
                "date_to": date(2026, 6, 30),
                "amount_claimed": 100.0,
            }
        )
        self.assertEqual(self.project._cluster_share_candidates(*MARCH), self.project)
        # a claim alone can change the members' part (a correction claim lowers it)
        june = (date(2026, 6, 1), date(2026, 6, 30))
        self.assertEqual(self.project._cluster_share_candidates(*june), self.project)
        self.assertEqual(self.project._cluster_cost_shares(*june, self.currency), [])
        may = (date(2026, 5, 1), date(2026, 5, 31))
        self.assertEqual(self.project._cluster_share_candidates(*may), Project)
        self.env.flush_all()
        self.project.account_id  # noqa: B018 (read before the count)
        # a month without cost or claim: two reads, no co-financing worked out
        with self.assertQueryCount(2):
            self.assertEqual(self.project._cluster_cost_shares(*may, self.currency), [])

    def test_shares_do_not_read_the_money_received(self):
        invoice = self._share_invoice(self.firm_a, 600.0, day=date(2026, 3, 20))
        self._pay(invoice, 600.0, date(2026, 3, 25))
        with_cash = self.project._cluster_cofinancing_data(*MARCH)[self.project.id]
        self.assertEqual(with_cash["member_cash"], 600.0)
        self.env.flush_all()
        with self.assertLogs("odoo.sql_db", "DEBUG") as logs:
            shares = self.project._cluster_cost_shares(*MARCH, self.currency)
        self.assertFalse([line for line in logs.output if "account_partial_reconcile" in line])
        self.assertEqual(shares[0][1], {"cost": 1500.01, "public": 500.0, "base": 1000.01})
        without = self.project._cluster_cofinancing_data(*MARCH, member_cash=False)
        self.assertEqual(without[self.project.id]["cash_cost"], with_cash["cash_cost"])
        self.assertEqual(without[self.project.id]["public"], with_cash["public"])
        self.assertEqual(without[self.project.id]["member_cash"], 0.0)
