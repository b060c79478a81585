# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Roles decide what a firm's portal login sees: signatory, expert, plain contact.

Checked as each user, on the routes (HTML) and over JSON-RPC; every check counts
itself in the isolation total (``ClusterPortalMixin``).
"""

import re
from datetime import date
from types import SimpleNamespace
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.cluster_base.controllers import portal as base_portal
from odoo.addons.cluster_base.controllers.portal import (
    ROLE_EXPERT,
    ROLE_MEMBER,
    ROLE_SIGNATORY,
)

from ..controllers import portal as consulting_portal
from ..controllers.portal import ClusterConsultingPortal
from .portal_common import PortalCommon

SIGNATORY_PAGES = [
    "/my/cluster/membership",
    "/my/cluster/statements",
]
EXPERT_PAGES = ["/my/cluster/agreements", "/my/cluster/experts", "/my/cluster/hours"]


@tagged("post_install", "-at_install")
class TestPortalRoles(PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plain_a_user = cls._portal_contact_user("por_plain_a", cls.firm_a, "Pia Vanlig")
        # the settlement's invoice to firm A, posted: a cluster invoice of the firm
        cls.settlement_invoice_a = cls.settlement_a.move_ids
        cls.settlement_invoice_a.action_post()

    def _roles(self, user):
        fake_request = SimpleNamespace(env=self.env(user=user))
        with (
            patch.object(consulting_portal, "request", fake_request),
            patch.object(base_portal, "request", fake_request),
        ):
            return ClusterConsultingPortal()._cluster_roles()

    def test_roles_hook(self):
        """One place decides: the roles of each kind of user."""
        public = self.env.ref("base.public_user")
        for user, roles in (
            (self.signatory_a_user, {ROLE_MEMBER, ROLE_SIGNATORY}),
            (self.expert_a_user, {ROLE_MEMBER, ROLE_EXPERT}),
            (self.plain_a_user, {ROLE_MEMBER}),
            (self.env.ref("base.user_admin"), {ROLE_MEMBER}),
            (self.board_user, {ROLE_MEMBER}),
            (public, set()),
        ):
            self.assertEqual(self._roles(user), roles, user.login)
            self._count()
        # the flag without the group (or the group without the flag) is no signatory
        self.signatory_a_user.partner_id.with_context(cluster_signatory_sync=True).sudo()._write(
            {"cluster_is_signatory": False}
        )
        self.env.invalidate_all()
        self.assertEqual(self._roles(self.signatory_a_user), {ROLE_MEMBER})
        self._count()

    # Expert ------------------------------------------------------------------------

    def test_expert_routes(self):
        """The expert: overview without money, own profile, own agreements and hours."""
        money = [
            self.settlement_a.name,
            "4,321.75",
            "cluster_overview_open_fees",
            "Hours to approve",
            "Agreements waiting for your approval",
        ]
        body = self.assertPageWithout(
            "por_exp_a",
            "/my/cluster",
            money,
            expected=['id="cluster_overview_consulting"', 'href="/my/cluster/hours"'],
        )
        self.assertNotIn('href="/my/cluster/membership"', body)
        for url in SIGNATORY_PAGES + [f"/my/cluster/statements/{self.settlement_a.id}/pdf"]:
            self.assertRedirectedAway("por_exp_a", url, money)
        # own agreement: consumption yes, the firm's rate and value no
        url = f"/my/cluster/agreements/{self.agreement_a.id}"
        value = f"{self.agreement_a.amount_cap:,.2f}"
        self.assertTrue(self.agreement_a.amount_cap)
        self.assertPageWithout(
            "por_exp_a",
            url,
            ["Hourly rate", value, "o_cluster_answer_form"],
            expected=["o_cluster_consumed", self.agreement_a.name],
        )
        self.assertPageWithout("por_sig_a", url, [], expected=["Hourly rate", value])
        # own hours, no approval of the hours the firm buys
        self.assertPageWithout(
            "por_exp_a",
            "/my/cluster/hours",
            ["Leverans till Anbud", "o_cluster_hours_approve", "o_cluster_hour_check"],
            expected=["Hemlig workshop Anbud", "o_cluster_hour_form"],
        )
        self.assertPageWithout(
            "por_sig_a",
            "/my/cluster/hours",
            ["o_cluster_hour_form"],
            expected=["Leverans till Anbud", "o_cluster_hours_approve"],
        )
        # the approval actions by POST are refused and change nothing
        self._login("por_exp_a")
        csrf = self._csrf_token("/my/cluster/experts")
        for url, data in (
            (
                "/my/cluster/hours/review",
                {"decision": "approve", f"line_{self.hour_b_to_a.id}": "1"},
            ),
            (f"/my/cluster/agreements/{self.agreement_a_req.id}/answer", {"answer": "approve"}),
        ):
            response = self._open(url, data=dict(data, csrf_token=csrf))
            self.assertIn(response.status_code, (302, 303), url)
            self._count()
        self.env.invalidate_all()
        self.assertEqual(self.hour_b_to_a.cluster_hour_state, "submitted")
        self.assertEqual(self.agreement_a_req.state, "requested")
        self._count(2)

    def test_expert_rpc(self):
        self._login("por_exp_a")
        self.assertEqual(
            {r["id"] for r in self._rpc("cluster.agreement", "search_read", [], fields=["id"])},
            {self.agreement_a.id, self.agreement_a_req.id},
        )
        self.assertEqual(
            [
                r["id"]
                for r in self._rpc("account.analytic.line", "search_read", [], fields=["id"])
            ],
            self.hour_a.ids,
        )
        self.assertEqual(
            [r["id"] for r in self._rpc("cluster.expert", "search_read", [], fields=["id"])],
            self.expert_a.ids,
        )
        self._count(3)
        self.assertFalse(self._rpc("cluster.settlement.report.balance", "search_read", []))
        self._count()
        self.assertRpcRefused("cluster.membership", "search_read", [])
        self.assertRpcRefused("cluster.settlement", "search_read", [])
        self.assertRpcRefused("cluster.expert", "read", self.expert_b.ids, ["name"])
        self.assertRpcRefused(
            "account.analytic.line", "action_cluster_approve", self.hour_b_to_a.ids
        )

    def test_rpc_every_model_as_expert_and_plain_contact(self):
        """search_read, read_group, web_read_group, name_search give exactly the role's
        rows; write and unlink are refused, on own rows too."""
        skills_a = self.expert_a.skill_ids
        own = {
            "por_exp_a": {
                "cluster.agreement": (self.agreement_a | self.agreement_a_req).ids,
                "account.analytic.line": self.hour_a.ids,
                "cluster.expert": self.expert_a.ids,
                "cluster.expert.skill": skills_a.ids,
            },
            "por_plain_a": {},
        }
        groupby = {
            "cluster.agreement": "state",
            "cluster.expert": "visible_to_members",
        }
        others = self._markers_b() + ["Leverans till Anbud", self.settlement_a.name]
        for login, rows in own.items():
            for model, field in groupby.items():
                self.assertRpcReadsOnly(login, model, rows.get(model, []), others, field)
            for model, record, vals in (
                ("cluster.agreement", self.agreement_a, {"hour_cap": 1.0}),
                ("account.analytic.line", self.hour_a, {"unit_amount": 1.0}),
                ("cluster.expert", self.expert_a, {"hours_per_month": 1.0}),
                ("cluster.expert.skill", skills_a[:1], {"level": 1}),
            ):
                self.assertRpcDenied(login, model, "write", [record.ids, vals])
                self.assertRpcDenied(login, model, "unlink", [record.ids])
            # hours (their display name reads the project, which portal users can't
            # read in stock Odoo) and skills (no name to search): ids and groups only
            for model, field in (
                ("account.analytic.line", "cluster_hour_state"),
                ("cluster.expert.skill", "level"),
            ):
                found = self._call_kw(login, model, "search_read", [[]], {"fields": ["id"]})
                groups = self._call_kw(
                    login, model, "read_group", [[], [field], [field]], {"lazy": False}
                )
                expected = rows.get(model, [])
                self.assertEqual(sorted(r["id"] for r in found), sorted(expected), login)
                self.assertEqual(sum(g["__count"] for g in groups), len(expected), login)
                self._count(2)
            balances = self._call_kw(
                login, "cluster.settlement.report.balance", "search_read", [[]], {}
            )
            groups = self._call_kw(
                login,
                "cluster.settlement.report.balance",
                "read_group",
                [[], ["partner_id"], ["partner_id"]],
                {"lazy": False},
            )
            self.assertFalse(balances or groups, login)
            self._count(2)
            for model in ("cluster.membership", "cluster.settlement", "cluster.settlement.share"):
                self.assertRpcDenied(login, model, "search_read", [[]], {"fields": ["id"]})
        self.env.invalidate_all()
        self.assertEqual(self.agreement_a.hour_cap, 37.25)
        self.assertEqual(self.hour_a.unit_amount, 3.0)
        self.assertEqual(self.expert_a.hours_per_month, 40.0)
        self.assertEqual(sorted(skills_a.mapped("level")), [2, 4])
        self._count(4)

    def test_expert_and_plain_contact_stock_invoices(self):
        """Stock /my/invoices: the firm's cluster invoices are the signatory's only."""
        invoice = self.settlement_invoice_a
        self.assertEqual(invoice.state, "posted")
        for login in ("por_exp_a", "por_plain_a"):
            self.assertPageWithout(login, "/my/invoices", [invoice.name, "4,321.75"])
            self.assertSameAsMissing(
                login, f"/my/invoices/{invoice.id}", "/my/invoices/99999999", [invoice.name]
            )
            self.assertSameAsMissing(
                login,
                f"/my/invoices/{invoice.id}?report_type=pdf",
                "/my/invoices/99999999?report_type=pdf",
                [invoice.name],
            )
            moves = self._call_kw(login, "account.move", "search_read", [[]], {"fields": ["name"]})
            self.assertNotIn(invoice.id, [m["id"] for m in moves])
            lines = self._call_kw(
                login,
                "account.move.line",
                "search_read",
                [[("move_id", "=", invoice.id)]],
                {"fields": ["name"]},
            )
            self.assertFalse(lines)
            self.assertRpcDenied(login, "account.move", "read", [invoice.ids, ["name"]])
            self._count(2)
        self.assertPageWithout("por_sig_a", "/my/invoices", [], [invoice.name])
        self.assertPageWithout("por_sig_a", f"/my/invoices/{invoice.id}", [], [invoice.name])
        self.assertSameAsMissing(
            "por_sig_b", f"/my/invoices/{invoice.id}", "/my/invoices/99999999", [invoice.name]
        )

    # Plain contact -----------------------------------------------------------------

    def test_plain_contact(self):
        """Neither signatory nor expert: the overview and projects, nothing else."""
        body = self.assertPageWithout(
            "por_plain_a",
            "/my/cluster",
            self._markers_a() + ["cluster_overview_consulting", "cluster_overview_open_fees"],
            expected=[self.firm_a.name, 'id="cluster_overview_projects"'],
        )
        self.assertNotIn('href="/my/cluster/membership"', body)
        self.assertPageWithout("por_plain_a", "/my/cluster/projects", self._markers_a())
        for url in (
            SIGNATORY_PAGES
            + EXPERT_PAGES
            + [
                f"/my/cluster/agreements/{self.agreement_a.id}",
                f"/my/cluster/statements/{self.settlement_a.id}/pdf",
            ]
        ):
            self.assertRedirectedAway("por_plain_a", url, self._markers_a())
        # the /my tiles of the expert-time pages are not offered
        body = self.assertPageWithout(
            "por_plain_a",
            "/my",
            ["/my/cluster/agreements", "/my/cluster/statements", "/my/cluster/hours"],
            expected=['href="/my/cluster"'],
        )
        self._login("por_plain_a")
        for model in ("cluster.agreement", "account.analytic.line", "cluster.expert"):
            rows = self._rpc(model, "search_read", [], fields=["display_name"])
            self.assertFalse([r for r in rows if r["id"] in self._ids_a(model)], model)
            self._count()
        self.assertFalse(self._rpc("cluster.settlement.report.balance", "search_read", []))
        self._count()
        self.assertRpcRefused("cluster.membership", "search_read", [])
        self.assertRpcRefused("cluster.agreement", "read", self.agreement_a.ids, ["name"])

    def _ids_a(self, model):
        return {
            "cluster.agreement": (self.agreement_a | self.agreement_a_req).ids,
            "account.analytic.line": (self.hour_a | self.hour_b_to_a).ids,
            "cluster.expert": self.expert_a.ids,
        }[model]

    # Moves -------------------------------------------------------------------------

    def test_expert_moved_to_other_firm(self):
        """An expert who moves to firm B leaves firm A's agreements and hours behind:
        not visible to them any more, nor to firm B; firm A keeps them."""
        url = f"/my/cluster/agreements/{self.agreement_a.id}"
        self.assertPageWithout("por_exp_a", url, [], expected=[self.agreement_a.name])
        self._login("por_exp_a")
        self.assertTrue(self._rpc("cluster.agreement", "search_read", [], fields=["id"]))
        self._count()

        self.person_a.parent_id = self.firm_b
        self.assertEqual(self.agreement_a.lender_id, self.firm_a)
        self.assertEqual(self.hour_a.cluster_lender_id, self.firm_a)
        missing = f"/my/cluster/agreements/{self._missing_id('cluster.agreement')}"
        self.assertSameAsMissing("por_exp_a", url, missing, [self.agreement_a.name])
        self.assertPageWithout(
            "por_exp_a", "/my/cluster/hours", ["Hemlig workshop Anbud", self.agreement_a.name]
        )
        self._login("por_exp_a")
        for model in ("cluster.agreement", "account.analytic.line"):
            rows = self._rpc(model, "search_read", [], fields=["id"])
            self.assertFalse({r["id"] for r in rows} & set(self._ids_a(model)), model)
            self._count()
        self.assertRpcRefused("cluster.agreement", "read", self.agreement_a.ids, ["name"])
        # firm B's signatory does not inherit firm A's history; firm A keeps it
        self._login("por_sig_b")
        rows = self._rpc("cluster.agreement", "search_read", [], fields=["id"])
        self.assertNotIn(self.agreement_a.id, [r["id"] for r in rows])
        self._login("por_sig_a")
        rows = self._rpc("cluster.agreement", "search_read", [], fields=["id"])
        self.assertIn(self.agreement_a.id, [r["id"] for r in rows])
        self._count(2)

    def test_signatory_moved_to_other_firm(self):
        """Before the move firm A's pages, after it nothing of firm A (routes, RPC)."""
        self.assertPageWithout(
            "por_sig_a", "/my/cluster/statements", [], expected=[self.settlement_a.name]
        )
        self.assertPageWithout(
            "por_sig_a", "/my/cluster/agreements", [], expected=[self.agreement_a.name]
        )
        self.signatory_a.parent_id = self.firm_b
        self.assertFalse(self.signatory_a.cluster_is_signatory)
        for url in SIGNATORY_PAGES + EXPERT_PAGES:
            self.assertRedirectedAway("por_sig_a", url, self._markers_a())
        self.assertPageWithout("por_sig_a", "/my/cluster", self._markers_a(), [self.firm_b.name])
        self.assertSameAsMissing(
            "por_sig_a",
            f"/my/invoices/{self.settlement_invoice_a.id}",
            "/my/invoices/99999999",
            self._markers_a(),
        )
        self._login("por_sig_a")
        for model in ("cluster.agreement", "account.analytic.line", "cluster.expert"):
            rows = self._rpc(model, "search_read", [], fields=["id"])
            self.assertFalse({r["id"] for r in rows} & set(self._ids_a(model)), model)
            self._count()
        self.assertFalse(self._rpc("cluster.settlement.report.balance", "search_read", []))
        self._count()

    # Breadcrumbs -------------------------------------------------------------------

    def test_breadcrumbs_read_cluster_first(self):
        pages = {
            "/my/cluster/agreements": "Agreements",
            f"/my/cluster/agreements/{self.agreement_a.id}": "Agreements",
            "/my/cluster/experts": "Experts",
            "/my/cluster/hours": "Hours",
            "/my/cluster/statements": "Statements",
        }
        for url, crumb in pages.items():
            body = self._get("por_sig_a", url).text
            match = re.search(r'<ol class="[^"]*o_portal_submenu[^"]*">(.*?)</ol>', body, re.S)
            self.assertTrue(match, url)
            items = [
                re.sub(r"<[^>]+>", "", item).strip()
                for item in re.findall(r"<li[^>]*>(.*?)</li>", match.group(1), re.S)
            ]
            self.assertIn("Cluster", items, url)
            self.assertIn(crumb, items, url)
            self.assertLess(items.index("Cluster"), items.index(crumb), f"{url}: {items}")
            self._count()

    # Query counts ------------------------------------------------------------------

    def _page_queries(self, url):
        self._open(url)  # warm the caches
        before = self.cr.sql_log_count
        response = self._open(url)
        self.assertEqual(response.status_code, 200, url)
        return self.cr.sql_log_count - before

    def _more_firm_a(self, n, offset=0):
        """``n`` more agreements lent by firm A with an hour each, a settlement with
        a statement for firm A, and a joint project with firm A."""
        Settlement = self.env["cluster.settlement"].with_user(self.cluster_manager)
        for i in range(n):
            agreement = self._activate(self._create_agreement(hour_cap=0.5))
            self._log(agreement, date(2026, 3, 9), 0.5, name=f"Last {i}")
            month = offset + i
            start = date(2032 + month // 12, month % 12 + 1, 1)
            settlement = Settlement.create({"date_from": start, "date_to": start})
            self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.firm_a.id,
                    "cluster_settlement_id": settlement.id,
                    "invoice_date": start,
                    "invoice_line_ids": [
                        (0, 0, {"name": "Expert time", "quantity": 1, "price_unit": 10.0})
                    ],
                }
            )
            self.env["project.project"].create(
                {
                    "name": f"Lastprojekt {i}",
                    "is_joint_project": True,
                    "cluster_participant_ids": [
                        (0, 0, {"partner_id": self.firm_a.id, "cost_share": 10.0})
                    ],
                }
            )

    def test_query_counts_flat_for_every_role(self):
        """Overview, home counters and lists: the same queries with 3 or 30 rows."""
        cases = {
            "por_sig_a": [
                "/my/cluster",
                "/my",
                "/my/cluster/agreements",
                "/my/cluster/hours",
                "/my/cluster/statements",
                "/my/cluster/projects",
            ],
            "por_exp_a": [
                "/my/cluster",
                "/my",
                "/my/cluster/agreements",
                "/my/cluster/hours",
                "/my/cluster/experts",
            ],
            "por_plain_a": ["/my/cluster", "/my", "/my/cluster/projects"],
        }
        self._more_firm_a(2)
        small = {}
        for login, urls in cases.items():
            self._login(login)
            small[login] = {url: self._page_queries(url) for url in urls}
        self._more_firm_a(27, offset=2)
        for login, urls in cases.items():
            self._login(login)
            big = {url: self._page_queries(url) for url in urls}
            self.assertEqual(big, small[login], login)
            self._count(len(urls))
        # the pages did grow: 29 more of firm A's agreements are listed (one page)
        body = self._get("por_exp_a", "/my/cluster/agreements").text
        self.assertGreaterEqual(body.count("o_cluster_agreement_row"), 20)
