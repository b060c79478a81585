# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Guards in front of stock ``/my/timesheets`` and ``/my/tasks``
(docs/SECURITY-ADVISORIES.md): an unknown ``sortby``, ``filterby``, ``groupby`` or
``search_in`` was a KeyError (HTTP 500); it falls back to the page's default here."""

from odoo import http

from odoo.addons.cluster_base.controllers.portal import ClusterPortal
from odoo.addons.hr_timesheet.controllers.portal import TimesheetCustomerPortal
from odoo.addons.project.controllers.portal import ProjectCustomerPortal

# the filters stock /my/timesheets builds inline (hr_timesheet/controllers/portal.py)
TIMESHEET_FILTERS = {
    "all", "last_year", "last_quarter", "last_month", "last_week",
    "today", "week", "month", "quarter", "year",
}  # fmt: skip


class ClusterGuardedTimesheetPortal(TimesheetCustomerPortal):
    @http.route()
    def portal_my_timesheets(
        self, page=1, sortby=None, filterby=None, search=None, search_in="all", groupby="none",
        **kw,
    ):  # fmt: skip
        pick = ClusterPortal._cluster_pick
        sortby = pick(self._get_searchbar_sortings(), sortby, None)
        filterby = pick(TIMESHEET_FILTERS, filterby, None)
        groupby = pick(self._get_searchbar_groupby(), groupby, "none")
        search_in = pick(self._get_searchbar_inputs(), search_in, "all")
        return super().portal_my_timesheets(
            page=page,
            sortby=sortby,
            filterby=filterby,
            search=search,
            search_in=search_in,
            groupby=groupby,
            **kw,
        )


class ClusterGuardedTaskPortal(ProjectCustomerPortal):
    @http.route()
    def portal_my_tasks(
        self, page=1, date_begin=None, date_end=None, sortby=None, filterby=None,
        search=None, search_in="name", groupby=None, **kw,
    ):  # fmt: skip
        pick = ClusterPortal._cluster_pick
        sortby = pick(self._task_get_searchbar_sortings(True), sortby, None)
        filterby = pick(self._get_my_tasks_searchbar_filters(), filterby, None)
        groupby = pick(self._task_get_searchbar_groupby(True), groupby, None)
        search_in = pick(self._task_get_searchbar_inputs(True), search_in, "name")
        return super().portal_my_tasks(
            page=page,
            date_begin=date_begin,
            date_end=date_end,
            sortby=sortby,
            filterby=filterby,
            search=search,
            search_in=search_in,
            groupby=groupby,
            **kw,
        )
