# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""1.2: the project stage is required in Python for joint projects only, so PostgreSQL no
longer refuses a project inserted without this addon's defaults (Odoo's own apps loaded
before it, their tests). Dropped before the update, so nothing in it depends on the ORM
noticing that the field stopped being required."""

from odoo.tools import sql


def migrate(cr, version):
    if version and sql.column_exists(cr, "project_project", "cluster_stage"):
        sql.drop_not_null(cr, "project_project", "cluster_stage")
