from datetime import date, timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError
from odoo.modules.registry import Registry
from odoo.tests import new_test_user, tagged
from odoo.tests.common import BaseCase, get_db_name

from .common import ConsultingCommon

# far from the demo data and from the other settlement tests
YEAR = 2038


def _create_joint(env, name, shares, funder=None, claim=0.0, year=YEAR):
    """A joint project with participants ``[(firm, share, role)]``, an optional grant
    with a claim of ``claim`` for March of ``year``."""
    project = env["project.project"].create({"name": name, "is_joint_project": True})
    env["cluster.project.participant"].create(
        [
            {
                "project_id": project.id,
                "partner_id": firm.id,
                "cost_share": share,
                "role": role,
            }
            for firm, share, role in shares
        ]
    )
    if funder:
        grant = env["cluster.grant"].create(
            {
                "name": f"Grant {name}",
                "project_id": project.id,
                "funder_id": funder.id,
                "amount_granted": 100000.0,
                "max_public_share": 50.0,
                "date_from": date(year, 1, 1),
                "date_to": date(year, 12, 31),
            }
        )
        if claim:
            env["cluster.grant.claim"].create(
                {
                    "name": f"Claim {name}",
                    "grant_id": grant.id,
                    "date_from": date(year, 3, 1),
                    "date_to": date(year, 3, 31),
                    "amount_claimed": claim,
                }
            )
    return project


def _cost(env, project, amount, day, name="Consultant invoice"):
    return env["account.analytic.line"].create(
        {
            "name": name,
            "account_id": project.account_id.id,
            "amount": -amount,
            "date": day,
        }
    )


