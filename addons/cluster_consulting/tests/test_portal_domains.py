# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The portal domain of each model a portal user lists is its record rules' set.

``_cluster_get_portal_domain()`` (models/portal_domain.py, cluster_base's too) is what
the portal pages search with; the record rules are the guard. For every portal role,
searching the domain as that user and searching everything under the rules give the
same ids: the pages show all the rules allow, and nothing the rules would hide.
"""

from odoo.tests import tagged

from odoo.addons.cluster_base.models.res_users import ROLE_EXPERT, ROLE_MEMBER, ROLE_SIGNATORY

from .portal_common import PortalCommon

PORTAL_MODELS = (
    "cluster.membership",
    "cluster.agreement",
    "cluster.expert",
    "account.analytic.line",
    "cluster.settlement.report.balance",
)


@tagged("post_install", "-at_install")
class TestPortalDomains(PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plain_a_user = cls._portal_contact_user("por_dom_plain_a", cls.firm_a, "Pia Domän")
        # an expert of firm B visible to the members: in the signatories' rules
        cls.expert_b.with_user(cls.cluster_manager).visible_to_members = True

    def _roles(self):
        return {
            self.signatory_a_user: {ROLE_MEMBER, ROLE_SIGNATORY},
            self.signatory_b_user: {ROLE_MEMBER, ROLE_SIGNATORY},
            self.expert_a_user: {ROLE_MEMBER, ROLE_EXPERT},
            self.plain_a_user: {ROLE_MEMBER},
        }

    def test_roles_per_firm(self):
        for user, roles in self._roles().items():
            self.assertEqual(
                user._cluster_get_roles(), {user.commercial_partner_id.id: roles}, user.login
            )
        self.assertEqual(self.env.ref("base.public_user")._cluster_get_roles(), {})
        # the signatory of firm A has no role towards firm B
        self.assertFalse(self.signatory_a_user._cluster_has_role(self.firm_b, ROLE_SIGNATORY))
        self.assertTrue(self.signatory_a_user._cluster_has_role(self.firm_a, ROLE_SIGNATORY))

    def test_portal_domain_is_the_rules_set(self):
        seen = set()
        for user in self._roles():
            for model in PORTAL_MODELS:
                Model = self.env[model].with_user(user)
                if not Model.has_access("read"):
                    continue
                by_rules = Model.search([])
                by_domain = Model.search(Model._cluster_get_portal_domain())
                self.assertEqual(
                    sorted(by_domain.ids), sorted(by_rules.ids), f"{user.login} {model}"
                )
                if by_rules:
                    seen.add((user.login, model))
        # the comparison is about real rows: each role reads something of its models
        for login, model in (
            ("por_sig_a", "cluster.agreement"),
            ("por_sig_a", "account.analytic.line"),
            ("por_sig_a", "cluster.expert"),
            ("por_sig_b", "cluster.agreement"),
            ("por_exp_a", "cluster.agreement"),
            ("por_exp_a", "account.analytic.line"),
            ("por_exp_a", "cluster.expert"),
        ):
            self.assertIn((login, model), seen)
