"""A year of the cluster through all three addons, as the association's staff run it.

Firm A and firm B join, take part in a joint project, firm A lends its expert to the
project, and the month is settled. The points where the addons meet are checked: an
hour of a participant's employee is in-kind co-financing unless it is bought out on an
agreement, a bought-out hour is invoiced once and never counted in-kind, and the money
of the run is right to the öre.
"""

from datetime import date

import psycopg2

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

YEAR = 2038  # far from the demo data's dates: a settlement takes every hour of its period


@tagged("post_install", "-at_install", "cluster_scenario")
class TestClusterYear(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.manager = new_test_user(
            cls.env,
            login="scenario_manager",
            groups="cluster_base.cluster_base_group_manager,account.group_account_invoice",
        )
        Partner = cls.env["res.partner"]
        cls.firm_a = Partner.create(
            {"name": "Scenario Alfa AB", "is_company": True, "company_registry": "5560360793"}
        )
        cls.firm_b = Partner.create({"name": "Scenario Beta AB", "is_company": True})
        cls.fee_product = cls.env["product.product"].create(
            {
                "name": "Scenario annual fee",
                "type": "service",
                "membership": True,
                "list_price": 4000.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.core = cls.env["cluster.membership.type"].create(
            {
                "name": "Scenario core firm",
                "category": "core",
                "contribution_amount": 10000.0,
                "fee_product_id": cls.fee_product.id,
                "voting_right": True,
            }
        )
        cls.person_a = Partner.create(
            {"name": "Greta Scenario", "parent_id": cls.firm_a.id, "email": "g@example.com"}
        )
        cls.signatory_a = Partner.create(
            {
                "name": "Signe Scenario",
                "parent_id": cls.firm_a.id,
                "email": "s@example.com",
                "cluster_is_signatory": True,
            }
        )

    def _decision(self, title):
        decision = (
            self.env["cluster.decision"]
            .with_user(self.manager)
            .create({"title": title, "date": date(YEAR, 1, 15)})
        )
        decision.action_adopt()
        return decision

    def _admit(self, firm):
        membership = (
            self.env["cluster.membership"]
            .with_user(self.manager)
            .create({"partner_id": firm.id, "membership_type_id": self.core.id})
        )
        membership.action_apply()
        membership.admission_decision_id = self._decision(f"Admit {firm.name}")
        membership.action_admit()
        return membership

    def test_membership_project_expert_and_settlement(self):
        # 1. Admission: the contribution is invoiced on admission; paying it activates.
        membership = self._admit(self.firm_a)
        self.assertEqual(membership.state, "admitted")
        contribution = membership.move_ids.filtered(lambda m: m.move_type == "out_invoice")
        self.assertEqual(contribution.amount_total, 10000.0)
        if contribution.state == "draft":
            contribution.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=contribution.ids
        ).create({"payment_date": contribution.invoice_date})._create_payments()
        self.assertEqual(membership.state, "active")
        self.assertTrue(self.firm_a.is_cluster_member)
        self._admit(self.firm_b)

        # 2. A joint project of both firms, granted by the board and running.
        project = (
            self.env["project.project"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Scenario: public sector as a market",
                    "is_joint_project": True,
                    "date_start": date(YEAR, 1, 1),
                    "date": date(YEAR, 12, 31),
                    "cluster_participant_ids": [
                        Command.create(
                            {
                                "partner_id": self.firm_a.id,
                                "role": "lead",
                                "cost_share": 60.0,
                                "hourly_value": 500.0,
                            }
                        ),
                        Command.create({"partner_id": self.firm_b.id, "cost_share": 40.0}),
                    ],
                }
            )
        )
        self.assertTrue(project.account_id, "a joint project keeps its own books")
        project.action_cluster_apply()
        project.cluster_decision_id = self._decision("Grant the project")
        project.cluster_decision_id.write({"res_model": "project.project", "res_id": project.id})
        project.action_cluster_grant()
        project.action_cluster_start()
        self.assertEqual(project.cluster_stage, "running")

        # 3. Firm A lends its expert to the project, bought out by the association.
        expert = (
            self.env["cluster.expert"]
            .with_user(self.manager)
            .create({"partner_id": self.person_a.id, "hourly_rate": 900.0, "hours_per_month": 40})
        )
        self.assertEqual(expert.employer_id, self.firm_a)
        agreement = (
            self.env["cluster.agreement"]
            .with_user(self.manager)
            .create(
                {
                    "expert_id": expert.id,
                    "project_id": project.id,
                    "date_from": date(YEAR, 3, 1),
                    "date_to": date(YEAR, 3, 31),
                    "hour_cap": 20.0,
                }
            )
        )
        agreement.action_request()
        agreement.action_lender_approve()
        agreement.action_activate()
        self.assertEqual(agreement.state, "active")

        Line = self.env["account.analytic.line"].with_user(self.manager)
        employee = expert.employee_id
        bought = Line.create(
            {
                "name": "Coaching sellers",
                "agreement_id": agreement.id,
                "project_id": project.id,
                "employee_id": employee.id,
                "date": date(YEAR, 3, 3),
                "unit_amount": 6.0,
            }
        )
        in_kind = Line.create(
            {
                "name": "Own time in the project",
                "project_id": project.id,
                "employee_id": employee.id,
                "date": date(YEAR, 3, 4),
                "unit_amount": 2.0,
            }
        )
        # The same person's hours: on the agreement bought out, otherwise her firm's
        # in-kind co-financing at the agreed hourly value.
        self.assertEqual(bought.cluster_hour_use, "bought_out")
        self.assertEqual(in_kind.cluster_hour_use, "in_kind")
        self.assertEqual(in_kind.cluster_member_id, self.firm_a)
        self.assertEqual(in_kind.cluster_in_kind_value, 1000.0)
        self.assertFalse(bought.cluster_in_kind_value)
        with self.assertRaises(ValidationError):
            bought.write({"cluster_hour_use": "in_kind"})

        # 4. Approval and the month's settlement: one bill to the lender, once.
        bought.action_cluster_submit()
        bought.action_cluster_approve()
        settlement = (
            self.env["cluster.settlement"]
            .with_user(self.manager)
            .create({"date_from": date(YEAR, 3, 1), "date_to": date(YEAR, 3, 31)})
        )
        settlement.action_run()
        bills = settlement.move_ids.filtered(lambda m: m.move_type == "in_invoice")
        self.assertEqual(bills.partner_id, self.firm_a)
        self.assertEqual(bills.invoice_line_ids.quantity, 6.0)
        self.assertEqual(bills.amount_untaxed, 5400.0)
        self.assertFalse(
            bills.currency_id.compare_amounts(
                bills.amount_total, sum(bills.line_ids.mapped("price_total"))
            )
        )
        self.assertEqual(bought.cluster_bill_line_id, bills.invoice_line_ids)
        self.assertFalse(in_kind.cluster_bill_line_id, "an in-kind hour is never billed")
        moves_before = settlement.move_ids
        settlement.action_run()
        self.assertEqual(settlement.move_ids, moves_before, "a rerun creates nothing")

        # 5. The database itself refuses to count the billed hour as in-kind.
        self.env.flush_all()
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.CheckViolation):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "UPDATE account_analytic_line SET cluster_hour_use = 'in_kind' WHERE id = %s",
                    [bought.id],
                )
