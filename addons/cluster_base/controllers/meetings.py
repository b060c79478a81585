# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Approved minutes of general meetings, published to the members.

Members have no access to meetings in the backend: the published list is read with
``sudo()`` after checking that the viewer is a contact of an active member, and only
closed general meetings of the user's company are shown. A meeting that is not
published answers like a missing one.
"""

from odoo import http
from odoo.http import request

from odoo.addons.cluster_base.controllers.directory import ClusterDirectoryPortal
from odoo.addons.cluster_base.models.cluster_meeting_papers import (
    GENERAL_MEETINGS,
    MINUTES_REPORT,
)
from odoo.addons.cluster_base.tools.parse import parse_id


class ClusterMeetingsPortal(ClusterDirectoryPortal):
    def _cluster_published_meeting_domain(self):
        return [
            ("state", "=", "closed"),
            ("meeting_type", "in", GENERAL_MEETINGS),
            ("company_id", "=", request.env.company.id),
        ]

    @http.route(["/my/cluster/meetings"], type="http", auth="user", website=True)
    def portal_cluster_meetings(self, **kw):
        if not self._cluster_active_member_contact():
            return self._cluster_not_found()
        # sudo: members read the approved minutes, not the meeting records
        meetings = (
            request.env["cluster.meeting"]
            .sudo()
            .search(self._cluster_published_meeting_domain(), order="date desc, id desc")
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "cluster_meetings",
                "meetings": [
                    {
                        "id": meeting.id,
                        "name": meeting.name,
                        "date": meeting.date,
                        "type": dict(
                            meeting._fields["meeting_type"]._description_selection(request.env)
                        )[meeting.meeting_type],
                    }
                    for meeting in meetings
                ],
            }
        )
        return request.render("cluster_base.portal_cluster_meetings", values)

    @http.route(
        ["/my/cluster/meetings/<int:meeting_id>/minutes"], type="http", auth="user", website=True
    )
    def portal_cluster_meeting_minutes(self, meeting_id, **kw):
        meeting_id = parse_id(meeting_id)
        if not meeting_id or not self._cluster_active_member_contact():
            return self._cluster_not_found()
        meeting = (
            request.env["cluster.meeting"]
            .sudo()
            .search([("id", "=", meeting_id), *self._cluster_published_meeting_domain()])
        )
        if not meeting:
            return self._cluster_not_found()
        # sudo: the report of a published meeting (checked above); its attachment keeps
        # the approved version
        content, report_type = (
            request.env["ir.actions.report"].sudo()._render_qweb_pdf(MINUTES_REPORT, meeting.ids)
        )
        mimetype = "application/pdf" if report_type == "pdf" else "text/html; charset=utf-8"
        filename = f"{meeting.name}.{report_type}"
        return request.make_response(
            content,
            headers=[
                ("Content-Type", mimetype),
                ("Content-Length", len(content)),
                ("Content-Disposition", http.content_disposition(filename)),
            ],
        )
