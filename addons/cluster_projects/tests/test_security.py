from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ClusterProjectsCommon


@tagged("post_install", "-at_install")
class TestSecurity(ClusterProjectsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_a = cls._portal_user("portal_ringtorp", cls.firm_a)
        cls.portal_c = cls._portal_user("portal_utanfor", cls.firm_c)

    def test_cluster_user_reads_only(self):
        project = self.project.with_user(self.cluster_user)
        self.assertEqual(project.cluster_participant_ids.partner_id, self.firm_a | self.firm_b)
        self.assertEqual(project.cluster_eligible_cost, 0.0)
        participant = self.participant_a.with_user(self.cluster_user)
        with self.assertRaises(AccessError):
            participant.cost_share = 50.0
        with self.assertRaises(AccessError):
            self._grant().with_user(self.cluster_user).amount_granted = 1.0
        with self.assertRaises(AccessError):
            project.action_cluster_apply()
        self.assertEqual(self.project.cluster_stage, "idea")

    def test_manager_runs_the_project(self):
        project = self.project.with_user(self.cluster_manager)
        project.action_cluster_apply()
        self.env["cluster.grant"].with_user(self.cluster_manager).create(
            {
                "name": "G",
                "project_id": project.id,
                "funder_id": self.funder.id,
                "date_from": "2026-01-01",
                "date_to": "2026-06-30",
            }
        )
        self.participant_a.with_user(self.cluster_manager).committed_cash = 12000.0
        self.assertEqual(project.cluster_stage, "application")

    def test_portal_reads_own_firm_only(self):
        Participant = self.env["cluster.project.participant"]
        mine = Participant.with_user(self.portal_a).search([])
        self.assertEqual(mine, self.participant_a)
        self.assertEqual(mine.read(["cost_share", "committed_cash"])[0]["committed_cash"], 10000.0)
        with self.assertRaises(AccessError):
            self.participant_b.with_user(self.portal_a).read(["cost_share"])
        with self.assertRaises(AccessError):
            self.participant_a.with_user(self.portal_a).write({"cost_share": 1.0})
        groups = Participant.with_user(self.portal_a)._read_group(
            [], ["partner_id"], ["committed_cash:sum"]
        )
        self.assertEqual(groups, [(self.firm_a.with_user(self.portal_a), 10000.0)])

    def test_portal_of_other_firm_denied(self):
        Participant = self.env["cluster.project.participant"].with_user(self.portal_c)
        self.assertFalse(Participant.search([]))
        for participant in (self.participant_a, self.participant_b):
            with self.assertRaises(AccessError):
                participant.with_user(self.portal_c).read(["cost_share"])
        with self.assertRaises(AccessError):
            self.env["cluster.grant"].with_user(self.portal_c).search([])
        self.assertFalse(Participant.search_read([], ["cost_share", "committed_cash"]))
        self.assertFalse(Participant.name_search(""))
        self.assertFalse(Participant.search_count([]))
        self.assertEqual(Participant._read_group([], [], ["committed_cash:sum"]), [(0.0,)])
        with self.assertRaises(AccessError):
            self.participant_a.with_user(self.portal_c).unlink()
        with self.assertRaises(AccessError):
            Participant.create({"project_id": self.project.id, "partner_id": self.firm_c.id})
        for model in (
            "cluster.budget.line",
            "cluster.indicator",
            "cluster.grant.claim",
        ):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.portal_c).search([])

    def test_cluster_user_cannot_change_money(self):
        user = self.cluster_user
        with self.assertRaises(AccessError):
            self.participant_a.with_user(user).unlink()
        with self.assertRaises(AccessError):
            self.env["cluster.budget.line"].with_user(user).create(
                {
                    "project_id": self.project.id,
                    "category": "travel",
                    "date_from": "2026-01-01",
                    "date_to": "2026-01-31",
                    "amount_planned": 1.0,
                }
            )
