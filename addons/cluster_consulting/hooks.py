# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.addons.cluster_base.hooks import portal_invoice_rule_domains, set_portal_invoice_rules


def uninstall_hook(env):
    """The settlement field goes away: give cluster_base its portal invoice rules back."""
    set_portal_invoice_rules(
        env, portal_invoice_rule_domains(exclude_fields=("cluster_move_kind",))
    )
