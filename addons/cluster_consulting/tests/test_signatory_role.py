from odoo.tests import tagged

from odoo.addons.cluster_base.tests.common import ClusterCommon

SIGNATORY = "cluster_consulting.cluster_consulting_group_signatory"


@tagged("post_install", "-at_install")
class TestSignatoryRole(ClusterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.firm = cls.env["res.partner"].create({"name": "Rollbolaget AB", "is_company": True})
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

    def test_internal_users_are_never_touched(self):
        internal = self.cluster_user
        internal.partner_id.cluster_is_signatory = True
        self.assertFalse(internal.has_group(SIGNATORY))
