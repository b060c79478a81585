# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Member portal of the association: the framework and the membership pages.

Every page shows the data of ONE firm: the commercial partner of the logged-in
user. Records are searched as the user (portal record rules on stored firm fields
decide) and also filtered by that firm explicitly, so an internal user opening
/my/cluster sees their own company's data only, like a portal user. ``sudo()`` is used
only on records the user was already allowed to read, to render fields of related
configuration records (e.g. the membership type's name), never to walk to other
firms' rows.

Other addons extend the pages through:

* ``_cluster_overview_values(firm)``: dict of values for ``/my/cluster``; extend with
  ``values = super()._cluster_overview_values(firm)`` then ``values.update(...)``;
* the template ``cluster_base.portal_cluster_overview`` and its anchor
  ``<div id="cluster_overview_sections"/>`` to add sections;
* ``_prepare_home_portal_values(counters)`` for the counters on ``/my`` (template
  ``cluster_base.portal_my_home_cluster``, anchor
  ``<div id="portal_cluster_category"/>`` for more tiles);
* ``_cluster_firm()``, ``_cluster_pick(options, key, default)``,
  ``_cluster_pager(...)``, ``_cluster_list_values(...)`` (search, capped count, pager,
  sort and filter of a list page), ``_cluster_get(model, id, domain)`` and
  ``_cluster_not_found()`` for list and detail pages with the same look and the same
  answer for a missing or a forbidden record;
* breadcrumbs: inherit ``cluster_base.portal_breadcrumbs_cluster``; every page sets a
  ``page_name`` starting with ``cluster_`` so the "Cluster" crumb is shown.

Roles: what a logged-in user may see of their firm is decided in ONE place, the
model's ``res.users._cluster_get_roles()`` ({firm id: set of ``ROLE_*``}; other addons
add roles, e.g. the expert role of cluster_consulting), read once per request by
``_cluster_roles()`` against ``_cluster_page_roles()`` (page key -> roles
that may open it; other addons add their pages). Every page, tile and counter asks
``_cluster_allowed(page)``; a page the user's roles don't allow answers like a missing
record. The record rules enforce the same split on the data (the signatory group
``cluster_base.cluster_base_group_signatory``), so JSON-RPC gives nothing more.
"""

from odoo import http
from odoo.exceptions import MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

# Roles and the signatory group are decided by res.users._cluster_get_roles; re-exported
# here for the controllers and tests that import them from the portal.
from ..models.res_users import (  # noqa: F401
    ROLE_EXPERT,
    ROLE_MEMBER,
    ROLE_SIGNATORY,
    SIGNATORY_GROUP,
)
from ..tools.parse import parse_id

FEE_KINDS = ("fee", "contribution")


class ClusterPortal(CustomerPortal):
    # ------------------------------------------------------------------ roles
    def _cluster_roles(self):
        """The roles of the logged-in user towards their firm: a frozenset of ROLE_*.

        The one place that decides; extend with ``super()`` to add a role. Computed
        once per request and user.
        """
        user = request.env.user
        cached = getattr(request, "_cluster_roles_cache", None)
        if cached and cached[0] == user.id:
            return cached[1]
        roles = frozenset(self._cluster_compute_roles(user))
        request._cluster_roles_cache = (user.id, roles)
        return roles

    def _cluster_compute_roles(self, user):
        """Set of roles of ``user`` on the portal: the model's roles towards the user's
        own firm (``res.users._cluster_get_roles``); internal users are members only
        there (they work in the back office)."""
        roles = user._cluster_get_roles().get(user.commercial_partner_id.id)
        if not roles:
            return set()
        return set(roles) if user.share else {ROLE_MEMBER}

    def _cluster_page_roles(self):
        """Page key -> roles that may open it; other addons add their pages."""
        return {
            "overview": {ROLE_MEMBER},
            "money": {ROLE_SIGNATORY},  # fees, contribution, open invoices, cash
            "membership": {ROLE_SIGNATORY},
        }

    def _cluster_allowed(self, page):
        return bool(self._cluster_page_roles().get(page, set()) & self._cluster_roles())

    def _cluster_allowed_pages(self):
        roles = self._cluster_roles()
        return {page for page, allowed in self._cluster_page_roles().items() if allowed & roles}

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        # for the /my tiles and the overview: which cluster pages this user may open
        values["cluster_pages"] = self._cluster_allowed_pages()
        return values

    # ------------------------------------------------------------------ helpers
    def _cluster_firm(self):
        """The firm the logged-in user acts for (its commercial partner)."""
        return request.env.user.commercial_partner_id

    def _cluster_not_found(self):
        """The one answer for a record that is missing OR belongs to another firm."""
        return request.redirect("/my")

    @staticmethod
    def _cluster_pick(options, key, default):
        """Key of ``options`` chosen by a request value, else ``default``.

        Request values are never used to index a dict directly: an unknown sort or
        filter falls back to the default instead of raising a KeyError (a 500).
        """
        return key if isinstance(key, str) and key in options else default

    def _cluster_pager(self, url, total, page, url_args):
        try:
            page = max(int(page), 1)
        except (TypeError, ValueError):
            page = 1
        return portal_pager(
            url=url,
            url_args=url_args,
            total=total,
            page=page,
            step=self._items_per_page,
        )

    def _cluster_list_values(
        self, model, domain, url, page, sortby, filterby, sortings, filters, page_name
    ):
        """Values of a list page: search and page ``model`` (a model name, searched as
        the user, or a recordset whose environment the caller chose) in ``domain``, with
        the capped count; sort and filter keys looked up with defaults (the first key).

        The records are in ``values["records"]``.
        """
        Model = request.env[model] if isinstance(model, str) else model
        sortby = self._cluster_pick(sortings, sortby, next(iter(sortings)))
        filterby = self._cluster_pick(filters, filterby, next(iter(filters)))
        domain = domain + filters[filterby]["domain"]
        total = Model.search_count(domain, limit=self._cluster_count_limit)
        pager = self._cluster_pager(url, total, page, {"sortby": sortby, "filterby": filterby})
        records = Model.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": page_name,
                "pager": pager,
                "default_url": url,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
                "records": records,
                "show_money": self._cluster_allowed("money"),
            }
        )
        return values

    def _cluster_get(self, model, record_id, domain):
        """The record of ``model`` as the user if it is in ``domain``; else MissingError
        (the same answer for a record of another firm and a missing id)."""
        record_id = parse_id(record_id)
        record = record_id and request.env[model].search(
            domain + [("id", "=", record_id)], limit=1
        )
        if not record:
            raise MissingError(request.env._("This document does not exist."))
        return record

    def _cluster_membership_domain(self, firm):
        """The model's portal domain (the record rule's set), on ``firm``."""
        return [
            *request.env["cluster.membership"]._cluster_get_portal_domain(),
            ("partner_id", "=", firm.id),
        ]

    def _cluster_invoice_domain(self, firm):
        """The firm's own cluster invoices (fees and contributions), read as the user.

        The portal rule on account.move (narrowed by cluster_base to the commercial
        partner) applies too; the explicit firm condition keeps internal users to their
        own firm on these pages.
        """
        return [
            ("commercial_partner_id", "=", firm.id),
            ("cluster_move_kind", "in", FEE_KINDS),
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("state", "=", "posted"),
        ]

    # Lists and counters count at most this many rows (like the web client's "10000+"):
    # a firm with years of hours would otherwise pay a full count of its history on
    # every page (measured: 0.26 s for 136,000 lines) for a pager nobody walks to the end.
    _cluster_count_limit = 10_000

    def _cluster_count(self, model, domain):
        """Rows of ``model`` in ``domain`` searched as the user, up to the limit; 0 without
        read access."""
        Model = request.env[model]
        if not Model.has_access("read"):
            return 0
        return Model.search_count(domain, limit=self._cluster_count_limit)

    def _cluster_can_read(self, model):
        return request.env[model].has_access("read")

    # ------------------------------------------------------------------ /my counters
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "cluster_membership_count" in counters:
            values["cluster_membership_count"] = (
                self._cluster_count(
                    "cluster.membership", self._cluster_membership_domain(self._cluster_firm())
                )
                if self._cluster_allowed("membership")
                else 0
            )
        return values

    # ------------------------------------------------------------------ overview
    def _cluster_overview_values(self, firm):
        """Values of the firm's overview page; other addons extend the dict.

        Everything is read as the user (record rules apply) and filtered by ``firm``.
        """
        Membership = request.env["cluster.membership"]
        memberships = Membership.browse()
        money = self._cluster_allowed("money")
        if self._cluster_allowed("membership") and Membership.has_access("read"):
            memberships = Membership.search(
                self._cluster_membership_domain(firm),
                order="is_open desc, id desc",
                limit=1,
            )
        open_fees = 0.0
        open_fee_count = 0
        Move = request.env["account.move"]
        if money and Move.has_access("read"):
            groups = Move._read_group(
                [
                    *self._cluster_invoice_domain(firm),
                    ("move_type", "=", "out_invoice"),
                    ("payment_state", "in", ("not_paid", "partial")),
                ],
                [],
                ["amount_residual_signed:sum", "__count"],
            )
            open_fees, open_fee_count = groups[0] if groups else (0.0, 0)
        # sudo: only to render the type name and amounts of the membership the user was
        # just allowed to read (portal users have no access to membership types).
        membership_sudo = memberships.sudo()
        return {
            "firm": firm,
            "membership": membership_sudo,
            # without the membership role: the firm's state in the register only
            # (a stored field of the user's own commercial partner)
            "firm_member_state": firm.cluster_member_state,
            "show_money": money,
            "open_fees": open_fees or 0.0,
            "open_fee_count": open_fee_count,
            "currency": membership_sudo.currency_id or request.env.company.currency_id,
        }

    @http.route(["/my/cluster"], type="http", auth="user", website=True, readonly=True)
    def portal_cluster_overview(self, **kw):
        firm = self._cluster_firm()
        values = self._prepare_portal_layout_values()
        values.update(self._cluster_overview_values(firm))
        values["page_name"] = "cluster_overview"
        return request.render("cluster_base.portal_cluster_overview", values)

    # ------------------------------------------------------------------ membership
    def _cluster_membership_values(self, firm):
        Membership = request.env["cluster.membership"]
        memberships = Membership.browse()
        if Membership.has_access("read"):
            # current first (the open one), then the history, newest first
            memberships = Membership.search(
                self._cluster_membership_domain(firm),
                order="is_open desc, date_admission desc, date_application desc, " "id desc",
            )
        Move = request.env["account.move"]
        invoices = Move.browse()
        if memberships and Move.has_access("read"):
            invoices = Move.search(
                [
                    *self._cluster_invoice_domain(firm),
                    ("cluster_membership_id", "in", memberships.ids),
                ],
                order="invoice_date desc, id desc",
            )
        invoices_by_membership = {}
        for invoice in invoices:
            invoices_by_membership.setdefault(invoice.cluster_membership_id.id, []).append(invoice)
        # sudo: render the memberships the user was allowed to read (their type is a
        # configuration record portal users cannot read); invoices stay as the user.
        return {
            "firm": firm,
            "memberships": memberships.sudo(),
            "invoices_by_membership": invoices_by_membership,
            "intent_date": firm.sudo().cluster_intent_date,
            "currency": request.env.company.currency_id,
        }

    @http.route(["/my/cluster/membership"], type="http", auth="user", website=True, readonly=True)
    def portal_cluster_membership(self, **kw):
        if not self._cluster_allowed("membership"):
            return self._cluster_not_found()
        firm = self._cluster_firm()
        values = self._prepare_portal_layout_values()
        values.update(self._cluster_membership_values(firm))
        values["page_name"] = "cluster_membership"
        return request.render("cluster_base.portal_cluster_membership", values)
