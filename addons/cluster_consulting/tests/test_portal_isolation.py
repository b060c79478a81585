# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Firms stay apart on every portal page and over JSON-RPC.

Each check that a user sees or touches exactly their firm's rows goes through
``_check``, which counts it; the total is logged at the end of the class.
"""

import re
from types import SimpleNamespace
from unittest.mock import patch
from urllib.parse import urlparse

from odoo.tests import tagged

from odoo.addons.cluster_base.controllers import portal as base_portal

from ..controllers.portal import ClusterConsultingPortal
from .portal_common import PortalCommon

LIST_ROUTES = (
    "/my/cluster/agreements",
    "/my/cluster/experts",
    "/my/cluster/hours",
    "/my/cluster/statements",
)


GROUPBY = {
    "cluster.agreement": "state",
    "account.analytic.line": "cluster_hour_state",
    "cluster.expert": "visible_to_members",
}


@tagged("post_install", "-at_install")
class TestPortalIsolation(PortalCommon):
    """Each check counts itself (``ClusterPortalMixin._count``); the total is logged."""

    def _check(self):
        self._count()

    def _assert_no_markers(self, body, markers):
        for marker in markers:
            # Whole words only: "Astrid Lind" must not match a demo "Astrid Lindqvist".
            pattern = rf"(?<![\w.,]){re.escape(marker)}(?![\w])"
            self.assertIsNone(re.search(pattern, body), f"{marker!r} leaked")
            self._check()

    def _assert_like_missing(self, url_foreign, url_missing, markers, data=None):
        """A foreign id answers exactly like a missing id and shows nothing of it."""
        if data is None:
            foreign, missing = self._open(url_foreign), self._open(url_missing)
        else:
            foreign = self.url_open(url_foreign, data=data, allow_redirects=False)
            missing = self.url_open(url_missing, data=data, allow_redirects=False)
        self.assertEqual(foreign.status_code, missing.status_code)
        self.assertIn(foreign.status_code, (302, 303))
        self.assertEqual(
            urlparse(foreign.headers["Location"]).path,
            urlparse(missing.headers["Location"]).path,
        )
        self._check()
        self._assert_no_markers(foreign.text, markers)

    # Public ------------------------------------------------------------------------

    def test_public_redirected_to_login(self):
        urls = [
            *LIST_ROUTES,
            f"/my/cluster/agreements/{self.agreement_a.id}",
            f"/my/cluster/statements/{self.settlement_a.id}/pdf",
        ]
        for url in urls:
            response = self._open(url)
            self.assertIn(response.status_code, (302, 303), url)
            self.assertIn("/web/login", response.headers["Location"], url)
            self._check()
            self._assert_no_markers(response.text, self._markers_a())

    def test_internal_users_see_no_firm_rows(self):
        """The portal pages are the firms' view: the association's admin and board
        members work in the backend; they hold no firm role, so every expert-time page
        sends them away like a missing record (and shows no firm's rows, no error)."""
        for login in ("admin", "cluster_board"):
            self.authenticate(login, login)
            for url in [*LIST_ROUTES, f"/my/cluster/agreements/{self.agreement_a.id}"]:
                response = self._open(url)
                self.assertIn(response.status_code, (302, 303), url)
                self._check()
                self._assert_no_markers(response.text, self._markers_a() + self._markers_b())

    # Detail routes -----------------------------------------------------------------

    def test_foreign_ids_answer_like_missing(self):
        missing_agreement = self._missing_id("cluster.agreement")
        missing_settlement = self._missing_id("cluster.settlement")
        self.authenticate("por_sig_b", "por_sig_b")
        for agreement in (self.agreement_a, self.agreement_a_req):
            self._assert_like_missing(
                f"/my/cluster/agreements/{agreement.id}",
                f"/my/cluster/agreements/{missing_agreement}",
                self._markers_a(),
            )
        self._assert_like_missing(
            f"/my/cluster/statements/{self.settlement_a.id}/pdf",
            f"/my/cluster/statements/{missing_settlement}/pdf",
            self._markers_a(),
        )
        self.authenticate("por_sig_a", "por_sig_a")
        self._assert_like_missing(
            f"/my/cluster/agreements/{self.agreement_b.id}",
            f"/my/cluster/agreements/{missing_agreement}",
            self._markers_b(),
        )
        self._assert_like_missing(
            f"/my/cluster/statements/{self.settlement_b.id}/pdf",
            f"/my/cluster/statements/{missing_settlement}/pdf",
            self._markers_b(),
        )
        # The expert sees only their own agreements, not the firm's purchases.
        self.authenticate("por_exp_a", "por_exp_a")
        self._assert_like_missing(
            f"/my/cluster/agreements/{self.agreement_b_to_a.id}",
            f"/my/cluster/agreements/{missing_agreement}",
            ["Leverans till Anbud", self.agreement_b_to_a.name],
        )
        # An expert has no statements, not even their firm's.
        self._assert_like_missing(
            f"/my/cluster/statements/{self.settlement_a.id}/pdf",
            f"/my/cluster/statements/{missing_settlement}/pdf",
            [self.settlement_a.name],
        )

    def test_foreign_posts_answer_like_missing(self):
        self.authenticate("por_sig_b", "por_sig_b")
        csrf = {"csrf_token": self._csrf_token("/my/cluster/experts")}
        missing = self._missing_id("cluster.agreement")
        self._assert_like_missing(
            f"/my/cluster/agreements/{self.agreement_a_req.id}/answer",
            f"/my/cluster/agreements/{missing}/answer",
            self._markers_a(),
            data=dict(csrf, answer="decline"),
        )
        self._assert_like_missing(
            f"/my/cluster/experts/{self.expert_a.id}/edit",
            f"/my/cluster/experts/{self._missing_id('cluster.expert')}/edit",
            self._markers_a(),
            data=dict(csrf, hours_per_month="1"),
        )
        self._assert_like_missing(
            f"/my/cluster/hours/{self.hour_a.id}/edit",
            f"/my/cluster/hours/{self._missing_id('account.analytic.line')}/edit",
            self._markers_a(),
            data=dict(csrf, agreement_id=str(self.agreement_a.id), unit_amount="1"),
        )
        self.env.invalidate_all()
        self.assertEqual(self.agreement_a_req.state, "requested")
        self.assertEqual(self.expert_a.hours_per_month, 40.0)
        self.assertEqual(self.hour_a.unit_amount, 3.0)
        self._check()

    # Lists and counters ------------------------------------------------------------

    def _list_bodies(self, login, routes=LIST_ROUTES):
        self.authenticate(login, login)
        bodies = {}
        for url in routes:
            response = self._open(url)
            self.assertEqual(response.status_code, 200, url)
            bodies[url] = response.text
        return bodies

    def _assert_rows(self, body, present, absent):
        for marker in present:
            self.assertIn(marker, body)
            self._check()
        self._assert_no_markers(body, absent)

    def test_lists_hold_exactly_the_users_records(self):
        a, b = self._markers_a(), self._markers_b()
        bodies = self._list_bodies("por_sig_a")
        self._assert_rows(
            bodies["/my/cluster/agreements"],
            [
                self.agreement_a.name,
                self.agreement_a_req.name,
                self.agreement_b_to_a.name,
            ],
            b,
        )
        self._assert_rows(bodies["/my/cluster/experts"], ["Astrid Lind"], ["Bertil Holm"])
        # Firm A sees the hours it buys (of expert B) and lends, never firm B's own.
        self._assert_rows(
            bodies["/my/cluster/hours"],
            ["Leverans till Anbud", "Hemlig workshop Anbud"],
            b,
        )
        self._assert_rows(
            bodies["/my/cluster/statements"], [self.settlement_a.name, "4,321.75"], b
        )

        bodies = self._list_bodies("por_sig_b")
        self._assert_rows(
            bodies["/my/cluster/agreements"],
            [self.agreement_b.name, self.agreement_b_to_a.name],
            a,
        )
        self._assert_rows(bodies["/my/cluster/experts"], ["Bertil Holm"], ["Astrid Lind"])
        self._assert_rows(
            bodies["/my/cluster/hours"],
            ["Intern Byggfakta analys", "Leverans till Anbud"],
            a,
        )
        self._assert_rows(bodies["/my/cluster/statements"], [self.settlement_b.name], a)

        bodies = self._list_bodies("por_exp_a", LIST_ROUTES[:3])
        self._assert_rows(
            bodies["/my/cluster/agreements"],
            [self.agreement_a.name, self.agreement_a_req.name],
            b + [self.agreement_b_to_a.name],
        )
        self._assert_rows(bodies["/my/cluster/experts"], ["Astrid Lind"], ["Bertil Holm"])
        self._assert_rows(
            bodies["/my/cluster/hours"],
            ["Hemlig workshop Anbud"],
            b + ["Leverans till Anbud"],
        )
        # statements are the signatory's: the expert is sent away
        response = self._open("/my/cluster/statements")
        self.assertIn(response.status_code, (302, 303))
        self._check()
        self._assert_no_markers(response.text, [self.settlement_a.name, self.settlement_b.name])

    def _counters(self, login):
        self.authenticate(login, login)
        keys = [
            "cluster_agreement_count",
            "cluster_expert_count",
            "cluster_hour_count",
            "cluster_statement_count",
        ]
        return self.make_jsonrpc_request("/my/counters", {"counters": keys})

    def test_home_counters(self):
        expected = {
            "por_sig_a": (3, 1, 2, 1),
            "por_sig_b": (2, 1, 2, 1),
            "por_exp_a": (2, 1, 1, 0),
            "por_exp_b": (2, 1, 2, 0),
        }
        for login, counts in expected.items():
            values = self._counters(login)
            self.assertEqual(
                (
                    values["cluster_agreement_count"],
                    values["cluster_expert_count"],
                    values["cluster_hour_count"],
                    values["cluster_statement_count"],
                ),
                counts,
                login,
            )
            self._check()

    def test_counts_stop_at_the_limit(self):
        """Counters and pagers count at most ``_cluster_count_limit`` rows, so a firm's
        history of hours is never counted in full on a page."""
        with patch.object(ClusterConsultingPortal, "_cluster_count_limit", 1):
            values = self._counters("por_sig_a")
            self.assertEqual(values["cluster_agreement_count"], 1)
            self.assertEqual(values["cluster_hour_count"], 1)
            # the hours list still shows the page's rows, with a pager of one page
            response = self._open("/my/cluster/hours")
            self.assertEqual(response.status_code, 200)
            self.assertNotIn("/my/cluster/hours/page/2", response.text)
        self.assertEqual(self._counters("por_sig_a")["cluster_hour_count"], 2)

    def _overview(self, user, firm):
        fake_request = SimpleNamespace(env=self.env(user=user))
        with (
            patch("odoo.addons.cluster_consulting.controllers.portal.request", fake_request),
            patch.object(base_portal, "request", fake_request),
        ):
            values = ClusterConsultingPortal()._cluster_overview_values(firm)
        return (
            values["cluster_agreements_waiting"],
            values["cluster_hours_to_approve"],
            values["cluster_latest_statement"].settlement_id,
        )

    def test_overview_values(self):
        """The hook for the /my/cluster overview counts only the user's own firm."""
        cases = [
            (self.signatory_a_user, self.firm_a, (1, 1, self.settlement_a)),
            (self.signatory_b_user, self.firm_b, (0, 0, self.settlement_b)),
            # Asking about another firm gives nothing of it.
            (self.signatory_b_user, self.firm_a, (0, 0, self.settlement_b)),
            (self.expert_a_user, self.firm_a, (0, 0, self.env["cluster.settlement"])),
        ]
        for user, firm, expected in cases:
            self.assertEqual(self._overview(user, firm), expected, user.login)
            self._check()

    # JSON-RPC ----------------------------------------------------------------------

    def _rpc_ids(self, model, domain=()):
        return {row["id"] for row in self._rpc(model, "search_read", list(domain), fields=["id"])}

    def _assert_rpc_refused(self, model, method, *args, **kwargs):
        self.assertRpcRefused(model, method, *args, **kwargs)

    def test_rpc_signatory_b(self):
        self.authenticate("por_sig_b", "por_sig_b")
        expected = {
            "cluster.agreement": {self.agreement_b.id, self.agreement_b_to_a.id},
            "account.analytic.line": {self.hour_b.id, self.hour_b_to_a.id},
            # Experts a firm made visible to the members are visible by design.
            "cluster.expert": {self.expert_b.id}
            | set(self.env["cluster.expert"].search([("visible_to_members", "=", True)]).ids),
        }
        for model, ids in expected.items():
            self.assertEqual(self._rpc_ids(model), ids, model)
            self._check()
            names = {row[1] for row in self._rpc(model, "name_search", "")}
            self._assert_no_markers(" ".join(str(n) for n in names), self._markers_a())
            groupby = GROUPBY[model]
            groups = self._rpc(model, "web_read_group", [], fields=[groupby], groupby=[groupby])
            self.assertEqual(sum(g[f"{groupby}_count"] for g in groups["groups"]), len(ids))
            self._check()
            groups = self._rpc(model, "read_group", [], [groupby], [groupby])
            self.assertEqual(sum(g[f"{groupby}_count"] for g in groups), len(ids))
            self._check()
        # Reading firm A's rows by id is refused.
        self._assert_rpc_refused("cluster.agreement", "read", [self.agreement_a.id], ["name"])
        self._assert_rpc_refused("account.analytic.line", "read", [self.hour_a.id], ["name"])
        self._assert_rpc_refused("cluster.expert", "read", [self.expert_a.id], ["name"])
        # Writes and unlinks are refused, on foreign and own rows alike.
        for model, record in (
            ("cluster.agreement", self.agreement_a),
            ("cluster.agreement", self.agreement_b),
            ("cluster.expert", self.expert_a),
            ("cluster.expert", self.expert_b),
        ):
            self._assert_rpc_refused(
                model,
                "write",
                [record.id],
                {"hour_cap" if model == "cluster.agreement" else "hours_per_month": 1.0},
            )
            self._assert_rpc_refused(model, "unlink", [record.id])
        for line in (self.hour_a, self.hour_b):
            self._assert_rpc_refused(
                "account.analytic.line", "write", [line.id], {"unit_amount": 1.0}
            )
            self._assert_rpc_refused("account.analytic.line", "unlink", [line.id])
        self._assert_rpc_refused(
            "account.analytic.line", "action_cluster_approve", [self.hour_b_to_a.id]
        )
        # Settlements are not readable by portal users at all; balances only the firm's.
        for method, args, kwargs in (
            ("search_read", [[]], {"fields": ["name"]}),
            ("name_search", [""], {}),
            ("read_group", [[], ["id:count"], ["state"]], {}),
            ("write", [[self.settlement_a.id], {"date_to": "2031-01-30"}], {}),
            ("unlink", [[self.settlement_a.id]], {}),
        ):
            self._assert_rpc_refused("cluster.settlement", method, *args, **kwargs)
        balances = self._rpc(
            "cluster.settlement.report.balance",
            "search_read",
            [],
            fields=["partner_id"],
        )
        self.assertEqual({b["partner_id"][0] for b in balances}, {self.firm_b.id})
        self._check()
        self._assert_rpc_refused(
            "cluster.settlement.report.balance", "unlink", [balances[0]["id"]]
        )
        self.env.invalidate_all()
        self.assertEqual(self.agreement_a.hour_cap, 37.25)
        self.assertEqual(self.expert_a.hours_per_month, 40.0)
        self.assertEqual(self.hour_a.unit_amount, 3.0)
        self.assertEqual(self.hour_b_to_a.cluster_hour_state, "submitted")
        self._check()

    def test_rpc_expert_a(self):
        self.authenticate("por_exp_a", "por_exp_a")
        self.assertEqual(
            self._rpc_ids("cluster.agreement"),
            {self.agreement_a.id, self.agreement_a_req.id},
        )
        self.assertEqual(self._rpc_ids("account.analytic.line"), {self.hour_a.id})
        self.assertEqual(self._rpc_ids("cluster.expert"), {self.expert_a.id})
        self.assertEqual(self._rpc_ids("cluster.settlement.report.balance"), set())
        for _i in range(4):
            self._check()
        # An expert cannot answer their own firm's request nor write their hours by RPC.
        self._assert_rpc_refused(
            "cluster.agreement", "action_lender_approve", [self.agreement_a_req.id]
        )
        self._assert_rpc_refused(
            "account.analytic.line", "write", [self.hour_a.id], {"unit_amount": 20.0}
        )
        self._assert_rpc_refused(
            "account.analytic.line",
            "create",
            {"agreement_id": self.agreement_a.id, "unit_amount": 1.0, "name": "x"},
        )

    # Query counts ------------------------------------------------------------------

    def _queries(self, url):
        self._open(url)  # warm the caches
        before = self.cr.sql_log_count
        response = self._open(url)
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - before

    def test_list_query_count_is_flat(self):
        self.authenticate("por_sig_a", "por_sig_a")
        small = {url: self._queries(url) for url in LIST_ROUTES}
        # 18 more agreements (and hours) bought by firm A and 18 more experts of firm A.
        Partner = self.env["res.partner"]
        for i in range(18):
            person = Partner.create({"name": f"Expert {i}", "parent_id": self.firm_a.id})
            self.env["cluster.expert"].with_user(self.cluster_manager).create(
                {"partner_id": person.id, "hours_per_month": 10.0}
            )
            agreement = self._activate(
                self._create_agreement(
                    expert_id=self.expert_b.id,
                    hour_cap=0.5,
                    buyer_kind="member",
                    buyer_id=self.firm_a.id,
                )
            )
            self._log(agreement, agreement.date_from, 0.5)
        big = {url: self._queries(url) for url in LIST_ROUTES}
        self.assertEqual(big, small)
