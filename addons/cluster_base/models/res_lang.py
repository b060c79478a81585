# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models

CLUSTER_DEMO_LANG = "sv_SE"


class ResLang(models.Model):
    _inherit = "res.lang"

    @api.model
    def _cluster_demo_language_skipped_users(self):
        refs = ("base.public_user", "base.user_root", "base.default_user")
        return [user.id for user in map(self.env.ref, refs, [False] * len(refs)) if user]

    def _cluster_demo_use_language(self, code=CLUSTER_DEMO_LANG):
        """Demo data only: make ``code`` the language of the association's people.

        Activates the language (English stays installed) and writes it on the contacts of
        every login (admin, demo users, portal logins) and on the member firms and their
        contacts. Called from the demo files (a ``<function>`` in a
        noupdate file runs at install only). The default language of new contacts and of
        anonymous visitors stays as it was: tests and public pages do not change.
        """
        lang = self._activate_lang(code)
        if not lang:
            return False
        Partner = self.env["res.partner"].with_context(active_test=False)
        users = (
            self.env["res.users"]
            .with_context(active_test=False)
            # not the public user, the superuser (OdooBot) nor the template of new users:
            # scheduled actions, new users, tests and server-side rendering keep the
            # database's default language
            .search([("id", "not in", self._cluster_demo_language_skipped_users())])
        )
        firms = Partner.search([("cluster_membership_ids", "!=", False)])
        # not the company's own contact: Odoo formats numbers and dates without a user
        # language (scheduled actions, server-side rendering, tests) in the company's
        partners = users.partner_id | firms | Partner.search([("parent_id", "in", firms.ids)])
        partners.filtered(lambda p: p.lang != code).write({"lang": code})
        return True
