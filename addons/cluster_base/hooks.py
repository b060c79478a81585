# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

_MOVE_TYPES = "('out_invoice', 'out_refund', 'in_invoice', 'in_refund')"
INVOICE_RULE = "account.account_invoice_rule_portal"
INVOICE_LINE_RULE = "account.account_invoice_line_rule_portal"


def portal_invoice_rule_domains(firm=True, exclude_fields=()):
    """Domains of the stock portal rules on invoices and their lines.

    ``firm=False`` gives Odoo's own follower-based domains back; with ``firm`` the
    invoice's stored commercial partner decides, and every field of ``exclude_fields``
    (a cluster document marker) must be empty: those documents are for the firm's
    signatory only (see security/account_move_security.xml).
    """
    if not firm:
        move = "('message_partner_ids', 'child_of', [user.commercial_partner_id.id])"
        line = "('move_id.message_partner_ids', 'child_of', [user.commercial_partner_id.id])"
    else:
        move = ", ".join(
            ["('commercial_partner_id', '=', user.commercial_partner_id.id)"]
            + [f"('{name}', '=', False)" for name in exclude_fields]
        )
        line = ", ".join(
            ["('move_id.commercial_partner_id', '=', user.commercial_partner_id.id)"]
            + [f"('move_id.{name}', '=', False)" for name in exclude_fields]
        )
    return {
        INVOICE_RULE: (
            "[('state', 'not in', ('cancel', 'draft')), "
            f"('move_type', 'in', {_MOVE_TYPES}), {move}]"
        ),
        INVOICE_LINE_RULE: (
            "[('parent_state', 'not in', ('cancel', 'draft')), "
            f"('move_id.move_type', 'in', {_MOVE_TYPES}), {line}]"
        ),
    }


def set_portal_invoice_rules(env, domains):
    for xmlid, domain in domains.items():
        rule = env.ref(xmlid, raise_if_not_found=False)
        if rule:
            rule.domain_force = domain


def uninstall_hook(env):
    """Give `account` its follower-based portal invoice rules back."""
    set_portal_invoice_rules(env, portal_invoice_rule_domains(firm=False))
