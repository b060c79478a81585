# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Guards in front of stock portal routes our members use (docs/SECURITY-ADVISORIES.md).

Stock ``/my/invoices`` looks its ``sortby`` and ``filterby`` request values up in a dict
without a default: an unknown key is a KeyError, an HTTP 500 with a traceback in the
log. Unknown keys fall back to the page's default here, before the stock handler runs.
"""

from odoo import http

from odoo.addons.account.controllers.portal import PortalAccount

from .portal import ClusterPortal


class ClusterGuardedPortalAccount(PortalAccount):
    @http.route()
    def portal_my_invoices(
        self, page=1, date_begin=None, date_end=None, sortby=None, filterby=None, **kw
    ):
        pick = ClusterPortal._cluster_pick
        sortby = pick(self._get_account_searchbar_sortings(), sortby, None)
        filterby = pick(self._get_account_searchbar_filters(), filterby, None)
        return super().portal_my_invoices(
            page=page,
            date_begin=date_begin,
            date_end=date_end,
            sortby=sortby,
            filterby=filterby,
            **kw,
        )
