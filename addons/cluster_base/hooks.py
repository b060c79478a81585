# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

_MOVE_TYPES = "('out_invoice', 'out_refund', 'in_invoice', 'in_refund')"


def uninstall_hook(env):
    """Give `account` its follower-based portal invoice rules back."""
    rules = {
        "account.account_invoice_rule_portal": (
            "[('state', 'not in', ('cancel', 'draft')), "
            f"('move_type', 'in', {_MOVE_TYPES}), "
            "('message_partner_ids', 'child_of', [user.commercial_partner_id.id])]"
        ),
        "account.account_invoice_line_rule_portal": (
            "[('parent_state', 'not in', ('cancel', 'draft')), "
            f"('move_id.move_type', 'in', {_MOVE_TYPES}), "
            "('move_id.message_partner_ids', 'child_of', [user.commercial_partner_id.id])]"
        ),
    }
    for xmlid, domain in rules.items():
        rule = env.ref(xmlid, raise_if_not_found=False)
        if rule:
            rule.domain_force = domain
