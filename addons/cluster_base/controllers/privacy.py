# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Member portal: a person's own data (GDPR).

Every logged-in portal user sees what the association keeps about them, gives or
withdraws the consent to be listed, downloads their data as JSON and asks to be erased.
Only the user's own contact is ever read or written here (``request.env.user.partner_id``),
under ``sudo()`` for the fields portal users can't write themselves.
"""

import json
import re

from odoo import fields, http
from odoo.http import request

from .portal import ROLE_MEMBER, ClusterPortal


class ClusterPrivacyPortal(ClusterPortal):
    def _cluster_page_roles(self):
        pages = super()._cluster_page_roles()
        pages["privacy"] = {ROLE_MEMBER}
        return pages

    def _cluster_privacy_values(self, message=None):
        partner = request.env.user.partner_id.sudo()
        return {
            "page_name": "cluster_privacy",
            "person": partner,
            "personal_data": partner._cluster_personal_data(),
            "consent_listed": partner.cluster_consent_listed,
            "consent_date": partner.cluster_consent_date,
            "erasure_requested_on": partner.cluster_erasure_requested_on,
            "message": message,
        }

    @http.route(["/my/cluster/privacy"], type="http", auth="user", website=True)
    def portal_cluster_privacy(self, **kw):
        if not self._cluster_allowed("privacy"):
            return self._cluster_not_found()
        values = self._prepare_portal_layout_values()
        values.update(self._cluster_privacy_values())
        return request.render("cluster_base.portal_my_cluster_privacy", values)

    @http.route(
        ["/my/cluster/privacy/consent"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_cluster_privacy_consent(self, consent_listed=None, **kw):
        if not self._cluster_allowed("privacy"):
            return self._cluster_not_found()
        # sudo: the user's own contact only; one boolean, whitelisted
        request.env.user.partner_id.sudo().write({"cluster_consent_listed": consent_listed == "1"})
        return request.redirect("/my/cluster/privacy")

    @http.route(["/my/cluster/privacy/export"], type="http", auth="user", website=True)
    def portal_cluster_privacy_export(self, **kw):
        if not self._cluster_allowed("privacy"):
            return self._cluster_not_found()
        partner = request.env.user.partner_id
        data = {
            "exported_on": fields.Datetime.to_string(fields.Datetime.now()),
            **partner.sudo()._cluster_personal_data(),
        }
        body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        filename = re.sub(r"\W+", "_", partner.name or "data") + "_personal_data.json"
        return request.make_response(
            body,
            headers=[
                ("Content-Type", "application/json; charset=utf-8"),
                ("Content-Disposition", f'attachment; filename="{filename}"'),
            ],
        )

    @http.route(
        ["/my/cluster/privacy/erasure"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_cluster_privacy_erasure(self, **kw):
        if not self._cluster_allowed("privacy"):
            return self._cluster_not_found()
        request.env.user.partner_id._cluster_request_erasure()
        values = self._prepare_portal_layout_values()
        values.update(
            self._cluster_privacy_values(
                message=request.env._(
                    "Your request is recorded. The association erases your data once "
                    "nothing the books must keep depends on it, and tells you."
                )
            )
        )
        return request.render("cluster_base.portal_my_cluster_privacy", values)
