# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Member portal: the state aid (de minimis) the signatory's firm received.

The firm's granted aid and its own declarations of other aid are searched as the user
(record rules on the stored ``partner_id``, signatory group only); the certificate PDF
is rendered under ``sudo()`` only for an aid the user was allowed to read. The
signatory declares aid from other grantors here (CSRF-protected form, whitelisted
fields, strictly parsed numbers and dates).
"""

import datetime
import math
import re

from odoo import http
from odoo.exceptions import AccessError, ValidationError
from odoo.http import request

from odoo.addons.cluster_base.controllers.portal import ROLE_SIGNATORY

from .portal import ClusterProjectsPortal

PG_INT_MAX = 2**31 - 1
_NUMBER = re.compile(r"^[0-9]{1,12}([.,][0-9]{1,2})?$")


class ClusterStateAidPortal(ClusterProjectsPortal):
    def _cluster_page_roles(self):
        pages = super()._cluster_page_roles()
        pages["state_aid"] = {ROLE_SIGNATORY}
        return pages

    def _cluster_state_aid_values(self, firm, error=None, form=None):
        Aid = request.env["cluster.state.aid"]
        Declaration = request.env["cluster.state.aid.declaration"]
        aids = Aid.browse()
        declarations = Declaration.browse()
        if Aid.has_access("read"):
            aids = Aid.search([("partner_id", "=", firm.id), ("state", "=", "granted")])
        if Declaration.has_access("read"):
            declarations = Declaration.search([("partner_id", "=", firm.id)])
        today = datetime.date.today()
        # sudo: the firm's own single-undertaking total, one figure (the three-year sum
        # of the firm, its parent and subsidiaries), no other firm's rows
        total = firm.sudo()._cluster_de_minimis_total_eur(today)
        company = request.env.company
        return {
            "firm": firm,
            "aids": aids,
            "declarations": declarations,
            "de_minimis_total": total,
            "de_minimis_ceiling": company.sudo().cluster_de_minimis_ceiling_eur,
            "currency": company.currency_id,
            "eur_currency": Aid._eur_currency(),
            "error": error,
            "form": form or {},
            "page_name": "cluster_state_aid",
        }

    @http.route(["/my/cluster/state-aid"], type="http", auth="user", website=True)
    def portal_cluster_state_aid(self, **kw):
        if not self._cluster_allowed("state_aid"):
            return self._cluster_not_found()
        values = self._prepare_portal_layout_values()
        values.update(self._cluster_state_aid_values(self._cluster_firm()))
        return request.render("cluster_projects.portal_my_cluster_state_aid", values)

    @http.route(["/my/cluster/state-aid/<int:aid_id>/pdf"], type="http", auth="user", website=True)
    def portal_cluster_state_aid_pdf(self, aid_id, **kw):
        if not self._cluster_allowed("state_aid") or not 0 < aid_id <= PG_INT_MAX:
            return self._cluster_not_found()
        aid = request.env["cluster.state.aid"].search(
            [
                ("id", "=", aid_id),
                ("partner_id", "=", self._cluster_firm().id),
                ("state", "=", "granted"),
            ],
            limit=1,
        )
        if not aid:
            return self._cluster_not_found()
        # sudo: render the certificate of an aid the user was just allowed to read
        pdf, _type = (
            request.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf("cluster_projects.action_report_state_aid_certificate", aid.ids)
        )
        filename = re.sub(r"\W+", "_", f"de_minimis_{aid.name}")
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", f'inline; filename="{filename}.pdf"'),
            ],
        )

    def _cluster_parse_declaration(self, post):
        """Whitelisted fields of a declaration, parsed strictly; raises ValidationError."""
        _ = request.env._
        grantor = (post.get("grantor") or "").strip()
        if not grantor or len(grantor) > 200:
            raise ValidationError(_("Name the grantor of the aid (at most 200 characters)."))
        try:
            date = datetime.date.fromisoformat((post.get("date_granted") or "").strip())
        except ValueError:
            raise ValidationError(_("Give the date the aid was granted as YYYY-MM-DD.")) from None
        if date.year < 1990:
            raise ValidationError(_("Give the date the aid was granted as YYYY-MM-DD."))
        raw = (post.get("amount_eur") or "").strip().replace(" ", "")
        if not _NUMBER.match(raw):
            raise ValidationError(_("Give the value in EUR as a number, e.g. 12500 or 12500,50."))
        amount = float(raw.replace(",", "."))
        if not math.isfinite(amount) or amount <= 0:
            raise ValidationError(_("The value of declared aid must be positive."))
        note = (post.get("note") or "").strip()[:2000]
        return {"grantor": grantor, "date_granted": date, "amount_eur": amount, "note": note}

    @http.route(
        ["/my/cluster/state-aid/declare"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_cluster_state_aid_declare(self, **post):
        if not self._cluster_allowed("state_aid"):
            return self._cluster_not_found()
        firm = self._cluster_firm()
        form = {k: post.get(k, "") for k in ("grantor", "date_granted", "amount_eur", "note")}
        try:
            vals = self._cluster_parse_declaration(post)
            with request.env.cr.savepoint():
                # as the user: the ACL and the record rule keep it to the own firm
                request.env["cluster.state.aid.declaration"].create(
                    {**vals, "partner_id": firm.id}
                )
        except (ValidationError, AccessError) as error:
            values = self._prepare_portal_layout_values()
            values.update(self._cluster_state_aid_values(firm, error=str(error), form=form))
            return request.render("cluster_projects.portal_my_cluster_state_aid", values)
        return request.redirect("/my/cluster/state-aid")
