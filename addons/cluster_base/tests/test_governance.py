from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ClusterMembershipCommon


@tagged("post_install", "-at_install")
class TestGovernance(ClusterMembershipCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.firm_c = cls.env["res.partner"].create(
            {"name": "Testbolaget Gamma AB", "is_company": True}
        )
        cls.firm_d = cls.env["res.partner"].create(
            {"name": "Testbolaget Delta AB", "is_company": True}
        )
        cls.voter_a = cls._active_membership(cls.firm_a)
        cls.voter_b = cls._active_membership(cls.firm_b)
        cls.voter_c = cls._active_membership(cls.firm_c)
        cls.associate = cls._active_membership(cls.firm_d, mtype=cls.type_associate)
        cls.meeting = cls.env["cluster.meeting"].create(
            {
                "name": "Annual meeting 2026",
                "meeting_type": "annual",
                "date": "2026-05-20 17:00:00",
            }
        )
        cls.item = cls.env["cluster.meeting.item"].create(
            {"meeting_id": cls.meeting.id, "name": "Adopt the annual accounts"}
        )

    def _vote(self, membership, choice="yes", user=None):
        return (
            self.env["cluster.vote"]
            .with_user(user or self.cluster_board)
            .create({"item_id": self.item.id, "membership_id": membership.id, "choice": choice})
        )

    def test_voting_register_from_member_register(self):
        self.meeting.with_user(self.cluster_board).action_build_voting_register()
        voters = self.meeting.voter_ids
        ours = self.voter_a | self.voter_b | self.voter_c
        self.assertEqual(voters & (ours | self.associate), ours)
        self.assertEqual(set(voters.mapped("state")), {"active"})
        self.assertTrue(all(voters.mapped("voting_right")))

    def test_majority(self):
        self.assertEqual(self.item.result, "none")
        self._vote(self.voter_a, "yes")
        self._vote(self.voter_b, "no")
        self.assertEqual(self.item.result, "tie")
        self._vote(self.voter_c, "yes")
        self.assertEqual((self.item.votes_yes, self.item.votes_no), (2, 1))
        self.assertEqual(self.item.result, "adopted")

    def test_abstentions_do_not_count(self):
        self._vote(self.voter_a, "abstain")
        self._vote(self.voter_b, "abstain")
        self._vote(self.voter_c, "no")
        self.assertEqual(self.item.result, "rejected")
        self.assertEqual(self.item.votes_abstain, 2)

    def test_vote_without_voting_right(self):
        with self.assertRaisesRegex(ValidationError, "no voting right"):
            self._vote(self.associate)
        applicant = self.env["cluster.membership"].create(
            {
                "partner_id": self.env["res.partner"]
                .create({"name": "Ny AB", "is_company": True})
                .id,
                "membership_type_id": self.type_core.id,
            }
        )
        with self.assertRaisesRegex(ValidationError, "no voting right"):
            self._vote(applicant)
        self.assertFalse(self.item.vote_ids)

    def test_vote_twice(self):
        self._vote(self.voter_a, "yes")
        with self.assertRaisesRegex(ValidationError, "already voted"):
            self._vote(self.voter_a, "no")
        with self.assertRaisesRegex(ValidationError, "only once"):
            self.env["cluster.vote"].create(
                [
                    {"item_id": self.item.id, "membership_id": self.voter_b.id},
                    {"item_id": self.item.id, "membership_id": self.voter_b.id},
                ]
            )
        self.assertEqual(len(self.item.vote_ids), 1)

    def test_vote_outside_register(self):
        self.meeting.voter_ids = self.voter_a
        with self.assertRaisesRegex(ValidationError, "voting register"):
            self._vote(self.voter_b)

    def test_board_meeting_has_no_member_votes(self):
        board_meeting = self.env["cluster.meeting"].create(
            {"name": "Board 1", "meeting_type": "board"}
        )
        item = self.env["cluster.meeting.item"].create(
            {"meeting_id": board_meeting.id, "name": "X"}
        )
        with self.assertRaises(ValidationError):
            self.env["cluster.vote"].create({"item_id": item.id, "membership_id": self.voter_a.id})

    def test_user_cannot_vote_or_create_meetings(self):
        with self.assertRaises(AccessError):
            self._vote(self.voter_a, user=self.cluster_user)
        with self.assertRaises(AccessError):
            self.env["cluster.meeting"].with_user(self.cluster_user).create({"name": "X"})

    def test_decision_linked_to_meeting(self):
        decision = (
            self.env["cluster.decision"]
            .with_user(self.cluster_board)
            .create(
                {"title": "Adopt accounts", "meeting_id": self.meeting.id, "item_id": self.item.id}
            )
        )
        self.assertEqual(self.meeting.decision_ids, decision)
        self.assertEqual(self.meeting.decision_count, 1)

    def test_board_term(self):
        person = self.env["res.partner"].create({"name": "Eva Ek", "parent_id": self.firm_a.id})
        BoardMember = self.env["cluster.board.member"].with_user(self.cluster_board)
        member = BoardMember.create(
            {"partner_id": person.id, "role": "member", "date_start": "2026-01-01"}
        )
        self.assertEqual(member.firm_id, self.firm_a)
        with self.assertRaisesRegex(ValidationError, "cannot end before"):
            member.date_end = "2025-12-31"
        current = BoardMember.search([("is_current", "=", True), ("id", "=", member.id)])
        self.assertEqual(current, member)

    def test_one_chair_at_a_time(self):
        anna = self.env["res.partner"].create({"name": "Anna A"})
        bo = self.env["res.partner"].create({"name": "Bo B"})
        # an association of its own, whatever board the database already has
        company = self.env["res.company"].create({"name": "Testföreningen ek. för."})
        BoardMember = self.env["cluster.board.member"].with_company(company)
        BoardMember.create(
            {
                "partner_id": anna.id,
                "role": "chair",
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
            }
        )
        with self.assertRaisesRegex(ValidationError, "cannot both be"):
            BoardMember.create({"partner_id": bo.id, "role": "chair", "date_start": "2026-06-01"})
        # the next term is fine, and so is a second ordinary member
        BoardMember.create({"partner_id": bo.id, "role": "chair", "date_start": "2027-01-01"})
        BoardMember.create({"partner_id": bo.id, "role": "member", "date_start": "2026-06-01"})

    def test_votes_frozen_after_minutes(self):
        vote = self._vote(self.voter_a, "yes")
        self.meeting.action_held()
        # a general meeting's minutes are approved with their two adjusters
        self.meeting.adjuster_ids = self.firm_a | self.firm_b
        self.meeting.action_close()
        with self.assertRaisesRegex(ValidationError, "votes can no longer change"):
            vote.choice = "no"
        with self.assertRaisesRegex(ValidationError, "votes can no longer change"):
            self._vote(self.voter_b)
        self.assertEqual(self.item.result, "adopted")

    def test_decision_in_use_cannot_be_reset(self):
        decision = self.voter_a.admission_decision_id
        with self.assertRaisesRegex(UserError, "cannot be reset"):
            decision.with_user(self.cluster_manager).action_reset_draft()
        self.assertEqual(decision.state, "adopted")

    def test_contribution_totals_are_batched(self):
        def queries(memberships):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            memberships._compute_contribution()
            return self.env.cr.sql_log_count - before

        one = queries(self.voter_a)
        self.assertLessEqual(one, 5)
        self.assertEqual(queries(self.voter_a | self.voter_b | self.voter_c | self.associate), one)
