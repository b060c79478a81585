# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""1.2: projects of expert-time agreements are never visible to portal users (a follower
of another firm saw the agreement's hours on stock /my/timesheets). Projects already
shared that way become visible to internal users only; the new global record rules of
cluster_projects and cluster_consulting are created by the update itself (new records
of noupdate files are loaded)."""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            "UPDATE project_project SET privacy_visibility = 'employees' "
            "WHERE privacy_visibility = 'portal' "
            "AND id IN (SELECT project_id FROM cluster_agreement)"
        )
    )
