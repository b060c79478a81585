# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime, timedelta

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import ClusterCommon


@tagged("post_install", "-at_install")
class TestSignatoryApiKey(ClusterCommon):
    """A signatory's time system keeps its API key a year (configurable), not a day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        firm = cls.env["res.partner"].create({"name": "Nyckelbolaget AB", "is_company": True})
        contact = cls.env["res.partner"].create(
            {
                "name": "Signe Nyckel",
                "parent_id": firm.id,
                "email": "signe@example.com",
                "cluster_is_signatory": True,
            }
        )
        cls.signatory = new_test_user(
            cls.env, login="key_signatory", groups="base.group_portal", partner_id=contact.id
        )
        cls.portal = new_test_user(cls.env, login="key_portal", groups="base.group_portal")
        cls.admin = new_test_user(
            cls.env,
            login="key_admin",
            groups="base.group_system,cluster_base.cluster_base_group_manager",
        )

    def _generate(self, user, days):
        return (
            self.env["res.users.apikeys"]
            .with_user(user)
            ._generate(None, "time system", datetime.now() + timedelta(days=days))
        )

    def test_signatory_key_lasts_a_year_not_more(self):
        self.assertTrue(self.signatory.has_group("cluster_base.cluster_base_group_signatory"))
        self.assertTrue(self._generate(self.signatory, 365))
        with self.assertRaisesRegex(ValidationError, "365"):
            self._generate(self.signatory, 400)
        # a portal login that is no signatory keeps Odoo's one day
        with self.assertRaises(ValidationError):
            self._generate(self.portal, 2)

    def test_duration_is_a_cluster_setting(self):
        Settings = self.env["res.config.settings"].with_user(self.admin)
        settings = Settings.create({})
        self.assertEqual(settings.cluster_signatory_api_key_days, 365)
        settings.cluster_signatory_api_key_days = 500
        settings.execute()
        group = self.env.ref("cluster_base.cluster_base_group_signatory")
        self.assertEqual(group.api_key_duration, 500)
        self.assertTrue(self._generate(self.signatory, 400))
        for days in (0, -5, 5000):
            with self.assertRaisesRegex(ValidationError, "1 to 3650"):
                Settings.create({"cluster_signatory_api_key_days": days}).execute()
        self.assertEqual(group.api_key_duration, 500)
