# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""1.1: portal roles. The signatory group moves here from cluster_consulting (the same
group record, so every signatory keeps it), and the record rules changed: they live in
noupdate files, so ours are dropped and the update creates them from the new files."""

from odoo.addons.cluster_base.migrations import drop_own_record_rules


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE ir_model_data
           SET module = 'cluster_base', name = 'cluster_base_group_signatory'
         WHERE module = 'cluster_consulting' AND name = 'cluster_consulting_group_signatory'
           AND NOT EXISTS (
               SELECT 1 FROM ir_model_data
                WHERE module = 'cluster_base' AND name = 'cluster_base_group_signatory'
           )
        """
    )
    drop_own_record_rules(cr, "cluster_base")
