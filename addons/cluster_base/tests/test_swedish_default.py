# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import new_test_user, tagged

from .common import ClusterMembershipCommon


@tagged("post_install", "-at_install")
class TestSwedishDefault(ClusterMembershipCommon):
    """The demo's language hook: Swedish for the people, English still there."""

    def test_demo_hook_makes_swedish_the_language(self):
        membership = self._active_membership(self.firm_a)
        contact = self.env["res.partner"].create(
            {"name": "Kontakt Alfa", "parent_id": self.firm_a.id, "lang": "en_US"}
        )
        portal = new_test_user(self.env, login="sv_portal", groups="base.group_portal")
        outsider = self.env["res.partner"].create({"name": "Utomstående", "lang": "en_US"})
        self.assertTrue(self.env["res.lang"]._cluster_demo_use_language("sv_SE"))
        self.assertEqual(self.env["res.lang"]._lang_get("sv_SE").code, "sv_SE")
        self.assertTrue(self.env["res.lang"]._lang_get("en_US"), "English stays installed")
        for partner in (
            membership.partner_id,
            contact,
            portal.partner_id,
            self.env.ref("base.user_admin").partner_id,
        ):
            self.assertEqual(partner.lang, "sv_SE", partner.name)
        # server-side formatting without a user language (crons, reports, tests) follows
        # the company's contact and the superuser: they keep the database's default
        self.assertEqual(self.env.company.partner_id.lang, "en_US")
        self.assertEqual(self.env.ref("base.user_root").partner_id.lang, "en_US")
        self.assertEqual(portal.lang, "sv_SE")
        self.assertEqual(outsider.lang, "en_US", "only the association's people")
        # Swedish formats: dates and amounts as a Swedish reader expects them
        lang = self.env["res.lang"]._lang_get("sv_SE")
        self.assertEqual(lang.date_format, "%Y-%m-%d")
        self.assertEqual(lang.decimal_point, ",")
