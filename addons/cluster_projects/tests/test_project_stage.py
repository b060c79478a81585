from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import ClusterProjectsCommon


@tagged("post_install", "-at_install")
class TestProjectStage(ClusterProjectsCommon):
    def _adopted_decision(self, project=None):
        project = project or self.project
        decision = self.env["cluster.decision"].create(
            {
                "title": "Bevilja projektet",
                "res_model": "project.project",
                "res_id": project.id,
            }
        )
        decision.action_adopt()
        project.cluster_decision_id = decision
        return decision

    def test_joint_project_has_own_analytic_account(self):
        self.assertTrue(self.project.account_id)
        other = self.env["project.project"].create(
            {"name": "Annat projekt", "is_joint_project": True}
        )
        self.assertTrue(other.account_id)
        self.assertNotEqual(other.account_id, self.project.account_id)
        with self.assertRaisesRegex(ValidationError, "separate accounts"):
            other.account_id = self.project.account_id

    def test_full_workflow(self):
        project = self.project.with_user(self.cluster_manager)
        project.action_cluster_apply()
        self.assertEqual(project.cluster_stage, "application")
        action = project.action_cluster_request_decision()
        decision = self.env["cluster.decision"].browse(action["res_id"])
        self.assertEqual((decision.res_model, decision.res_id), ("project.project", project.id))
        self.assertEqual(project.cluster_decision_id, decision)
        decision.action_adopt()
        project.action_cluster_grant()
        project.action_cluster_start()
        self.assertEqual(project.cluster_stage, "running")
        # participants have logged nothing: the final report is blocked
        with self.assertRaisesRegex(UserError, "final report .* is blocked"):
            project.action_final_report()
        self.assertEqual(project.cluster_stage, "running")

    def test_granting_decision_cannot_be_reset(self):
        decision = self._adopted_decision()
        # not granted yet: the decision may still be reset
        decision.with_user(self.cluster_manager).action_reset_draft()
        decision.action_adopt()
        project = self.project.with_user(self.cluster_manager)
        project.action_cluster_apply()
        project.action_cluster_grant()
        with self.assertRaisesRegex(UserError, "granted the project .* cannot be reset"):
            decision.with_user(self.cluster_manager).action_reset_draft()
        self.assertEqual(decision.state, "adopted")
        result = decision.with_user(self.cluster_manager).action_amend()
        self.assertEqual(result["res_model"], "cluster.decision")
        amendment = self.env["cluster.decision"].browse(result["res_id"])
        self.assertEqual(amendment.amends_id, decision)
        self.assertEqual(decision.amendment_ids, amendment)
        self.assertEqual(amendment.state, "draft")
        self.assertIn(decision.name, amendment.title)
        # the amendment's own adoption does not unlock the original
        amendment.with_user(self.cluster_manager).action_adopt()
        with self.assertRaises(UserError):
            decision.with_user(self.cluster_manager).action_reset_draft()
        # a draft can't be amended
        draft = self.env["cluster.decision"].create({"title": "Utkast"})
        with self.assertRaisesRegex(UserError, "Only an adopted decision"):
            draft.with_user(self.cluster_manager).action_amend()

    def test_grant_needs_adopted_decision(self):
        self.project.action_cluster_apply()
        with self.assertRaisesRegex(UserError, "adopted board decision"):
            self.project.action_cluster_grant()
        decision = self.env["cluster.decision"].create(
            {
                "title": "Bevilja",
                "res_model": "project.project",
                "res_id": self.project.id,
            }
        )
        self.project.cluster_decision_id = decision
        with self.assertRaisesRegex(UserError, "adopted board decision"):
            self.project.action_cluster_grant()
        # a decision adopted about another record does not count
        other = self.env["cluster.decision"].create(
            {"title": "Annat", "res_model": "res.partner", "res_id": 1}
        )
        other.action_adopt()
        self.project.cluster_decision_id = other
        with self.assertRaisesRegex(UserError, "adopted board decision"):
            self.project.action_cluster_grant()
        self.assertEqual(self.project.cluster_stage, "application")
        self._adopted_decision()
        self.project.action_cluster_grant()
        self.assertEqual(self.project.cluster_stage, "granted")

    def test_no_stage_jump(self):
        with self.assertRaisesRegex(UserError, "can't jump"):
            self.project.write({"cluster_stage": "running"})
        with self.assertRaisesRegex(UserError, "can't jump"):
            self.project.write({"cluster_stage": "granted"})
        self.assertEqual(self.project.cluster_stage, "idea")
        with self.assertRaisesRegex(UserError, "starts as an idea"):
            self.env["project.project"].create(
                {"name": "Hopp", "is_joint_project": True, "cluster_stage": "running"}
            )

    def test_shares_must_sum_to_100_when_granted(self):
        self.project.action_cluster_apply()
        self._adopted_decision()
        self.participant_b.cost_share = 30.0
        with self.assertRaisesRegex(ValidationError, "sum to 90.00 %"):
            self.project.action_cluster_grant()
        self.assertEqual(self.project.cluster_stage, "application")
        self.participant_b.cost_share = 40.0
        self.project.action_cluster_grant()
        # once granted, the shares stay at 100 %
        with self.assertRaisesRegex(ValidationError, "must sum to 100"):
            self.project.write(
                {
                    "cluster_participant_ids": [
                        Command.update(self.participant_b.id, {"cost_share": 50.0})
                    ]
                }
            )

    def test_participant_bad_input(self):
        Participant = self.env["cluster.project.participant"]
        base = {"project_id": self.project.id, "partner_id": self.firm_c.id}
        for vals in (
            {"cost_share": 120.0},
            {"cost_share": -5.0},
            {"committed_cash": -1.0},
            {"committed_hours": -2.0},
            {"committed_cash": float("nan")},
            {"committed_hours": float("inf")},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                Participant.create({**base, **vals})
        with self.assertRaisesRegex(ValidationError, "finite"):
            Participant.create({**base, "committed_cash": float("nan")})
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            Participant.create({**base, "cost_share": 101.0})
        with self.assertRaisesRegex(ValidationError, "not a firm"):
            Participant.create(
                {
                    "project_id": self.project.id,
                    "partner_id": self.employee_a.work_contact_id.id,
                }
            )
        with self.assertRaisesRegex(ValidationError, "more than one lead"):
            Participant.create({**base, "role": "lead"})

    def test_reopen_closed_only_manager(self):
        self.project.action_cluster_reset_idea()
        self.assertEqual(self.project.cluster_stage, "idea")
