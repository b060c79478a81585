# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The net statement is the ledger's open balance, the same figure in the PDF, the
portal, the time-system API and the backend balance per firm."""

import xmlrpc.client
from datetime import date, datetime, timedelta

from odoo import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import config

from .portal_common import PortalCommon


@tagged("post_install", "-at_install")
class TestStatementOpenItems(PortalCommon):
    """Firm A: a paid contribution, a partly paid fee, a settled month in which it both
    lent (expert A to the association) and bought (expert B from firm B), a credit note
    on the bought hours and a netting entry."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env["ir.config_parameter"].set_param("portal.allow_api_keys", True)
        mtype = cls.env["cluster.membership.type"].create(
            {
                "name": "Test statement member",
                "category": "associate",
                "contribution_amount": 0.0,
                "voting_right": False,
            }
        )
        for firm in (cls.firm_a, cls.firm_b):
            membership = cls.env["cluster.membership"].create(
                {"partner_id": firm.id, "membership_type_id": mtype.id}
            )
            membership.action_apply()
            decision = cls.env["cluster.decision"].create(
                {"title": "Admission", "date": "2026-02-01"}
            )
            decision.action_adopt()
            membership.admission_decision_id = decision
            membership.write({"date_application": "2026-02-01", "date_admission": "2026-02-01"})
            membership.write({"state": "admitted"})
            membership.write({"state": "active"})
        cls.treasurer = new_test_user(
            cls.env,
            login="stmt_treasurer",
            groups="cluster_base.cluster_base_group_manager,account.group_account_invoice",
        )
        cls.contribution = cls._member_invoice("contribution", 10000.0, date(2033, 1, 15))
        cls.fee = cls._member_invoice("fee", 5000.0, date(2033, 1, 15))
        cls._pay(cls.contribution, 10000.0)
        cls._pay(cls.fee, 1999.99)
        cls.fee_state_before_netting = cls.fee.payment_state
        # the settled month: firm A lends 6 h (800/h) and buys 5 h (700/h + 10 % fee)
        period = {"date_from": date(2034, 4, 1), "date_to": date(2034, 4, 30)}
        lend = cls._activate(cls._create_agreement(hour_cap=20.0, **period))
        buy = cls._activate(
            cls._create_agreement(
                expert_id=cls.expert_b.id,
                hour_cap=20.0,
                buyer_kind="member",
                buyer_id=cls.firm_a.id,
                fee_percent=10.0,
                **period,
            )
        )
        hours_lent = cls._log(lend, date(2034, 4, 3), 6.0)
        hours_bought = cls._log(buy, date(2034, 4, 4), 3.0) | cls._log(buy, date(2034, 4, 5), 2.0)
        (hours_lent | hours_bought).with_user(cls.cluster_manager).action_cluster_submit()
        (hours_lent | hours_bought).with_user(cls.cluster_manager).action_cluster_approve()
        cls.settlement = cls.env["cluster.settlement"].with_user(cls.treasurer).create(period)
        cls.settlement.action_run()
        cls.settlement.move_ids.with_user(cls.treasurer).action_post()
        # a credit note for 2 of the bought hours
        cls.env["cluster.settlement.credit"].with_user(cls.treasurer).create(
            {
                "settlement_id": cls.settlement.id,
                "line_ids": [(6, 0, hours_bought[1].ids)],
                "reason": "Wrong day",
            }
        ).action_confirm()
        refunds = cls.settlement.move_ids.filtered(lambda m: m.move_type == "out_refund")
        refunds.with_user(cls.treasurer).action_post()
        cls.netting = cls.settlement.with_user(cls.treasurer)._net_balances()

    @classmethod
    def _member_invoice(cls, kind, amount, day):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.firm_a.id,
                "invoice_date": day,
                "cluster_move_kind": kind,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": f"Test {kind}",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    @classmethod
    def _pay(cls, move, amount):
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=move.ids)
            .create({"payment_date": move.invoice_date, "amount": amount})
            ._create_payments()
        )

    def _ledger_figure(self, firm):
        """sum(amount_residual) over the firm's posted receivable and payable lines,
        read straight from the ledger."""
        lines = self.env["account.move.line"].search(
            [
                ("partner_id", "child_of", firm.id),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "in", ("asset_receivable", "liability_payable")),
            ]
        )
        return self.env.company.currency_id.round(sum(lines.mapped("amount_residual")))

    def _balance(self, firm):
        self.env.flush_all()
        self.settlement.invalidate_recordset(["balance_ids"])
        return self.settlement.balance_ids.filtered(lambda b: b.partner_id == firm)

    @staticmethod
    def _shown(amount):
        return f"{abs(amount):,.2f}"

    def test_statement_is_the_ledger_open_balance(self):
        currency = self.env.company.currency_id
        self.assertEqual(len(self.netting), 1, "firm A both owes and is owed: netted")
        self.assertEqual(self.fee_state_before_netting, "partial")
        self.assertIn(self.contribution.payment_state, ("paid", "in_payment"))
        expected = self._ledger_figure(self.firm_a)
        balance = self._balance(self.firm_a)
        # the scenario is one where the documents' net and the ledger disagree
        self.assertTrue(currency.compare_amounts(balance.amount_period_net, expected))
        self.assertFalse(currency.compare_amounts(balance.amount_net, expected))
        self.assertFalse(
            currency.compare_amounts(
                balance.amount_open_receivable - balance.amount_open_payable, expected
            )
        )
        # the one method, as the firm's partner
        figure = self.firm_a._cluster_open_balance()[self.firm_a]["net"]
        self.assertFalse(currency.compare_amounts(figure, expected))
        # backend balance per firm, read as a board member
        board_row = (
            self.env["cluster.settlement.report.balance"]
            .with_user(self.board_user)
            .search(
                [("partner_id", "=", self.firm_a.id), ("settlement_id", "=", self.settlement.id)]
            )
        )
        self.assertFalse(currency.compare_amounts(board_row.amount_net, expected))
        # the PDF (its HTML)
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "cluster_consulting.report_settlement_statement", balance.ids
            )[0]
        )
        self.assertIn(self._shown(expected), html)
        self.assertIn("Net now: you receive" if expected < 0 else "Net now: you pay", html)
        # firm B's figure is its own ledger's too
        expected_b = self._ledger_figure(self.firm_b)
        self.assertFalse(
            currency.compare_amounts(self._balance(self.firm_b).amount_net, expected_b)
        )
        # netting again finds nothing, and the figure is unchanged by netting
        self.assertFalse(self.settlement.with_user(self.treasurer)._net_balances())
        self.assertFalse(currency.compare_amounts(self._ledger_figure(self.firm_a), expected))

    def test_portal_and_api_show_the_same_figure_to_the_firm_only(self):
        expected = self._ledger_figure(self.firm_a)
        expected_b = self._ledger_figure(self.firm_b)
        self.assertNotEqual(self._shown(expected), self._shown(expected_b))
        # the portal page, as firm A's signatory; firm B's signatory sees none of it
        body = self.assertPageWithout(
            "por_sig_a", "/my/cluster/statements", [], expected=[self._shown(expected)]
        )
        self.assertIn("o_cluster_open_balance", body)
        self.assertPageWithout(
            "por_sig_b",
            "/my/cluster/statements",
            [self._shown(expected), self.settlement_a.name],
            expected=[self._shown(expected_b)],
        )
        # the time-system API over XML-RPC with the signatories' keys
        url = f"http://127.0.0.1:{config['http_port']}/xmlrpc/2/object"
        results = {}
        for user in (self.signatory_a_user, self.signatory_b_user):
            key = (
                self.env["res.users.apikeys"]
                .with_user(user)
                ._generate(None, "time system", datetime.now() + timedelta(hours=12))
            )
            results[user] = xmlrpc.client.ServerProxy(url, allow_none=False).execute_kw(
                self.env.cr.dbname, user.id, key, "cluster.time.api", "statements", []
            )
        rows_a = [
            r for r in results[self.signatory_a_user] if r["settlement"] == self.settlement.name
        ]
        self.assertEqual(len(rows_a), 1)
        self.assertAlmostEqual(rows_a[0]["amount_net"], expected, places=2)
        rows_b = results[self.signatory_b_user]
        self.assertTrue(rows_b)
        for row in rows_b:
            self.assertAlmostEqual(row["amount_net"], expected_b, places=2)
        self.assertNotIn(self.settlement_a.name, str(rows_b))
        self.assertNotIn(repr(expected), str(rows_b))
