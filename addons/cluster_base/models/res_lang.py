# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models

CLUSTER_DEMO_LANG = "sv_SE"


class ResLang(models.Model):
    _inherit = "res.lang"

    @api.model
    def _cluster_demo_use_language(self, code=CLUSTER_DEMO_LANG):
        """Demo data only: make ``code`` the language of the association's people.

        Activates the language (English stays installed) and writes it on the contacts of
        every login (admin, demo users, portal logins), on the company and on the member
        firms and their contacts. Called from the demo files (a ``<function>`` in a
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
            .search([("id", "!=", self.env.ref("base.public_user").id)])
        )
        firms = Partner.search([("cluster_membership_ids", "!=", False)])
        partners = (
            users.partner_id
            | self.env["res.company"].search([]).partner_id
            | firms
            | Partner.search([("parent_id", "in", firms.ids)])
        )
        partners.filtered(lambda p: p.lang != code).write({"lang": code})
        return True
