from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ClusterMembershipCommon


@tagged("post_install", "-at_install")
class TestRulesOnce(ClusterMembershipCommon):
    """The decision and finite-number rules are written once, in cluster_base's mixins,
    and the memberships use them."""

    def _application(self, firm):
        membership = (
            self.env["cluster.membership"]
            .with_user(self.cluster_manager)
            .create({"partner_id": firm.id, "membership_type_id": self.type_core.id})
        )
        membership.action_apply()
        return membership

    def test_admission_needs_a_decision_about_a_membership(self):
        membership = self._application(self.firm_a)
        # an adopted decision that decides another kind of record (here a firm) admits no one
        decision = self.env["cluster.decision"].create(
            {
                "title": "Sponsorship",
                "date": "2026-02-01",
                "res_model": "res.partner",
                "res_id": self.firm_b.id,
            }
        )
        decision.action_adopt()
        membership.admission_decision_id = decision
        with self.assertRaisesRegex(UserError, "without an adopted board decision"):
            membership.action_admit()
        self.assertEqual(membership.state, "applied")

    def test_one_decision_admits_several_firms(self):
        first, second = self._application(self.firm_a), self._application(self.firm_b)
        decision = self._adopted_decision(date=first.date_application)
        (first | second).admission_decision_id = decision
        (first | second).action_admit()
        self.assertEqual(set((first | second).mapped("state")), {"admitted"})
        self.assertEqual((decision.res_model, decision.res_id), (first._name, first.id))

    def test_mixin_decision_rule(self):
        membership = self._application(self.firm_a)
        draft = self.env["cluster.decision"].create({"title": "Draft", "date": "2026-02-01"})
        self.assertFalse(membership._cluster_decision_is_adopted(draft))
        draft.action_adopt()
        self.assertTrue(membership._cluster_decision_is_adopted(draft))
        self.assertFalse(membership._cluster_decision_is_adopted(self.env["cluster.decision"]))

    def test_non_finite_numbers_refused_with_a_clear_message(self):
        Type = self.env["cluster.membership.type"].with_user(self.cluster_manager)
        for value in (float("nan"), float("inf")):
            with self.assertRaisesRegex(ValidationError, "must be a finite number"):
                Type.create({"name": "Odd", "contribution_amount": value})
            with self.assertRaisesRegex(ValidationError, "must be a finite number"):
                self.type_core.with_user(self.cluster_manager).contribution_amount = value
        membership = self._application(self.firm_a)
        with self.assertRaisesRegex(ValidationError, "must be a finite number"):
            membership.contribution_amount = float("nan")
