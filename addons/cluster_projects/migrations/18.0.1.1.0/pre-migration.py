# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""1.1: portal roles changed the record rules, which live in noupdate files: drop ours so
the update creates them from the new files."""

from odoo.addons.cluster_base.migrations import drop_own_record_rules


def migrate(cr, version):
    if version:
        drop_own_record_rules(cr, "cluster_projects")
