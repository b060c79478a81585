# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Helpers for the addons' migration scripts."""


def drop_own_record_rules(cr, module):
    """Delete the record rules ``module`` created, with their external ids.

    Rules are kept in noupdate files (an administrator may tighten them), so an update
    never rewrites them; a version whose rules changed calls this in its pre-migration
    and the update then creates every rule of the module from its current files.
    """
    cr.execute(
        """
        DELETE FROM ir_rule WHERE id IN (
            SELECT res_id FROM ir_model_data WHERE module = %s AND model = 'ir.rule'
        )
        """,
        [module],
    )
    cr.execute("DELETE FROM ir_model_data WHERE module = %s AND model = 'ir.rule'", [module])
