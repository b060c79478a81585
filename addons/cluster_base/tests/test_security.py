from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ClusterMembershipCommon


@tagged("post_install", "-at_install")
class TestPortalAccess(ClusterMembershipCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.membership_a = cls._active_membership(cls.firm_a)
        cls.membership_b = cls._active_membership(cls.firm_b)
        contact_a, contact_b = cls.env["res.partner"].create(
            [
                {"name": "Signer A", "parent_id": firm.id, "cluster_is_signatory": True}
                for firm in (cls.firm_a, cls.firm_b)
            ]
        )
        cls.portal_a = new_test_user(
            cls.env, login="portal_a", groups="base.group_portal", partner_id=contact_a.id
        )
        cls.portal_b = new_test_user(
            cls.env, login="portal_b", groups="base.group_portal", partner_id=contact_b.id
        )

    def test_portal_sees_own_firm_only(self):
        Membership = self.env["cluster.membership"].with_user(self.portal_b)
        self.assertEqual(Membership.search([]), self.membership_b)
        self.assertFalse(Membership.search([("partner_id", "=", self.firm_a.id)]))
        self.assertFalse(Membership.search_count([("id", "=", self.membership_a.id)]))
        self.assertFalse(Membership.read_group([], ["partner_id"], ["partner_id"])[1:])
        with self.assertRaises(AccessError):
            self.membership_a.with_user(self.portal_b).read(["partner_id"])
        with self.assertRaises(AccessError):
            self.membership_a.with_user(self.portal_b).contribution_amount  # noqa: B018
        # and own record is read-only
        self.assertEqual(self.membership_b.with_user(self.portal_b).partner_id, self.firm_b)
        with self.assertRaises(AccessError):
            self.membership_b.with_user(self.portal_b).write({"exit_reason": "x"})
        with self.assertRaises(AccessError):
            self.membership_b.with_user(self.portal_b).unlink()

    def test_write_on_other_firm_tells_nothing(self):
        """Writing the terms of another firm's membership answers like a missing right:
        no word about who may change the terms, no name of the firm or the record."""
        for vals in (
            {"contribution_amount": 1.0},
            {"exit_reason": "x"},
            {"state": "active"},
        ):
            with self.assertRaises(AccessError) as cm:
                self.membership_a.with_user(self.portal_b).write(vals)
            message = str(cm.exception)
            self.assertNotIn("cluster manager", message)
            self.assertNotIn(self.firm_a.name, message)
            self.assertNotIn(self.membership_a.name, message)
        self.assertEqual(self.membership_a.contribution_amount, 10000.0)

    def test_portal_invoices_by_firm_not_by_followers(self):
        moves = self.env["cluster.membership"]._run_annual_fees(2026, post=True)
        move_a = moves.filtered(lambda m: m.partner_id == self.firm_a)
        move_b = moves.filtered(lambda m: m.partner_id == self.firm_b)
        # firm A's signatory sees firm A's invoice, even without following it
        self.assertEqual(
            self.env["account.move"].with_user(self.portal_a).search([("id", "in", moves.ids)]),
            move_a,
        )
        # firm B's signatory made a follower of firm A's invoice still cannot read it
        move_a.message_subscribe(partner_ids=self.portal_b.partner_id.ids)
        with self.assertRaises(AccessError):
            move_a.with_user(self.portal_b).read(["amount_total"])
        self.assertEqual(
            self.env["account.move"].with_user(self.portal_b).search([("id", "in", moves.ids)]),
            move_b,
        )
        self.assertFalse(
            self.env["account.move.line"]
            .with_user(self.portal_b)
            .search([("move_id", "=", move_a.id)])
        )

    def test_portal_cannot_read_governance(self):
        for model in (
            "cluster.meeting",
            "cluster.decision",
            "cluster.vote",
            "cluster.membership.type",
        ):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.portal_a).search([])

    def test_user_reads_but_cannot_configure(self):
        self.assertTrue(
            self.env["cluster.membership"]
            .with_user(self.cluster_user)
            .search([("id", "=", self.membership_a.id)])
        )
        with self.assertRaises(AccessError):
            self.type_core.with_user(self.cluster_user).write({"contribution_amount": 1})
        with self.assertRaises(AccessError):
            self.env["cluster.business.area"].with_user(self.cluster_board).create({"name": "X"})
        with self.assertRaises(AccessError):
            self.membership_a.with_user(self.cluster_user).write({"admission_decision_id": False})

    def test_internal_user_without_cluster_group(self):
        employee = new_test_user(self.env, login="plain_employee", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["cluster.membership"].with_user(employee).search([])

    def test_portal_without_signatory_role_reads_no_membership(self):
        contact = self.env["res.partner"].create(
            {"name": "Kollega A", "parent_id": self.firm_a.id}
        )
        colleague = new_test_user(
            self.env, login="colleague_a", groups="base.group_portal", partner_id=contact.id
        )
        self.assertTrue(self.portal_a.has_group("cluster_base.cluster_base_group_signatory"))
        self.assertFalse(colleague.has_group("cluster_base.cluster_base_group_signatory"))
        with self.assertRaises(AccessError):
            self.env["cluster.membership"].with_user(colleague).search([])
        with self.assertRaises(AccessError):
            self.membership_a.with_user(colleague).read(["contribution_amount"])
        moves = self.env["cluster.membership"]._run_annual_fees(2026, post=True)
        move_a = moves.filtered(lambda m: m.partner_id == self.firm_a)
        self.assertFalse(
            self.env["account.move"].with_user(colleague).search([("id", "in", moves.ids)])
        )
        self.assertFalse(
            self.env["account.move.line"]
            .with_user(colleague)
            .search([("move_id", "=", move_a.id)])
        )
        with self.assertRaises(AccessError):
            move_a.with_user(colleague).read(["amount_total"])
        # the signatory of the same firm does read them
        self.assertEqual(
            self.env["account.move"].with_user(self.portal_a).search([("id", "in", moves.ids)]),
            move_a,
        )