@tagged("post_install", "-at_install")
class TestSettlementShare(ConsultingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.firm_c = cls.env["res.partner"].create(
            {
                "name": "Cirkelsåg Dalarna AB",
                "is_company": True,
                "company_registry": "559345-6782",
            }
        )
        cls.funder = cls.env["res.partner"].create(
            {
                "name": "Tillväxtverket (test)",
                "is_company": True,
                "cluster_is_funder": True,
                "cluster_funder_type": "national_agency",
            }
        )
        cls.treasurer = new_test_user(
            cls.env,
            login="share_treasurer",
            groups="cluster_base.cluster_base_group_manager,account.group_account_invoice",
        )
        # 1000.01 of cash cost in March, 400.00 (40 %) claimed on the grant
        cls.joint = _create_joint(
            cls.env,
            "Smart skog",
            [
                (cls.firm_a, 50.0, "lead"),
                (cls.firm_b, 30.0, "participant"),
                (cls.firm_c, 20.0, "participant"),
            ],
            funder=cls.funder,
            claim=400.00,
        )
        _cost(cls.env, cls.joint, 600.00, date(YEAR, 3, 10))
        _cost(cls.env, cls.joint, 400.01, date(YEAR, 3, 20))
        # not cash cost: outside the period, and revenue
        _cost(cls.env, cls.joint, 999.0, date(YEAR, 4, 1))
        _cost(cls.env, cls.joint, -50.0, date(YEAR, 3, 11), name="Income")
        # a second project: firm A 60 %, firm B 40 % (lead B), no grant
        cls.joint_2 = _create_joint(
            cls.env,
            "Grön logistik",
            [(cls.firm_a, 60.0, "participant"), (cls.firm_b, 40.0, "lead")],
        )
        _cost(cls.env, cls.joint_2, 100.03, date(YEAR, 3, 15))

    def _settle(self, month=3):
        settlement = (
            self.env["cluster.settlement"]
            .with_user(self.treasurer)
            .create(
                {
                    "date_from": date(YEAR, month, 1),
                    "date_to": date(YEAR, month + 1, 1) - timedelta(days=1),
                }
            )
        )
        settlement.action_run()
        return settlement

    def _share(self, settlement, project, firm):
        return settlement.share_ids.filtered(
            lambda s: s.project_id == project and s.partner_id == firm
        )

    def test_shares_exact_to_the_ore(self):
        settlement = self._settle()
        shares = settlement.share_ids.filtered(lambda s: s.project_id == self.joint)
        self.assertEqual(len(shares), 3)
        self.assertEqual(set(shares.mapped("cost_amount")), {1000.01})
        self.assertEqual(set(shares.mapped("public_amount")), {400.00})
        self.assertEqual(set(shares.mapped("base_amount")), {600.01})
        amounts = {share.partner_id: share.amount for share in shares}
        # 30 % and 20 % of 600.01 rounded; the lead takes the remainder
        self.assertEqual(amounts[self.firm_b], 180.00)
        self.assertEqual(amounts[self.firm_c], 120.00)
        self.assertEqual(amounts[self.firm_a], 300.01)
        currency = settlement.currency_id
        self.assertFalse(currency.compare_amounts(sum(shares.mapped("amount")), 600.01))
        # project 2: 60 % of 100.03 = 60.018 -> 60.02, lead B takes 40.01
        shares_2 = settlement.share_ids.filtered(lambda s: s.project_id == self.joint_2)
        self.assertEqual(
            {s.partner_id: s.amount for s in shares_2},
            {self.firm_a: 60.02, self.firm_b: 40.01},
        )
        # one invoice per firm, one line per project, linked to its share
        invoices = settlement.move_ids.filtered(lambda m: m.move_type == "out_invoice")
        self.assertEqual(len(invoices), 3)
        self.assertEqual(invoices.partner_id, self.firm_a | self.firm_b | self.firm_c)
        invoice_a = invoices.filtered(lambda m: m.partner_id == self.firm_a)
        self.assertEqual(len(invoice_a.invoice_line_ids), 2)
        self.assertAlmostEqual(invoice_a.amount_untaxed, 360.03, places=2)
        for share in settlement.share_ids:
            # the share is income of the project: on its analytic account
            self.assertEqual(
                share.move_line_id.analytic_distribution,
                {str(share.project_id.account_id.id): 100},
            )
            self.assertEqual(share.move_line_id.price_subtotal, share.amount)
            self.assertEqual(share.move_line_id.move_id, share.move_id)
            self.assertEqual(share.state, "invoiced")
        # a cost share is a service: l10n_se's 25 % on services, not the default on goods
        sale_tax = (
            self.env["account.chart.template"].ref("sale_tax_25_services", False)
            or self.env.company.account_sale_tax_id
        )
        if sale_tax.amount_type == "percent" and sale_tax.amount == 25.0:
            self.assertEqual(invoice_a.invoice_line_ids.tax_ids, sale_tax)
            # 25 % of 300.01 (75.0025) and of 60.02 (15.005): 90.01 on the invoice
            self.assertFalse(currency.compare_amounts(invoice_a.amount_tax, 90.01))
        for move in invoices:
            self.assertFalse(
                currency.compare_amounts(move.amount_total, move.amount_untaxed + move.amount_tax)
            )
        self.assertEqual(set(invoices.mapped("state")), {"draft"})

    def test_rerun_creates_nothing_new(self):
        settlement = self._settle()
        moves = settlement.move_ids
        settlement.action_run()
        self.assertEqual(settlement.move_ids, moves)
        self.assertEqual(len(settlement.share_ids), 5)

    def test_cancel_frees_the_shares(self):
        settlement = self._settle()
        invoice_b = self._share(settlement, self.joint, self.firm_b).move_id
        invoice_b.with_user(self.treasurer).button_cancel()
        freed = settlement.share_ids.filtered(lambda s: s.move_id == invoice_b)
        self.assertEqual(set(freed.mapped("state")), {"cancelled"})
        before = settlement.move_ids
        settlement.action_run()
        new = settlement.move_ids - before
        self.assertEqual(len(new), 1)
        self.assertEqual(new.partner_id, self.firm_b)
        self.assertAlmostEqual(new.amount_untaxed, 220.01, places=2)
        with self.assertRaises(UserError):
            invoice_b.with_user(self.treasurer).button_draft()

    def test_deleting_the_draft_line_frees_the_share(self):
        settlement = self._settle()
        share = self._share(settlement, self.joint_2, self.firm_a)
        invoice = share.move_id
        invoice.write({"invoice_line_ids": [(2, share.move_line_id.id)]})
        self.env.invalidate_all()
        self.assertFalse(share.exists())
        settlement.action_run()
        again = self._share(settlement, self.joint_2, self.firm_a)
        self.assertEqual(again.amount, 60.02)
        self.assertNotEqual(again.move_id, invoice)

    def test_credit_note_frees_exactly_the_credited_share(self):
        settlement = self._settle()
        settlement.move_ids.with_user(self.treasurer).action_post()
        share = self._share(settlement, self.joint, self.firm_a)
        other = self._share(settlement, self.joint_2, self.firm_a)
        self.assertEqual(share.move_id, other.move_id)
        wizard = (
            self.env["cluster.settlement.credit"]
            .with_user(self.treasurer)
            .create(
                {
                    "settlement_id": settlement.id,
                    "share_ids": [(6, 0, share.ids)],
                    "reason": "Wrong period",
                }
            )
        )
        wizard.action_confirm()
        refund = settlement.move_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertEqual(len(refund.invoice_line_ids), 1)
        self.assertEqual(
            refund.invoice_line_ids.analytic_distribution,
            {str(self.joint.account_id.id): 100},
        )
        # posted, the shares are the project's income from its participants
        income = self.env["account.analytic.line"].search(
            [("move_line_id", "in", share.move_id.invoice_line_ids.ids)]
        )
        self.assertEqual(income.account_id, self.joint.account_id | self.joint_2.account_id)
        self.assertEqual(income.partner_id, self.firm_a)
        self.assertAlmostEqual(sum(income.mapped("amount")), 360.03, places=2)
        self.assertEqual(refund.amount_untaxed, 300.01)
        self.assertEqual(refund.reversed_entry_id, share.move_id)
        self.assertEqual(share.state, "credited")
        self.assertEqual(other.state, "invoiced")
        # a second credit of the same share is refused
        with self.assertRaises(UserError):
            self.env["cluster.settlement.credit"].with_user(self.treasurer).create(
                {
                    "settlement_id": settlement.id,
                    "share_ids": [(6, 0, share.ids)],
                    "reason": "again",
                }
            ).action_confirm()
        # Odoo's own credit note would keep the other share invoiced: refused, the
        # message points to the settlement's wizard
        with self.assertRaisesRegex(UserError, "Credit settled hours"):
            other.move_id.with_user(self.treasurer).action_reverse()
        with self.assertRaisesRegex(UserError, "Credit settled hours"):
            refund.with_user(self.treasurer)._reverse_moves()
        self.assertEqual(other.state, "invoiced")
        before = settlement.move_ids
        settlement.action_run()
        new = settlement.move_ids - before
        self.assertEqual(len(new), 1)
        self.assertEqual(new.invoice_line_ids.price_subtotal, 300.01)
        active = settlement.share_ids.filtered(lambda s: s.state == "invoiced")
        self.assertEqual(len(active), 5)
        # the net statement: shares minus the credit note
        self.env.flush_all()
        settlement.invalidate_recordset(["balance_ids"])
        balance_a = settlement.balance_ids.filtered(lambda b: b.partner_id == self.firm_a)
        total = (
            sum(
                (settlement.move_ids - refund)
                .filtered(lambda m: m.partner_id == self.firm_a)
                .mapped("amount_total")
            )
            - refund.amount_total
        )
        self.assertFalse(
            settlement.currency_id.compare_amounts(balance_a.amount_cost_shares, total)
        )

    def test_share_credit_note_uses_the_wizards_refund_values(self):
        """A cost share's credit note is built by the same ``_prepare_refund_vals`` and
        ``_prepare_refund_line_vals`` as an hour's: on the invoice line's account."""
        settlement = self._settle()
        settlement.move_ids.with_user(self.treasurer).action_post()
        share = self._share(settlement, self.joint, self.firm_b)
        Credit = type(self.env["cluster.settlement.credit"])
        original = Credit._prepare_refund_vals

        def mark_refund(wizard, move, lines):
            return original(wizard, move, lines) | {"narration": "[refund]"}

        with patch.object(Credit, "_prepare_refund_vals", mark_refund):
            self.env["cluster.settlement.credit"].with_user(self.treasurer).create(
                {"settlement_id": settlement.id, "share_ids": [(6, 0, share.ids)], "reason": "y"}
            ).action_confirm()
        refund = settlement.move_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertEqual(refund.narration, "<p>[refund]</p>")
        self.assertEqual(refund.reversed_entry_id, share.move_id)
        self.assertEqual(refund.invoice_line_ids.account_id, share.move_line_id.account_id)
        self.assertEqual(refund.amount_untaxed, share.amount)
        self.assertEqual(share.state, "credited")

    def test_shares_must_sum_to_100(self):
        project = _create_joint(
            self.env,
            "Halv",
            [(self.firm_a, 50.0, "lead"), (self.firm_b, 30.0, "participant")],
        )
        _cost(self.env, project, 10.0, date(YEAR, 3, 2))
        with self.assertRaisesRegex(UserError, "Halv"):
            self._settle()
        self.assertFalse(
            self.env["cluster.settlement.share"].search(
                [("project_id", "in", (self.joint | self.joint_2).ids)]
            )
        )

    def test_rights(self):
        settlement = self.env["cluster.settlement"].create(
            {"date_from": date(YEAR, 3, 1), "date_to": date(YEAR, 3, 31)}
        )
        with self.assertRaises(AccessError):
            settlement.with_user(self.board_user).action_run()
        settlement.with_user(self.treasurer).action_run()
        shares = settlement.share_ids.with_user(self.board_user)
        self.assertEqual(len(shares.read(["amount"])), 5)
        with self.assertRaises(AccessError):
            shares.with_user(self.treasurer).write({"amount": 1.0})
        with self.assertRaises(AccessError):
            self.env["cluster.settlement.share"].with_user(self.cluster_user).search([])

    def test_net_statement_with_fees(self):
        fee = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.firm_c.id,
                "invoice_date": date(YEAR, 3, 5),
                "cluster_move_kind": "fee",
                "invoice_line_ids": [
                    (0, 0, {"name": "Annual fee", "quantity": 1, "price_unit": 1000.0})
                ],
            }
        )
        settlement = self._settle()
        self.env.flush_all()
        settlement.invalidate_recordset(["balance_ids"])
        balance_c = settlement.balance_ids.filtered(lambda b: b.partner_id == self.firm_c)
        share_invoice = self._share(settlement, self.joint, self.firm_c).move_id
        currency = settlement.currency_id
        self.assertFalse(currency.compare_amounts(balance_c.amount_fees, fee.amount_total))
        self.assertFalse(
            currency.compare_amounts(balance_c.amount_cost_shares, share_invoice.amount_total)
        )
        self.assertFalse(
            currency.compare_amounts(
                balance_c.amount_period_net, fee.amount_total + share_invoice.amount_total
            )
        )
        self.assertIn(fee, balance_c._get_statement_moves())
        fee.button_cancel()
        self.env.flush_all()
        self.env.invalidate_all()
        balance_c = settlement.balance_ids.filtered(lambda b: b.partner_id == self.firm_c)
        self.assertFalse(balance_c.amount_fees)

    def test_query_count_does_not_grow_with_projects_or_costs(self):
        firms = [(self.firm_a, 50.0, "lead"), (self.firm_b, 50.0, "participant")]
        # months 6-9: N and 2N projects for the compute, N and 2N cost lines for the run
        counts = []
        for month, projects, lines in ((6, 2, 1), (7, 2, 1), (8, 4, 1), (9, 4, 2)):
            for index in range(projects):
                project = _create_joint(self.env, f"Q{month}-{index}", firms)
                for line in range(lines):
                    _cost(self.env, project, 10.0 + line, date(YEAR, month, 2))
            settlement = self.env["cluster.settlement"].create(
                {
                    "date_from": date(YEAR, month, 1),
                    "date_to": date(YEAR, month + 1, 1) - timedelta(days=1),
                }
            )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            settlement._get_cost_share_plan()
            compute = self.cr.sql_log_count - before
            self.env.invalidate_all()
            counts.append(compute)
        # every month's run sees all joint projects: 2 + 2 (+ 4 + 4) of them
        self.assertEqual(counts[1], counts[2], "N and 2N projects: same queries")
        self.assertEqual(counts[2], counts[3], "N and 2N cost lines: same queries")


