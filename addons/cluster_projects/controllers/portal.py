# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Member portal: the joint projects the user's firm takes part in.

Portal users get no access to ``project.project`` for this: the firm's own
participant rows (``cluster.project.participant``, portal rule on the stored
``partner_id``) are read as the user, and only the projects THOSE rows point at are
read under ``sudo()``, for a few plain fields (name, stage, dates). Nothing is walked
from a sudo'd project (no participants, grants, budget or hours of the project), and
no project-wide total is shown: stored totals on the project include other firms.
"""

from collections import OrderedDict

from odoo import http
from odoo.http import request
from odoo.osv import expression

from odoo.addons.cluster_base.controllers.portal import ROLE_MEMBER, ClusterPortal
from odoo.addons.cluster_base.tools.parse import parse_id

from ..models.project_project import STAGES


class ClusterProjectsPortal(ClusterPortal):
    # ------------------------------------------------------------------ roles
    def _cluster_page_roles(self):
        # every login of the firm reads its joint projects; the money in them (cost
        # share, committed cash, cash received, in-kind value) is the "money" page's
        pages = super()._cluster_page_roles()
        pages["projects"] = {ROLE_MEMBER}
        return pages

    # ------------------------------------------------------------------ helpers
    def _cluster_participations(self, firm):
        """The firm's participant rows in joint projects, read as the user."""
        Participant = request.env["cluster.project.participant"]
        if not Participant.has_access("read"):
            return Participant
        # no dotted path into project.project here: portal users can't search it
        return Participant.search(
            expression.AND(
                [Participant._cluster_get_portal_domain(), [("partner_id", "=", firm.id)]]
            )
        )

    def _cluster_project_ids(self, participations):
        """Ids of the joint projects the firm's OWN participant rows point at.

        sudo: only the ``project_id`` of rows the user was allowed to read, to keep the
        joint ones (portal users have no access to projects).
        """
        projects_sudo = participations.sudo().project_id
        return projects_sudo.filtered("is_joint_project").ids

    def _cluster_project_searchbar_sortings(self):
        return OrderedDict(
            [
                ("name", {"label": request.env._("Name"), "order": "name, id"}),
                (
                    "stage",
                    {
                        "label": request.env._("Stage"),
                        "order": "cluster_stage, name, id",
                    },
                ),
            ]
        )

    def _cluster_project_searchbar_filters(self):
        selection = dict(
            request.env["project.project"]
            ._fields["cluster_stage"]
            ._description_selection(request.env)
        )
        filters = OrderedDict([("all", {"label": request.env._("All"), "domain": []})])
        for key, _label in STAGES:
            filters[key] = {
                "label": selection.get(key, key),
                "domain": [("cluster_stage", "=", key)],
            }
        return filters

    def _cluster_delivered_hours(self, firm, project_ids):
        """{project_id: (hours, value)} of in-kind hours delivered by ``firm`` only.

        sudo: portal users cannot read analytic lines; the explicit domain restricts the
        sums to the firm's own in-kind hours (stored ``cluster_member_id``) on the
        projects its own participant rows point at; other firms' hours never enter.
        """
        if not project_ids:
            return {}
        groups = (
            request.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("cluster_member_id", "=", firm.id),
                    ("cluster_hour_use", "=", "in_kind"),
                    ("project_id", "in", project_ids),
                ],
                ["project_id"],
                ["unit_amount:sum", "cluster_in_kind_value:sum"],
            )
        )
        return {project.id: (hours, value) for project, hours, value in groups}

    # ------------------------------------------------------------ counters/overview
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "cluster_project_count" in counters and self._cluster_allowed("projects"):
            firm = self._cluster_firm()
            values["cluster_project_count"] = len(
                self._cluster_project_ids(self._cluster_participations(firm))
            )
        return values

    def _cluster_overview_values(self, firm):
        values = super()._cluster_overview_values(firm)
        if not self._cluster_allowed("projects"):
            return values
        participations = self._cluster_participations(firm)
        project_ids = self._cluster_project_ids(participations)
        # sudo: the firm's own projects (ids from its own participant rows), name and
        # stage only
        projects_sudo = (
            request.env["project.project"]
            .sudo()
            .search([("id", "in", project_ids)], order="name, id", limit=5)
        )
        values.update(
            {
                "cluster_project_count": len(project_ids),
                "cluster_projects": projects_sudo,
            }
        )
        return values

    # ------------------------------------------------------------------ list
    @http.route(
        ["/my/cluster/projects", "/my/cluster/projects/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_cluster_projects(self, page=1, sortby=None, filterby=None, **kw):
        if not self._cluster_allowed("projects"):
            return self._cluster_not_found()
        firm = self._cluster_firm()
        participations = self._cluster_participations(firm)
        project_ids = self._cluster_project_ids(participations)
        # sudo: only among the firm's own projects (ids from its own participant rows)
        values = self._cluster_list_values(
            request.env["project.project"].sudo(),
            [("id", "in", project_ids)],
            "/my/cluster/projects",
            page,
            sortby,
            filterby,
            self._cluster_project_searchbar_sortings(),
            self._cluster_project_searchbar_filters(),
            "cluster_projects",
        )
        projects_sudo = values["records"]
        # sudo: render the firm's own participant rows (their currency is the project's)
        participation_by_project = {p.project_id.id: p for p in participations.sudo()}
        values.update(
            {
                "firm": firm,
                "projects": projects_sudo,
                "participation_by_project": participation_by_project,
                "delivered": self._cluster_delivered_hours(firm, projects_sudo.ids),
            }
        )
        return request.render("cluster_projects.portal_cluster_projects", values)

    # ------------------------------------------------------------------ detail
    @http.route(
        ["/my/cluster/projects/<int:project_id>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_cluster_project(self, project_id, **kw):
        if not self._cluster_allowed("projects") or parse_id(project_id) is None:
            return self._cluster_not_found()
        firm = self._cluster_firm()
        participation = self._cluster_participations(firm).filtered(
            lambda p: p.project_id.id == project_id
        )
        # a missing project and another firm's project answer the same
        if not participation or project_id not in self._cluster_project_ids(participation):
            return self._cluster_not_found()
        # sudo: the project the firm's own participant row points at; plain fields only
        project_sudo = request.env["project.project"].sudo().browse(project_id)
        # sudo: the activities of that project (portal users cannot read events); the
        # template shows each event's name, type, dates and hours, not its attendees
        events_sudo = (
            request.env["event.event"]
            .sudo()
            .search([("cluster_project_id", "=", project_id)], order="date_begin, id")
        )
        values = self._prepare_portal_layout_values()
        hours, value = self._cluster_delivered_hours(firm, [project_id]).get(
            project_id, (0.0, 0.0)
        )
        values.update(
            {
                "firm": firm,
                "joint_project": project_sudo,
                # sudo: the firm's own row; cash_received sums the firm's own payments
                "participation": participation.sudo(),
                "delivered_hours": hours,
                "delivered_value": value,
                "events": events_sudo,
                "page_name": "cluster_project",
                "show_money": self._cluster_allowed("money"),
            }
        )
        return request.render("cluster_projects.portal_cluster_project", values)
