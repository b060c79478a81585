# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.tests import tagged

from .common import ClusterMembershipCommon
from .portal_common import ClusterPortalMixin


@tagged("post_install", "-at_install")
class TestPortalMembership(ClusterMembershipCommon, ClusterPortalMixin):
    """The member portal's framework and membership pages keep firms apart."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # firm A: a rejected application (history) and an active membership with fees
        cls.old_a = cls.env["cluster.membership"].create(
            {"partner_id": cls.firm_a.id, "membership_type_id": cls.type_core.id}
        )
        cls.old_a.action_reject()
        cls.membership_a = cls._active_membership(cls.firm_a)
        cls.firm_a.cluster_intent_date = "2026-01-15"
        cls.membership_b = cls._active_membership(cls.firm_b, mtype=cls.type_associate)
        cls.fee_a = cls.env["cluster.membership"]._run_annual_fees(2026, post=True)
        cls.sign_a = cls._portal_contact_user("sign_a", cls.firm_a, "Signe Alfa", signatory=True)
        # a contact of firm A with a portal login but no role (neither signatory nor expert)
        cls.plain_a = cls._portal_contact_user("plain_a", cls.firm_a, "Erik Alfa")
        cls.sign_b = cls._portal_contact_user("sign_b", cls.firm_b, "Signe Beta", signatory=True)
        # what firm B must never see of firm A
        cls.secrets_a = [
            cls.firm_a.name,
            cls.membership_a.name,
            cls.old_a.name,
            cls.fee_a.name,
            "5,000.00",  # A's annual fee
            "10,000.00",  # A's contribution
            cls.type_core.name,
            "Signe Alfa",
        ]

    def test_public_redirected_to_login(self):
        self.assertEqual(self.fee_a.partner_id, self.firm_a)
        for url in ("/my/cluster", "/my/cluster/membership"):
            self.assertPublicRedirectedToLogin(url)

    def test_overview_and_membership_own_firm_only(self):
        for login in ("sign_a",):
            body = self.assertPageWithout(
                login,
                "/my/cluster",
                [self.firm_b.name, self.membership_b.name, self.type_associate.name],
                expected=[
                    self.firm_a.name,
                    self.type_core.name,
                    'id="cluster_overview_sections"',
                ],
            )
            self.assertIn("5,000.00", body)  # A's open fee
            body = self.assertPageWithout(
                login,
                "/my/cluster/membership",
                [self.firm_b.name, self.membership_b.name, self.type_associate.name],
                expected=[self.membership_a.name, self.old_a.name, self.fee_a.name],
            )
            # current first, history kept; fees link to the stock invoice page
            self.assertLess(body.index(self.membership_a.name), body.index(self.old_a.name))
            self.assertIn(f'href="/my/invoices/{self.fee_a.id}"', body)
        self.assertPageWithout("sign_b", "/my/cluster", self.secrets_a, [self.firm_b.name])
        self.assertPageWithout(
            "sign_b",
            "/my/cluster/membership",
            self.secrets_a,
            [self.type_associate.name],
        )
        # the stock invoice page linked from A's page answers B like a missing invoice
        self.assertSameAsMissing(
            "sign_b",
            f"/my/invoices/{self.fee_a.id}",
            "/my/invoices/99999999",
            self.secrets_a,
        )
        # internal users see their own company's page, not a member firm's; the
        # membership page is a firm signatory's
        for login in ("admin", "cluster_board"):
            self.assertPageWithout(login, "/my/cluster", self.secrets_a[:4] + [self.firm_b.name])
            self.assertRedirectedAway(
                login,
                "/my/cluster/membership",
                self.secrets_a[:4] + [self.membership_b.name],
            )

    def test_plain_contact_sees_no_money(self):
        """A portal contact of firm A without a role: the overview, not the fees."""
        money = [
            self.membership_a.name,
            self.fee_a.name,
            "5,000.00",
            "10,000.00",
            self.type_core.name,
            "cluster_overview_open_fees",
        ]
        body = self.assertPageWithout(
            "plain_a",
            "/my/cluster",
            money + [self.firm_b.name],
            expected=[self.firm_a.name, 'id="cluster_overview_member_state"'],
        )
        self.assertNotIn('href="/my/cluster/membership"', body)
        self.assertRedirectedAway("plain_a", "/my/cluster/membership", money)
        # the stock invoice pages: the fee invoice is the signatory's
        self.assertSameAsMissing(
            "plain_a", f"/my/invoices/{self.fee_a.id}", "/my/invoices/99999999", money
        )
        self.assertPageWithout("plain_a", "/my/invoices", [self.fee_a.name])
        self.assertPageWithout("sign_a", "/my/invoices", [], [self.fee_a.name])
        # and over JSON-RPC
        self.assertRpcDenied("plain_a", "cluster.membership", "search_read", [[]])
        self.assertRpcDenied("plain_a", "cluster.membership", "read", [self.membership_a.ids])
        self.assertRpcDenied("plain_a", "account.move", "read", [self.fee_a.ids, ["name"]])
        moves = self._call_kw("plain_a", "account.move", "search_read", [[]], {"fields": ["name"]})
        self.assertNotIn(self.fee_a.id, [m["id"] for m in moves])
        lines = self._call_kw(
            "plain_a",
            "account.move.line",
            "search_read",
            [[("move_id", "=", self.fee_a.id)]],
            {"fields": ["name"]},
        )
        self.assertFalse(lines)
        self._count(2)

    def test_plain_contact_keeps_stock_invoices(self):
        """Other invoices of the firm stay visible to its contacts, as in stock Odoo."""
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.firm_a.id,
                "invoice_line_ids": [
                    Command.create({"name": "Kaffe", "quantity": 1, "price_unit": 77.0})
                ],
            }
        )
        invoice.action_post()
        self.assertPageWithout("plain_a", "/my/invoices", [self.fee_a.name], [invoice.name])
        self.assertPageWithout("plain_a", f"/my/invoices/{invoice.id}", [], [invoice.name])
        self.assertSameAsMissing(
            "sign_b", f"/my/invoices/{invoice.id}", "/my/invoices/99999999", [invoice.name]
        )

    def test_bad_request_values_fall_back(self):
        self.assertPageWithout("sign_b", "/my/cluster?sortby=__class__&filterby=x", self.secrets_a)

    def test_home_counters(self):
        body = self.assertPageWithout("sign_a", "/my", [], ['href="/my/cluster"'])
        self.assertIn("cluster_membership_count", body)
        for login, expected in (
            ("sign_a", 2),
            ("plain_a", 0),
            ("sign_b", 1),
            ("admin", 0),
        ):
            self._login(login)
            counters = self.make_jsonrpc_request(
                "/my/counters", {"counters": ["cluster_membership_count"]}
            )
            self.assertEqual(counters["cluster_membership_count"], expected, login)
            self._count()

    def test_rpc_membership_own_firm_only(self):
        self.assertRpcReadsOnly(
            "sign_b",
            "cluster.membership",
            self.membership_b.ids,
            [self.firm_a.name, self.membership_a.name],
            "partner_id",
        )
        self.assertRpcReadsOnly(
            "sign_a",
            "cluster.membership",
            (self.membership_a | self.old_a).ids,
            [self.firm_b.name, self.membership_b.name],
            "state",
        )
        for membership in (self.membership_a, self.membership_b):
            self.assertRpcDenied(
                "sign_b",
                "cluster.membership",
                "write",
                [membership.ids, {"exit_reason": "x"}],
            )
            self.assertRpcDenied("sign_b", "cluster.membership", "unlink", [membership.ids])
        self.assertRpcDenied(
            "sign_b",
            "cluster.membership",
            "read",
            [self.membership_a.ids, ["contribution_amount"]],
        )
        self.assertRpcDenied(
            "sign_b",
            "cluster.membership",
            "create",
            [{"partner_id": self.firm_b.id, "membership_type_id": self.type_core.id}],
        )
        self.env.invalidate_all()
        self.assertFalse(self.membership_a.exit_reason or self.membership_b.exit_reason)
        self.assertTrue(self.membership_a.exists() and self.membership_b.exists())
        self._count(2)

    def test_rpc_configuration_and_governance_denied(self):
        decision = self._adopted_decision(title="Hemligt beslut")
        for model, record in (
            ("cluster.membership.type", self.type_core),
            ("cluster.decision", decision),
        ):
            self.assertRpcDenied("sign_b", model, "search_read", [[]], {"fields": ["id"]})
            self.assertRpcDenied("sign_b", model, "read_group", [[], ["id"], ["id"]])
            self.assertRpcDenied("sign_b", model, "name_search", [], {"name": ""})
            self.assertRpcDenied("sign_b", model, "write", [record.ids, {"name": "x"}])
            self.assertRpcDenied("sign_b", model, "unlink", [record.ids])
        self.env.invalidate_all()
        self.assertEqual(decision.title, "Hemligt beslut")
        self._count()

    def test_rpc_invoices_own_firm_only(self):
        moves = self._call_kw(
            "sign_b",
            "account.move",
            "search_read",
            [[("cluster_move_kind", "!=", False)]],
            {"fields": ["name"]},
        )
        self.assertFalse(moves)
        self.assertRpcDenied("sign_b", "account.move", "read", [self.fee_a.ids, ["name"]])
        self._count()

    def _membership_page_queries(self):
        self._login("sign_a")
        self.url_open("/my/cluster/membership")  # warm caches
        count0 = self.cr.sql_log_count
        response = self.url_open("/my/cluster/membership")
        self.assertEqual(response.status_code, 200)
        return (
            self.cr.sql_log_count - count0,
            response.text.count("o_cluster_membership"),
        )

    def test_membership_page_query_count_constant(self):
        queries_2, cards_2 = self._membership_page_queries()
        # 18 more (ended) applications in the firm's history
        self.env["cluster.membership"].create(
            [
                {
                    "partner_id": self.firm_a.id,
                    "membership_type_id": self.type_core.id,
                    "state": "rejected",
                }
                for _i in range(18)
            ]
        )
        queries_20, cards_20 = self._membership_page_queries()
        self.assertEqual((cards_2, cards_20), (2, 20))
        self.assertEqual(queries_2, queries_20)

    def _overview_queries(self, login):
        self._login(login)
        self.url_open("/my/cluster")  # warm caches
        count0 = self.cr.sql_log_count
        response = self.url_open("/my/cluster")
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - count0

    def test_overview_query_count_constant(self):
        """The overview costs the same with 3 or 30 memberships and fee invoices."""
        small = {login: self._overview_queries(login) for login in ("sign_a", "plain_a")}
        memberships = self.env["cluster.membership"].create(
            [
                {
                    "partner_id": self.firm_a.id,
                    "membership_type_id": self.type_core.id,
                    "state": "rejected",
                }
                for _i in range(27)
            ]
        )
        self.assertEqual(len(memberships), 27)
        big = {login: self._overview_queries(login) for login in ("sign_a", "plain_a")}
        self.assertEqual(big, small)
        self._count(2)

    def test_contact_moved_to_other_firm(self):
        """A signatory moved to firm B loses firm A at once: the flag and the group go
        with the move (B's signatory is decided by B), so nothing of A is left."""
        self.assertPageWithout(
            "sign_a", "/my/cluster/membership", [], [self.membership_a.name, self.fee_a.name]
        )
        self.assertRpcReadsOnly(
            "sign_a",
            "cluster.membership",
            (self.membership_a | self.old_a).ids,
            [self.membership_b.name],
            "state",
        )
        self.sign_a.partner_id.parent_id = self.firm_b
        self.assertFalse(self.sign_a.partner_id.cluster_is_signatory)
        self.assertFalse(self.sign_a.has_group("cluster_base.cluster_base_group_signatory"))
        self.assertPageWithout(
            "sign_a", "/my/cluster", self.secrets_a[:4] + ["5,000.00"], [self.firm_b.name]
        )
        self.assertRedirectedAway("sign_a", "/my/cluster/membership", self.secrets_a)
        self.assertSameAsMissing(
            "sign_a", f"/my/invoices/{self.fee_a.id}", "/my/invoices/99999999", self.secrets_a
        )
        self.assertRpcDenied("sign_a", "cluster.membership", "search_read", [[]])
        self.assertRpcDenied("sign_a", "account.move", "read", [self.fee_a.ids, ["name"]])
        # firm B's manager makes them B's signatory: B's membership, never A's
        self.sign_a.partner_id.with_user(self.cluster_manager).cluster_is_signatory = True
        self.assertRpcReadsOnly(
            "sign_a",
            "cluster.membership",
            self.membership_b.ids,
            [self.membership_a.name],
            "state",
        )