@tagged("post_install", "-at_install")
class TestSettlementShareConcurrency(BaseCase):
    """Two settlement runs at once on the same period make one set of share invoices."""

    YEAR = 2039

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(cls._cleanup)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            firms = env["res.partner"].create(
                [{"name": f"Samtidig andel {i} AB", "is_company": True} for i in range(3)]
            )
            project = _create_joint(
                env,
                "Concurrent shares",
                [
                    (firms[0], 50.0, "lead"),
                    (firms[1], 30.0, "participant"),
                    (firms[2], 20.0, "participant"),
                ],
                year=cls.YEAR,
            )
            cost = _cost(env, project, 1000.01, date(cls.YEAR, 3, 3))
            settlement = env["cluster.settlement"].create(
                {"date_from": date(cls.YEAR, 3, 1), "date_to": date(cls.YEAR, 3, 31)}
            )
            cls.ids = {
                "firms": firms.ids,
                "project": project.id,
                "account": project.account_id.id,
                "cost": cost.id,
                "settlement": settlement.id,
            }

    @classmethod
    def _cleanup(cls):
        ids = cls.ids
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["account.move"].search(
                [("cluster_settlement_id", "=", ids["settlement"])]
            ).unlink()
            cr.execute(
                "DELETE FROM cluster_settlement_share WHERE settlement_id = %s",
                [ids["settlement"]],
            )
            cr.execute("DELETE FROM cluster_settlement WHERE id = %s", [ids["settlement"]])
            cr.execute("DELETE FROM account_analytic_line WHERE id = %s", [ids["cost"]])
            env["project.project"].browse(ids["project"]).unlink()
            env["account.analytic.account"].browse(ids["account"]).unlink()
            env["res.partner"].browse(ids["firms"]).unlink()

    def tearDown(self):
        # each test starts from the committed data without documents
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["account.move"].search(
                [("cluster_settlement_id", "=", self.ids["settlement"])]
            ).unlink()
            cr.execute(
                "DELETE FROM cluster_settlement_share WHERE settlement_id = %s",
                [self.ids["settlement"]],
            )
        super().tearDown()

    def _share_invoices(self, env):
        return env["account.move"].search(
            [
                ("cluster_settlement_id", "=", self.ids["settlement"]),
                ("move_type", "=", "out_invoice"),
            ]
        )

    def test_second_run_stops_and_one_set_of_share_invoices(self):
        settlement_id = self.ids["settlement"]
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            cr2.execute("SET LOCAL lock_timeout = '5s'")  # never hang the suite
            env1["cluster.settlement"].browse(settlement_id).action_run()
            with self.assertRaises(UserError) as caught:
                env2["cluster.settlement"].browse(settlement_id).action_run()
            self.assertIn("Another settlement", str(caught.exception))
            cr2.rollback()
            cr1.commit()
        # a rerun after the first committed creates nothing new
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            settlement = env["cluster.settlement"].browse(settlement_id)
            settlement.action_run()
            invoices = self._share_invoices(env)
            self.assertEqual(len(invoices), 3)
            self.assertEqual(sorted(invoices.mapped("amount_untaxed")), [200.0, 300.0, 500.01])
            self.assertEqual(len(settlement.share_ids), 3)

    def test_run_from_an_old_snapshot_hits_the_unique_index(self):
        settlement_id = self.ids["settlement"]
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            cr2.execute("SET LOCAL lock_timeout = '5s'")
            # the second transaction takes its snapshot before the first one commits
            self.assertFalse(self._share_invoices(env2))
            env1["cluster.settlement"].browse(settlement_id).action_run()
            cr1.commit()
            with self.assertRaises(UserError) as caught:
                env2["cluster.settlement"].browse(settlement_id).action_run()
            self.assertIn("just invoiced", str(caught.exception))
            cr2.rollback()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.assertEqual(len(self._share_invoices(env)), 3)
