# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The signatory group's API key duration (set at install by a noupdate function):
existing databases get the one-year default unless a duration was chosen already."""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """
            UPDATE res_groups SET api_key_duration = 365
             WHERE id = (SELECT res_id FROM ir_model_data
                          WHERE module = 'cluster_base'
                            AND name = 'cluster_base_group_signatory')
               AND COALESCE(api_key_duration, 0) = 0
            """
        )
    )
