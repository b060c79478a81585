# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""1.2: budgets have versions. The budget lines of each project go into a draft "granted"
version of their project (approve it with the funder's date and reference)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["cluster.budget.version"]._cluster_create_missing_versions()
