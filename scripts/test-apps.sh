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

"$VENV/bin/python" - "$RUN_DIR/logs/test-apps-without.log" "$RUN_DIR/logs/test-apps-with.log" <<'PY'
"""Per test class: tests run and tests failed on each side; a regression is a test (or a
class set-up) that fails with our addons and not without them."""
import re
import sys
from collections import defaultdict

LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) \S+ ([\w.]+): (.*)$")
MODULE = re.compile(r"odoo\.addons\.(\w+)\.tests\.")
HOLDER = re.compile(r"^(?:ERROR|FAIL): (setUpClass|tearDownClass|setUpModule) \((odoo\.addons\.[\w.]+)\)")
OUTCOME = re.compile(r"^(ERROR|FAIL): (?:Subtest )?(\w+)\.(\w+)")


def parse(path):
    run, failed = defaultdict(set), defaultdict(set)
    finished = False
    with open(path, errors="replace") as log:
        for line in log:
            match = LINE.match(line)
            if not match:
                continue
            _level, logger, message = match.groups()
            if re.match(r"\d+ post-tests in ", message):
                finished = True
            holder = HOLDER.match(message)
            if holder:
                dotted = holder.group(2)
                module = MODULE.match(dotted + ".")
                key = f"{module.group(1) if module else '?'}:{dotted.rsplit('.', 1)[-1]}"
                failed[key].add(holder.group(1))
                run[key]
                continue
            module = MODULE.match(logger + ".")
            if not module:
                continue
            if message.startswith("Starting "):
                test = message[len("Starting ") :].removesuffix(" ...")
                cls, _dot, method = test.partition(".")
                run[f"{module.group(1)}:{cls}"].add(method)
                continue
            outcome = OUTCOME.match(message)
            if outcome:
                key = f"{module.group(1)}:{outcome.group(2)}"
                failed[key].add(outcome.group(3))
                run[key]
    return run, failed, finished


without_run, without_failed, without_done = parse(sys.argv[1])
with_run, with_failed, with_done = parse(sys.argv[2])
classes = sorted(set(without_run) | set(with_run))
regressions = []
print(f"{'test class':<58} {'without our addons':>20} {'with our addons':>20}")


def cell(run, failed, key):
    if key not in run:
        return "not run"
    count, bad = len(run[key]), len(failed[key])
    if not count:
        return f"{'/'.join(sorted(failed[key]))} FAILED"
    return f"{count} ok" if not bad else f"{bad} of {count} FAILED"


for key in classes:
    new = with_failed[key] - without_failed[key]
    if key in without_run and key not in with_run:
        new = {"(class not run)"}
    verdict = "  <-- fails only with our addons" if new else ""
    if new:
        regressions.append(f"{key}: {', '.join(sorted(new))}")
    print(
        f"{key:<58} {cell(without_run, without_failed, key):>20} "
        f"{cell(with_run, with_failed, key):>20}{verdict}"
    )


def totals(run, failed):
    return sum(len(v) for v in run.values()), sum(1 for k in run if failed[k])


(wo_tests, wo_bad), (w_tests, w_bad) = totals(without_run, without_failed), totals(with_run, with_failed)
print(
    f"without our addons: {len(without_run)} classes, {wo_tests} tests, {wo_bad} classes with failures; "
    f"with them: {len(with_run)} classes, {w_tests} tests, {w_bad} classes with failures"
)
print(f"test-apps: {len(classes)} classes compared, {len(regressions)} fail only with our addons")
if not (without_done and with_done):
    print("[test-apps] FAIL: a run did not reach its post-install tests (see the logs)")
    sys.exit(2)
if regressions:
    print(f"[test-apps] FAIL: {len(regressions)} test classes pass without our addons and fail with them:")
    print("\n".join("  " + line for line in regressions))
    sys.exit(1)
print("[test-apps] OK: no test fails with our addons that passes without them")
PY
rc=$?
echo "[test-apps] $(( $(date +%s) - started )) s in all"
exit $rc
