# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, datetime

from odoo import Command
from odoo.tests import tagged

from odoo.addons.cluster_base.tests.portal_common import ClusterPortalMixin

from .common import ClusterProjectsCommon


@tagged("post_install", "-at_install")
class TestPortalProjects(ClusterProjectsCommon, ClusterPortalMixin):
    """Joint projects in the portal: a firm sees its own part, never another's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.participant_a.hourly_value = 500.0
        cls.project_a = cls._joint_project("Ringtorps hemliga projekt", cls.firm_a)
        cls.hours_a = cls._log(cls.employee_a, 3.0)
        cls.hours_b = cls._log(cls.employee_b, 2.0)
        cls.event = cls.env["event.event"].create(
            {
                "name": "Workshop offentlig upphandling",
                "cluster_project_id": cls.project.id,
                "cluster_activity_type": "training",
                "date_begin": datetime(2026, 3, 10, 8, 0),
                "date_end": datetime(2026, 3, 10, 14, 0),
            }
        )
        cls.env["event.registration"].create(
            {
                "event_id": cls.event.id,
                "name": "Anna Ringtorp",
                "partner_id": cls.employee_a.work_contact_id.id,
            }
        )
        cls.sign_a = cls._portal_contact_user(
            "sign_a", cls.firm_a, "Signe Ringtorp", signatory=True
        )
        # a portal contact of firm A without a role: projects yes, money no
        cls.expert_a = cls._portal_contact_user("expert_a", cls.firm_a, "Erik Ringtorp")
        cls.sign_b = cls._portal_contact_user(
            "sign_b", cls.firm_b, "Signe Kvarnbo", signatory=True
        )
        cls.money_a = ["10,000.00", "1,500.00", "60.00", "Committed cash", "Cost share"]
        cls.secrets_a = [
            cls.firm_a.name,
            cls.project_a.name,
            "Anna Ringtorp",
            "Signe Ringtorp",
            "10,000.00",  # A's committed cash
            "1,500.00",  # A's in-kind value (3 h x 500)
            "1,980.00",  # the project's in-kind total (A and B)
            "5.00",  # the project's in-kind hours (A and B)
            "60.00",  # A's cost share
        ]

    @classmethod
    def _joint_project(cls, name, firm):
        return cls.env["project.project"].create(
            {
                "name": name,
                "is_joint_project": True,
                "date_start": date(2026, 1, 1),
                "date": date(2026, 12, 31),
                "cluster_participant_ids": [
                    Command.create(
                        {
                            "partner_id": firm.id,
                            "role": "lead",
                            "cost_share": 100.0,
                            "committed_cash": 777.0,
                        }
                    )
                ],
            }
        )

    def test_in_kind_fixture(self):
        self.assertEqual(self.hours_a.cluster_member_id, self.firm_a)
        self.assertEqual(self.hours_a.cluster_in_kind_value, 1500.0)
        self.assertEqual(self.hours_b.cluster_member_id, self.firm_b)

    def test_public_redirected_to_login(self):
        for url in (
            "/my/cluster/projects",
            "/my/cluster/projects/page/2",
            f"/my/cluster/projects/{self.project.id}",
        ):
            self.assertPublicRedirectedToLogin(url)

    def test_list_holds_own_projects_only(self):
        for login, money in (("sign_a", ["10,000.00"]), ("expert_a", [])):
            body = self.assertPageWithout(
                login,
                "/my/cluster/projects",
                [self.firm_b.name, "5,000.00", "Signe Kvarnbo", "40.00"]
                + ([] if money else self.money_a),
                expected=[self.project.name, self.project_a.name, "3.00", *money],
            )
            self.assertEqual(body.count("o_cluster_project_row"), 2)
        body = self.assertPageWithout(
            "sign_b",
            "/my/cluster/projects",
            self.secrets_a,
            expected=[self.project.name, "5,000.00", "2.00"],
        )
        self.assertEqual(body.count("o_cluster_project_row"), 1)
        # sorting and filters: known keys work, unknown keys fall back to the default
        body = self.assertPageWithout(
            "sign_a", "/my/cluster/projects?filterby=running&sortby=stage", []
        )
        self.assertEqual(body.count("o_cluster_project_row"), 0)
        body = self.assertPageWithout(
            "sign_a", "/my/cluster/projects?filterby=idea&sortby=stage", []
        )
        self.assertEqual(body.count("o_cluster_project_row"), 2)
        for query in ("?sortby=__dict__&filterby=x", "?filterby=&sortby=", "/page/abc"):
            response = self._get("sign_b", f"/my/cluster/projects{query}")
            self.assertIn(response.status_code, (200, 404))
            for text in self.secrets_a:
                self.assertNotIn(text, response.text)
            self._count(1 + len(self.secrets_a))
        # internal users see only their own company's participations: none here
        for login in ("admin", "cluster_board"):
            body = self.assertPageWithout(
                login, "/my/cluster/projects", self.secrets_a + [self.project.name]
            )

    def test_detail_own_part_only(self):
        url = f"/my/cluster/projects/{self.project.id}"
        for login, money in (("sign_a", ["10,000.00", "1,500.00"]), ("expert_a", [])):
            self.assertPageWithout(
                login,
                url,
                [self.firm_b.name, "5,000.00", "Signe Kvarnbo", "480.00", "1,980.00"]
                + ([] if money else self.money_a),
                expected=["3.00", self.event.name, *money],
            )
        self.assertPageWithout(
            "sign_b",
            url,
            self.secrets_a,
            expected=["5,000.00", "480.00", "2.00", self.event.name],
        )

    def test_other_firm_project_answers_like_missing(self):
        missing = "/my/cluster/projects/99999999"
        for login in ("sign_b", "admin", "cluster_board"):
            self.assertSameAsMissing(
                login,
                f"/my/cluster/projects/{self.project_a.id}",
                missing,
                self.secrets_a,
            )
        # a project that exists but is not a joint project, and a non-joint one with A
        plain = self.env["project.project"].create({"name": "Vanligt projekt"})
        self.assertSameAsMissing("sign_a", f"/my/cluster/projects/{plain.id}", missing)
        # admin is not a participant of the shared project either
        self.assertSameAsMissing(
            "admin", f"/my/cluster/projects/{self.project.id}", missing, self.secrets_a
        )

    def test_overview_section_and_counters(self):
        self.assertPageWithout(
            "sign_b",
            "/my/cluster",
            self.secrets_a,
            expected=['id="cluster_overview_projects"', self.project.name],
        )
        self.assertPageWithout(
            "sign_a", "/my/cluster", [self.firm_b.name], expected=[self.project_a.name]
        )
        for login, expected in (
            ("sign_a", 2),
            ("expert_a", 2),
            ("sign_b", 1),
            ("admin", 0),
        ):
            self._login(login)
            counters = self.make_jsonrpc_request(
                "/my/counters", {"counters": ["cluster_project_count"]}
            )
            self.assertEqual(counters["cluster_project_count"], expected, login)
            self._count()

    def test_portal_domain_is_the_rules_set(self):
        """The participant rows a portal user lists (``_cluster_get_portal_domain``) are
        those the record rules let them read, for a signatory of each firm and a contact
        without a role; and each of them reads some."""
        Participant = self.env["cluster.project.participant"]
        for user in (self.sign_a, self.sign_b, self.expert_a):
            rows = Participant.with_user(user)
            by_rules = rows.search([])
            by_domain = rows.search(rows._cluster_get_portal_domain())
            self.assertEqual(sorted(by_domain.ids), sorted(by_rules.ids), user.login)
            self.assertTrue(by_rules, user.login)
            self.assertEqual(by_rules.partner_id, user.commercial_partner_id)

    def test_rpc_participants_own_firm_only(self):
        participants_a = self.participant_a | self.project_a.cluster_participant_ids
        self.assertRpcReadsOnly(
            "sign_b",
            "cluster.project.participant",
            self.participant_b.ids,
            [self.firm_a.name],
            "role",
        )
        self.assertRpcReadsOnly(
            "sign_a",
            "cluster.project.participant",
            participants_a.ids,
            [self.firm_b.name],
            "role",
        )
        for participant in (self.participant_a, self.participant_b):
            self.assertRpcDenied(
                "sign_b",
                "cluster.project.participant",
                "write",
                [participant.ids, {"committed_cash": 1.0}],
            )
            self.assertRpcDenied(
                "sign_b", "cluster.project.participant", "unlink", [participant.ids]
            )
        self.assertRpcDenied(
            "sign_b",
            "cluster.project.participant",
            "read",
            [self.participant_a.ids, ["committed_cash"]],
        )
        # a contact without the signatory role reads the firm's participation, not its
        # money
        self.assertRpcReadsOnly(
            "expert_a",
            "cluster.project.participant",
            participants_a.ids,
            [self.firm_b.name],
            "role",
        )
        rows = self._call_kw(
            "expert_a", "cluster.project.participant", "search_read", [[]], {"fields": []}
        )
        self.assertTrue(rows)
        for row in rows:
            self.assertFalse({"committed_cash", "cost_share", "cash_received"} & row.keys())
        for field in ("committed_cash", "cost_share", "hourly_value", "in_kind_value"):
            self.assertRpcDenied(
                "expert_a",
                "cluster.project.participant",
                "read",
                [self.participant_a.ids, [field]],
            )
        self.env.invalidate_all()
        self.assertEqual(self.participant_a.committed_cash, 10000.0)
        self.assertEqual(self.participant_b.committed_cash, 5000.0)
        self._count(3)

    def test_rpc_projects_hours_grants_budget(self):
        grant = self._grant()
        budget = self.env["cluster.budget.line"].create(
            {
                "project_id": self.project.id,
                "name": "Ringtorps budgetrad",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
                "amount_planned": 12345.0,
            }
        )
        for model, records in (
            ("cluster.grant", grant),
            ("cluster.budget.line", budget),
        ):
            self.assertRpcDenied("sign_b", model, "search_read", [[]], {"fields": ["id"]})
            self.assertRpcDenied("sign_b", model, "read_group", [[], ["id"], ["id"]])
            self.assertRpcDenied("sign_b", model, "name_search", [], {"name": ""})
            self.assertRpcDenied("sign_b", model, "write", [records.ids, {"name": "x"}])
            self.assertRpcDenied("sign_b", model, "unlink", [records.ids])
        # no portal access to another firm's project or hours through stock models
        projects = self._call_kw(
            "sign_b", "project.project", "search_read", [[]], {"fields": ["name"]}
        )
        self.assertNotIn(self.project_a.id, [p["id"] for p in projects])
        lines = self._call_kw(
            "sign_b", "account.analytic.line", "search_read", [[]], {"fields": ["name"]}
        )
        self.assertNotIn(self.hours_a.id, [line["id"] for line in lines])
        self.assertRpcDenied("sign_b", "account.analytic.line", "unlink", [self.hours_a.ids])
        self.env.invalidate_all()
        self.assertTrue(grant.exists() and self.hours_a.exists())
        self.assertEqual((grant.name, budget.name), ("TVV-2026-1", "Ringtorps budgetrad"))
        self._count(3)

    def _list_queries(self):
        self._login("sign_a")
        self.url_open("/my/cluster/projects")  # warm caches
        count0 = self.cr.sql_log_count
        response = self.url_open("/my/cluster/projects")
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - count0, response.text.count("o_cluster_project_row")

    def test_list_query_count_constant(self):
        queries_2, rows_2 = self._list_queries()
        for i in range(18):
            project = self._joint_project(f"Lastprojekt {i}", self.firm_a)
            self.env["account.analytic.line"].create(
                {
                    "name": "Arbete",
                    "project_id": project.id,
                    "employee_id": self.employee_a.id,
                    "unit_amount": 1.0,
                    "date": date(2026, 3, 2),
                }
            )
        queries_20, rows_20 = self._list_queries()
        self.assertEqual((rows_2, rows_20), (2, 20))
        self.assertEqual(queries_2, queries_20)

    def test_tour_signatory(self):
        mtype = self.env["cluster.membership.type"].create({"name": "Turtyp"})
        membership = self.env["cluster.membership"].create(
            {"partner_id": self.firm_a.id, "membership_type_id": mtype.id}
        )
        membership.action_apply()
        decision = self.env["cluster.decision"].create(
            {"title": "Antagning", "date": "2026-02-01"}
        )
        decision.action_adopt()
        membership.write(
            {
                "admission_decision_id": decision.id,
                "date_application": "2026-02-01",
                "date_admission": "2026-02-01",
            }
        )
        membership.write({"state": "admitted"})
        membership.write({"state": "active"})
        self.start_tour("/my", "cluster_portal_member_tour", login="sign_a")

    def test_tour_contact_without_role(self):
        self.start_tour("/my", "cluster_portal_contact_tour", login="expert_a")

    def test_contact_moved_to_other_firm(self):
        """A contact moved to firm B loses firm A's projects at once."""
        self.expert_a.partner_id.parent_id = self.firm_b
        self.assertSameAsMissing(
            "expert_a",
            f"/my/cluster/projects/{self.project_a.id}",
            "/my/cluster/projects/99999999",
            [self.project_a.name],
        )
        self.assertPageWithout(
            "expert_a", "/my/cluster/projects", self.secrets_a, [self.project.name]
        )
