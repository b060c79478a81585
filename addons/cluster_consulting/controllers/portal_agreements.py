# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Portal pages of expert time, agreements: the agreements a firm lends or buys,
and the lender signatory's answer to a request.

Roles, firm domains and the list helpers are ``ClusterConsultingPortal``'s
(``portal.py``); the rules of ``portal.py``'s docstring hold here too.
"""

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from .portal import ClusterConsultingPortal


class ClusterAgreementPortal(ClusterConsultingPortal):
    def _cluster_agreement_sortings(self):
        _ = request.env._
        return {
            "date": {"label": _("Newest"), "order": "date_from desc, id desc"},
            "name": {"label": _("Number"), "order": "name desc, id desc"},
            "state": {"label": _("Status"), "order": "state, id desc"},
        }

    def _cluster_agreement_filters(self):
        _ = request.env._
        return {
            "all": {"label": _("All"), "domain": []},
            "requested": {
                "label": _("Waiting for approval"),
                "domain": [("state", "=", "requested")],
            },
            "active": {"label": _("Active"), "domain": [("state", "=", "active")]},
            "closed": {
                "label": _("Closed"),
                "domain": [("state", "in", ("closed", "declined", "cancelled"))],
            },
        }

    @http.route(
        ["/my/cluster/agreements", "/my/cluster/agreements/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_cluster_agreements(self, page=1, sortby=None, filterby=None, **kw):
        if not self._cluster_allowed("agreements"):
            return self._cluster_not_found()
        values = self._cluster_list_values(
            "cluster.agreement",
            self._cluster_agreement_domain(),
            "/my/cluster/agreements",
            page,
            sortby,
            filterby,
            self._cluster_agreement_sortings(),
            self._cluster_agreement_filters(),
            "cluster_agreement",
        )
        # sudo: only to render the names of the agreements found as the user (expert,
        # project and firms may be outside the user's read rights).
        agreements_sudo = values["records"].sudo()
        # the firms' names in one read, whichever firms lend or buy on the page
        (agreements_sudo.lender_id | agreements_sudo.buyer_id).fetch(["name"])
        values["agreements"] = agreements_sudo
        return request.render("cluster_consulting.portal_my_cluster_agreements", values)

    def _cluster_agreement_page(self, agreement, error=None, success=None):
        values = self._prepare_portal_layout_values()
        firm = self._cluster_firm()
        # sudo: the agreement was found as the user; its own names are shown.
        agreement_sudo = agreement.sudo()
        values.update(
            {
                "page_name": "cluster_agreement",
                "agreement": agreement_sudo,
                # Figures computed as the user: only hours the user may read count.
                "figures": agreement,
                "show_money": self._cluster_allowed("money"),
                "can_answer": self._cluster_allowed("agreement_answer")
                and agreement_sudo.lender_id == firm
                and agreement_sudo.state == "requested",
                "error": error,
                "success": success,
            }
        )
        return request.render("cluster_consulting.portal_my_cluster_agreement", values)

    @http.route(
        ["/my/cluster/agreements/<int:agreement_id>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_cluster_agreement(self, agreement_id, **kw):
        if not self._cluster_allowed("agreements"):
            return self._cluster_not_found()
        try:
            agreement = self._cluster_get(
                "cluster.agreement", agreement_id, self._cluster_agreement_domain()
            )
        except (AccessError, MissingError):
            return request.redirect("/my/cluster/agreements")
        success = {
            "approved": request.env._("The request is approved."),
            "declined": request.env._("The request is declined."),
        }.get(kw.get("done"))
        return self._cluster_agreement_page(agreement, success=success)

    @http.route(
        ["/my/cluster/agreements/<int:agreement_id>/answer"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_cluster_agreement_answer(self, agreement_id, answer=None, comment=None, **kw):
        if not self._cluster_allowed("agreement_answer"):
            return self._cluster_not_found()
        try:
            agreement = self._cluster_get(
                "cluster.agreement", agreement_id, self._cluster_agreement_domain()
            )
        except (AccessError, MissingError):
            return request.redirect("/my/cluster/agreements")
        actions = {
            "approve": ("action_lender_approve", "approved"),
            "decline": ("action_lender_decline", "declined"),
        }
        if answer not in actions:
            return self._cluster_agreement_page(
                agreement, error=request.env._("Choose to approve or decline.")
            )
        comment = (comment or "").strip()[:2000]
        method, done = actions[answer]
        try:
            with request.env.cr.savepoint():
                # The model's action checks the signatory and the state itself.
                getattr(agreement, method)()
                if comment:
                    # sudo: a portal user cannot post on the agreement directly; the
                    # signatory's answer was accepted by the action above.
                    agreement.sudo().message_post(
                        body=comment,
                        author_id=request.env.user.partner_id.id,
                        message_type="comment",
                        subtype_xmlid="mail.mt_comment",
                    )
        except (AccessError, UserError, ValidationError) as error:
            return self._cluster_agreement_page(agreement, error=str(error))
        return request.redirect(f"/my/cluster/agreements/{agreement.id}?done={done}")
