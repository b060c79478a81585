"""Every class of risk of shared/SECURITY.md has a test naming it.

``CLASSES`` names each class of SECURITY.md (its wording shortened) and the tests that
prove it, as ``path::Class.test`` (or ``path::test`` for module-level pytest tests). The
check parses the test files, so a renamed or deleted test breaks it; the tests written
for a class that no older test covered say so in their docstring ("SECURITY.md class
...").
"""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
C = "addons/cluster_consulting/tests/"
P = "addons/cluster_projects/tests/"
B = "addons/cluster_base/tests/"

CLASSES = {
    # Access layers, and their traps
    "ACL rows with an empty group apply to portal and public users": [
        "tests/test_repo.py::test_no_access_row_without_group",
    ],
    "every model a portal user reads has a portal rule on the firm": [
        f"{C}test_portal_roles.py::TestPortalRoles.test_rpc_every_model_as_expert_and_plain_contact",
        f"{B}test_security.py::TestPortalAccess.test_portal_sees_own_firm_only",
    ],
    "followers never decide which firm sees what (stock portal rules)": [
        f"{B}test_security.py::TestPortalAccess.test_portal_invoices_by_firm_not_by_followers",
        f"{C}test_portal_stock_sharing.py::TestPortalStockSharing.test_other_firm_sees_nothing_on_stock_pages",
    ],
    "all member firms in one company: multi-company rules separate nothing": [
        f"{C}test_portal_isolation.py::TestPortalIsolation.test_rpc_signatory_b",
    ],
    "sudo() walks every firm's rows; stored computes run as superuser": [
        f"{P}test_portal.py::TestPortalProjects.test_detail_own_part_only",
        f"{P}test_portal.py::TestPortalProjects.test_rpc_participants_own_firm_only",
    ],
    "context keys come from the caller over RPC": [
        f"{C}test_security_classes.py::TestSecurityClasses.test_rpc_context_keys_switch_off_no_check",
    ],
    "public methods are callable over RPC and re-check rights and state": [
        f"{C}test_security_classes.py::TestSecurityClasses.test_public_methods_recheck_rights_over_rpc",
    ],
    # A portal page, the way stock Odoo does it well
    "security data first: read-only portal ACL, firm rule, admin rule": [
        f"{B}test_security.py::TestPortalAccess.test_user_reads_but_cannot_configure",
        f"{C}test_portal_isolation.py::TestPortalIsolation.test_internal_users_see_no_firm_rows",
    ],
    "list routes search as the user; unknown sort and filter keys fall back": [
        f"{C}test_portal_isolation.py::TestPortalIsolation.test_lists_hold_exactly_the_users_records",
        f"{B}test_portal.py::TestPortalMembership.test_bad_request_values_fall_back",
    ],
    "a forbidden record answers like a missing one": [
        f"{C}test_portal_isolation.py::TestPortalIsolation.test_foreign_ids_answer_like_missing",
        f"{C}test_portal_isolation.py::TestPortalIsolation.test_foreign_posts_answer_like_missing",
    ],
    "related rows are read as the user, never walked from a sudo'd parent": [
        f"{P}test_portal.py::TestPortalProjects.test_detail_own_part_only",
    ],
    "forms: CSRF, access re-checked, whitelisted fields, strictly parsed numbers": [
        f"{C}test_portal_forms.py::TestPortalForms.test_log_hours_refuses_bad_input",
        f"{C}test_portal_forms.py::TestPortalForms.test_expert_edit_refuses_bad_input",
    ],
    "PDFs and attachments only after the same access check": [
        f"{C}test_portal_forms.py::TestPortalForms.test_statement_pdf",
        f"{C}test_portal_roles.py::TestPortalRoles.test_expert_and_plain_contact_stock_invoices",
    ],
    "access tokens rotate when a record changes firm": [
        f"{C}test_security_classes.py::TestSecurityClasses.test_firm_records_open_with_no_token",
    ],
    # Hours and money
    "an hour is used once, enforced in PostgreSQL": [
        f"{C}test_hours.py::TestHours.test_in_kind_refused_by_database",
        f"{C}test_concurrency.py::TestCapConcurrency.test_two_transactions_cannot_both_pass_the_cap",
    ],
    "invoicing runs lock their rows; a busy lock is a message; a rerun adds nothing": [
        f"{C}test_concurrency.py::TestSettlementConcurrency.test_second_run_stops_and_rerun_creates_nothing",
        f"{C}test_settlement.py::TestSettlement.test_rerun_creates_only_what_is_new",
    ],
    "mails and PDFs go after commit (a retried request sends nothing twice)": [
        f"{C}test_settlement.py::TestSettlement.test_statements_show_only_the_firms_own_documents",
    ],
    "hours on invoices are frozen; cancelling or crediting frees exactly them": [
        f"{C}test_settlement.py::TestSettlement.test_settled_hours_are_frozen_and_cancel_frees_them",
        f"{C}test_settlement.py::TestSettlement.test_partial_credit_note_frees_exactly_the_credited_hours",
    ],
    "amounts with the currency's rounding; totals equal their lines": [
        f"{C}test_settlement.py::TestSettlement.test_documents_are_the_ones_odoo_makes",
    ],
    "a related record's name crosses the firm boundary (many2one names)": [
        f"{C}test_portal_related_fields.py::TestPortalRelatedFields.test_every_related_id_is_readable_by_the_role",
    ],
    "money fields carry groups=; amounts in chatter are internal notes": [
        f"{C}test_portal_money.py::TestPortalMoney.test_expert_reads_no_money_over_rpc",
        f"{C}test_portal_money.py::TestPortalMoney.test_chatter_holds_no_amount_for_the_expert",
    ],
    "documents linked to hours stay equal to them (reset to draft, posting checks)": [
        f"{C}test_settlement.py::TestSettlement.test_settled_hours_are_frozen_and_cancel_frees_them",
        f"{C}test_settlement.py::TestSettlement.test_wrong_expected_values_are_corrected_by_odoo",
    ],
    "no process-wide state changes in request code (mute_logger, monkeypatching)": [
        f"{C}test_concurrency.py::TestSettlementConcurrency.test_concurrent_creation_leaves_sql_logging_on",
    ],
    # Tests that prove it
    "real concurrency: two cursors, two runs on the same hours": [
        f"{C}test_concurrency.py::TestSettlementConcurrency.test_two_transactions_cannot_both_create_a_run_for_the_month",
    ],
    "bad input through every form and RPC method, ids beyond PostgreSQL's range": [
        f"{C}test_portal_forms.py::TestPortalForms.test_log_hours_refuses_bad_input",
        f"{C}test_settlement.py::TestSettlement.test_bad_input",
    ],
    "a meta-test over the fields every portal role reads": [
        f"{C}test_portal_related_fields.py::TestPortalRelatedFields.test_every_related_id_is_readable_by_the_role",
    ],
}
# Classes whose test has not landed yet. Remove a class from here when its test is
# listed above.
PENDING = set()


def _tests_in(path):
    tree = ast.parse((ROOT / path).read_text())
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.update(
                f"{node.name}.{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef)
            )
    return names


@pytest.mark.parametrize("risk", sorted(CLASSES))
def test_security_class_has_a_test(risk):
    if risk in PENDING:
        assert not CLASSES[risk], f"{risk!r} has a test now: drop it from PENDING"
        return
    assert CLASSES[risk], risk
    for ref in CLASSES[risk]:
        path, _sep, name = ref.partition("::")
        assert (ROOT / path).is_file(), ref
        assert name in _tests_in(path), ref
