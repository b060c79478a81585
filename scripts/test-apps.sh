#!/usr/bin/env bash
# make test-apps: do Odoo's own apps still pass their own tests with our addons installed?
# Runs the tests of the apps we build on (APPS_TEST_TAGS) twice, on two fresh databases from
# the cached template (Odoo's apps, demo data):
#   without  APPS_DB_WITHOUT (default cluster_apps_without): the apps only;
#   with     APPS_DB_WITH (default cluster_apps_with): the apps plus CLUSTER_ADDONS.
# Each run is `--test-enable --test-tags …` without -i/-u, so Odoo's loader runs each app's
# at_install tests as that app is loaded, with the models of the modules loaded so far
# (before our addons' fields and overrides) on the database that holds our columns and
# constraints, then the post_install tests with every module loaded. An -i/-u run would
# test the apps before our columns exist and hide exactly what this is for.
# A class that fails only with our addons is run once more on both sides before it counts
# (tours time out on a busy machine). The comparison is scripts/test_apps_compare.py.
# APPS_FRESH=0 reuses both databases as they are (the tests roll back what they write).
# Prints each test class with its result on both sides and fails (rc 1) when a test that
# passes without our addons fails with them; rc 2 when a run did not finish.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/env.sh"
: "${APPS_DB_WITH:=cluster_apps_with}"
: "${APPS_DB_WITHOUT:=cluster_apps_without}"
: "${APPS_FRESH:=1}"
# project, hr_timesheet, crm, membership entirely; from account the classes on analytic
# accounts, customer invoices (the settlement's documents) and the portal's invoice pages.
: "${APPS_TEST_TAGS:=/project,/hr_timesheet,/crm,/membership,/account:TestAccountAnalyticAccount,/account:TestAccountMoveOutInvoiceOnchanges,/account:TestPortalInvoice,/account:TestPortalAttachment}"
"$here/scripts/setup.sh" >/dev/null || exit 2
write_odoo_conf
mkdir -p "$RUN_DIR/logs"
started=$(date +%s)

run_side() {  # $1 = side (with|without), $2 = database
    local side=$1 db=$2 log="$RUN_DIR/logs/test-apps-$1.log" t0
    t0=$(date +%s)
    if [ "$APPS_FRESH" = 0 ] && db_exists "$db"; then
        echo "[test-apps] $side: reusing database $db" >&2
    else
        echo "[test-apps] $side: fresh database $db" >&2
        create_base_db "$db" demo || return 2
        [ "$side" = with ] && fresh_with=1
    fi
    if [ "${fresh_with:-0}" = 1 ]; then
        echo "[test-apps] $side: installing $CLUSTER_ADDONS" >&2
        odoo -d "$db" -i "$CLUSTER_ADDONS" --stop-after-init --no-http --log-level=warn || return 2
        # our demo data make the admin Swedish; Odoo's own tours click English labels as
        # admin, so both sides run them with an English admin
        psql -q -d "$db" -c "UPDATE res_partner SET lang = 'en_US' WHERE id IN
            (SELECT partner_id FROM res_users WHERE login = 'admin')" || return 2
    fi
    echo "[test-apps] $side: Odoo's tests $APPS_TEST_TAGS (log: $log)" >&2
    odoo -d "$db" --test-enable --test-tags "$APPS_TEST_TAGS" --stop-after-init \
        --http-port="$TEST_HTTP_PORT" --log-level=test >"$log" 2>&1
    echo "[test-apps] $side: $(( $(date +%s) - t0 )) s" >&2
}

run_side without "$APPS_DB_WITHOUT"; rc_without=$?
run_side with "$APPS_DB_WITH"; rc_with=$?
if [ "$rc_without" = 2 ] || [ "$rc_with" = 2 ]; then
    echo "[test-apps] FAIL: a database could not be built" >&2
    exit 2
fi

compare() {  # $1 = log suffix, $2 = file for the tags of the classes to run again
    "$VENV/bin/python" "$here/scripts/test_apps_compare.py" \
        "$RUN_DIR/logs/test-apps-without$1.log" "$RUN_DIR/logs/test-apps-with$1.log" ${2:+"$2"}
}
retry="$RUN_DIR/logs/test-apps-retry.tags"
rm -f "$retry"
compare "" "$retry"
rc=$?
if [ "$rc" = 1 ] && [ -s "$retry" ]; then
    # A class that fails only with our addons runs once more on both sides, alone: a
    # browser tour of the apps can time out on a busy machine. It fails if it fails again.
    tags=$(cat "$retry")
    echo "[test-apps] running again on both sides: $tags" >&2
    for side in without with; do
        db=$APPS_DB_WITHOUT; [ "$side" = with ] && db=$APPS_DB_WITH
        odoo -d "$db" --test-enable --test-tags "$tags" --stop-after-init \
            --http-port="$TEST_HTTP_PORT" --log-level=test >"$RUN_DIR/logs/test-apps-$side-again.log" 2>&1
    done
    compare "-again"
    rc=$?
fi
echo "[test-apps] $(( $(date +%s) - started )) s in all"
exit $rc
