# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import new_test_user, tagged

from .common import ClusterCommon

SIGNATORY = "cluster_base.cluster_base_group_signatory"


@tagged("post_install", "-at_install")
class TestSignatoryRole(ClusterCommon):
    """The signatory flag of a contact decides the signatory group of its portal login."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.firm = cls.env["res.partner"].create({"name": "Rollbolaget AB", "is_company": True})
        cls.other_firm = cls.env["res.partner"].create(
            {"name": "Andrabolaget AB", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Rut Roll",
                "parent_id": cls.firm.id,
                "email": "rut@example.com",
                "cluster_is_signatory": True,
            }
        )
        cls.colleague = cls.env["res.partner"].create(
            {"name": "Rolf Roll", "parent_id": cls.firm.id, "email": "rolf@example.com"}
        )

    def _invite(self, partners):
        wizard = self.env["portal.wizard"].create({"partner_ids": [(6, 0, partners.ids)]})
        for wizard_user in wizard.user_ids:
            wizard_user.action_grant_access()
        return partners.user_ids

    def test_invited_signatory_gets_the_role_and_loses_it_with_the_flag(self):
        users = self._invite(self.contact | self.colleague)
        signatory = self.contact.user_ids
        colleague = self.colleague.user_ids
        self.assertEqual(len(users), 2)
        self.assertTrue(signatory.has_group(SIGNATORY))
        self.assertTrue(signatory.has_group("base.group_portal"))
        self.assertFalse(colleague.has_group(SIGNATORY), "only signatories get the role")

        # the role follows the contact's flag
        self.contact.cluster_is_signatory = False
        self.assertFalse(signatory.has_group(SIGNATORY))
        self.colleague.cluster_is_signatory = True
        self.assertTrue(colleague.has_group(SIGNATORY))

    def test_archived_signatory_loses_the_role(self):
        self._invite(self.contact)
        user = self.contact.user_ids
        self.assertTrue(user.has_group(SIGNATORY))
        # Odoo archives the login before the contact
        user.active = False
        self.contact.active = False
        self.assertFalse(user.with_context(active_test=False).has_group(SIGNATORY))

    def test_revoked_portal_access_drops_the_role_and_regrant_restores_it(self):
        self._invite(self.contact)
        user = self.contact.user_ids
        wizard = self.env["portal.wizard"].create({"partner_ids": [(6, 0, self.contact.ids)]})
        wizard.user_ids.action_revoke_access()
        user = user.with_context(active_test=False)
        self.assertFalse(user.active)
        self.assertFalse(user.has_group(SIGNATORY))
        wizard = self.env["portal.wizard"].create({"partner_ids": [(6, 0, self.contact.ids)]})
        wizard.user_ids.action_grant_access()
        self.assertTrue(user.active)
        self.assertTrue(user.has_group(SIGNATORY))

    def test_moved_contact_loses_flag_and_role(self):
        """Signing for firm A says nothing about firm B: the move clears both."""
        self._invite(self.contact)
        user = self.contact.user_ids
        self.assertTrue(user.has_group(SIGNATORY))
        self.contact.parent_id = self.other_firm
        self.assertFalse(self.contact.cluster_is_signatory)
        self.assertFalse(user.has_group(SIGNATORY))
        self.assertEqual(user.commercial_partner_id, self.other_firm)
        # setting the flag and the firm in one write keeps the flag
        self.contact.write({"parent_id": self.firm.id, "cluster_is_signatory": True})
        self.assertTrue(self.contact.cluster_is_signatory)
        self.assertTrue(user.has_group(SIGNATORY))
        # a write that keeps the firm keeps the flag
        self.contact.write({"parent_id": self.firm.id})
        self.assertTrue(self.contact.cluster_is_signatory)
        # a contact without a firm signs for no one
        self.contact.parent_id = False
        self.assertFalse(user.has_group(SIGNATORY))

    def test_internal_users_are_never_touched(self):
        internal = self.cluster_user
        internal.partner_id.cluster_is_signatory = True
        self.assertFalse(internal.has_group(SIGNATORY))

    def test_manager_creates_firm_contact_and_signatory(self):
        """Cluster managers keep the contact book: firm, contact, signatory flag."""
        self.assertTrue(self.cluster_manager.has_group("base.group_partner_manager"))
        Partner = self.env["res.partner"].with_user(self.cluster_manager)
        firm = Partner.create({"name": "Nybolaget AB", "is_company": True})
        contact = Partner.create({"name": "Nina Ny", "parent_id": firm.id, "email": "n@x.se"})
        contact.cluster_is_signatory = True
        user = new_test_user(
            self.env, login="nina_ny", groups="base.group_portal", partner_id=contact.id
        )
        self.assertTrue(user.has_group(SIGNATORY))
        contact.write({"cluster_is_signatory": False, "phone": "+46 70 000 00 00"})
        self.assertFalse(user.has_group(SIGNATORY))
