# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The members' directory: member firms learn each other's business logic.

Other firms' data is read with ``sudo()`` (no member may read another firm's record), so
the page is built from plain dicts of WHITELISTED fields of opted-in firms with an active
membership, after checking that the viewer's own firm is an active member. Templates
never get a sudo'd record. cluster_consulting adds the experts a firm lists as available
through ``_cluster_directory_entries``.
"""

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request

from odoo.addons.cluster_base.controllers.portal import (
    ROLE_MEMBER,
    ROLE_SIGNATORY,
    ClusterPortal,
)
from odoo.addons.cluster_base.models.res_partner_directory import (
    DIRECTORY_TEXT_FIELDS,
    DIRECTORY_TEXT_LIMIT,
)
from odoo.addons.cluster_base.tools.parse import parse_id

DIRECTORY_FORM_FIELDS = frozenset(
    {"csrf_token", "opt_in", "show_contact", "area_ids", *DIRECTORY_TEXT_FIELDS}
)


class ClusterDirectoryPortal(ClusterPortal):
    def _cluster_page_roles(self):
        roles = super()._cluster_page_roles()
        roles["directory"] = {ROLE_MEMBER}
        roles["directory_edit"] = {ROLE_SIGNATORY}
        return roles

    def _cluster_active_member_contact(self):
        """A logged-in contact of an active member firm (directory, published minutes)."""
        firm = self._cluster_firm()
        return (
            self._cluster_allowed("directory")
            and firm.is_company
            and firm._cluster_is_active_member()
        )

    def _cluster_directory_contact(self, firm_sudo):
        signatory = firm_sudo.child_ids.filtered(lambda c: c.cluster_is_signatory and c.active)[:1]
        if not signatory:
            return {}
        return {
            "name": signatory.name,
            "email": signatory.email or "",
            "phone": signatory.phone or "",
        }

    def _cluster_directory_entry(self, firm_sudo):
        """The shared profile of one listed firm: whitelisted values only."""
        entry = {
            "id": firm_sudo.id,
            "name": firm_sudo.name,
            "city": firm_sudo.city or "",
            # only a web address becomes a link (never a javascript: or data: URL)
            "website": (
                firm_sudo.website
                if (firm_sudo.website or "").lower().startswith(("http://", "https://"))
                else ""
            ),
            "areas": firm_sudo.cluster_business_area_ids.mapped("name"),
            "contact": (
                self._cluster_directory_contact(firm_sudo)
                if firm_sudo.cluster_directory_show_contact
                else {}
            ),
            "experts": [],
        }
        for name in DIRECTORY_TEXT_FIELDS:
            entry[name] = firm_sudo[name] or ""
        return entry

    def _cluster_directory_entries(self):
        # sudo: other firms' profiles; only the whitelisted values leave this method
        firms_sudo = (
            request.env["res.partner"]
            .sudo()
            .search(request.env["res.partner"]._cluster_directory_domain(), order="name, id")
        )
        return [self._cluster_directory_entry(firm) for firm in firms_sudo]

    def _cluster_directory_values(self, error=None, form=None):
        firm = self._cluster_firm()
        can_edit = self._cluster_allowed("directory_edit")
        values = self._prepare_portal_layout_values()
        firm_sudo = firm.sudo()
        values.update(
            {
                "page_name": "cluster_members",
                "entries": self._cluster_directory_entries(),
                "firm": firm,
                "can_edit": can_edit,
                "error": error,
                "form": form,
                "labels": {
                    name: firm_sudo._fields[name].get_description(request.env)["string"]
                    for name in DIRECTORY_TEXT_FIELDS
                },
            }
        )
        if can_edit:
            values.update(
                {
                    "own": {name: firm_sudo[name] or "" for name in DIRECTORY_TEXT_FIELDS},
                    "own_opt_in": firm_sudo.cluster_directory_opt_in,
                    "own_show_contact": firm_sudo.cluster_directory_show_contact,
                    "own_area_ids": firm_sudo.cluster_business_area_ids.ids,
                    # business areas are configuration: names only
                    "areas": request.env["cluster.business.area"].sudo().search([]),
                    "text_limit": DIRECTORY_TEXT_LIMIT,
                }
            )
            if form:
                # a refused form comes back with what the signatory typed
                values["own"] = {name: form.get(name, "") for name in DIRECTORY_TEXT_FIELDS}
        return values

    @http.route(["/my/cluster/members"], type="http", auth="user", website=True)
    def portal_cluster_members(self, **kw):
        if not self._cluster_active_member_contact():
            return self._cluster_not_found()
        values = self._cluster_directory_values()
        values["saved"] = kw.get("saved") == "1"
        return request.render("cluster_base.portal_cluster_members", values)

    def _cluster_directory_parse(self, post):
        """Whitelisted values of the profile form; unknown names are refused."""
        unknown = set(post) - DIRECTORY_FORM_FIELDS
        if unknown:
            raise ValidationError(request.env._("The form holds fields it may not change."))
        vals = {
            "cluster_directory_opt_in": post.get("opt_in") == "on",
            "cluster_directory_show_contact": post.get("show_contact") == "on",
        }
        for name in DIRECTORY_TEXT_FIELDS:
            text = (post.get(name) or "").strip()
            if len(text) > DIRECTORY_TEXT_LIMIT:
                raise ValidationError(
                    request.env._(
                        "A text of the profile is longer than %(limit)s characters.",
                        limit=DIRECTORY_TEXT_LIMIT,
                    )
                )
            vals[name] = text
        raw_ids = request.httprequest.form.getlist("area_ids")
        area_ids = {parse_id(area) for area in raw_ids}
        Area = request.env["cluster.business.area"].sudo()
        if None in area_ids or len(Area.browse(area_ids).exists()) != len(area_ids):
            raise ValidationError(request.env._("Choose business areas from the list."))
        vals["cluster_business_area_ids"] = [(6, 0, sorted(area_ids))]
        return vals

    @http.route(
        ["/my/cluster/members/profile"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_cluster_members_profile(self, **post):
        # CSRF is checked by the framework (type http, POST)
        if not (self._cluster_active_member_contact() and self._cluster_allowed("directory_edit")):
            return self._cluster_not_found()
        try:
            vals = self._cluster_directory_parse(post)
            # sudo: the signatory edits its own firm's directory profile (whitelisted
            # fields, parsed above); portal users have no write access on partners.
            with request.env.cr.savepoint():
                self._cluster_firm().sudo().write(vals)
        except ValidationError as error:
            values = self._cluster_directory_values(error=error.args[0], form=post)
            return request.render("cluster_base.portal_cluster_members", values)
        return request.redirect("/my/cluster/members?saved=1")
