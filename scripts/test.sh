#!/usr/bin/env bash
# make test: set up (or reuse) everything, build a fresh test database, install the three
# addons with Odoo's test runner (at_install and post_install tests, browser tours included),
# then run the top-level tests/ with pytest-odoo, the install checks and Odoo's own tests of
# the apps we build on with and without our addons (scripts/test-apps.sh; TEST_APPS=0
# skips it). Fails on any failed test, on any ERROR or CRITICAL line in Odoo's log, on any
# test skipped for a missing browser or module and on an app test that fails only with
# our addons.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/env.sh"
"$here/scripts/setup.sh" || exit 2
write_odoo_conf
mkdir -p "$RUN_DIR/logs"
odoo_log="$RUN_DIR/logs/odoo-test.log"
pytest_log="$RUN_DIR/logs/pytest.log"
started=$(date +%s)

echo "[test] fresh database $TEST_DB" >&2
create_base_db "$TEST_DB" "${TEST_DEMO:-demo}" || exit 2

tags=$(echo "$CLUSTER_ADDONS" | sed 's/[^,]*/\/&/g')
echo "[test] installing $CLUSTER_ADDONS with --test-enable --test-tags $tags" >&2
odoo -d "$TEST_DB" -i "$CLUSTER_ADDONS" --test-enable --test-tags "$tags" \
    --stop-after-init --http-port="$TEST_HTTP_PORT" --log-level=info 2>&1 | tee "$odoo_log" \
    | grep -E " (ERROR|CRITICAL|WARNING) | odoo\.tests\.(result|stats)|post-tests in|FAIL:|ERROR:" >&2
odoo_rc=${PIPESTATUS[0]}

# Odoo's counts: "N failed, N error(s) of N tests when loading database"
summary=$(grep -E "failed, [0-9]+ error\(s\) of [0-9]+ tests when loading" "$odoo_log" | tail -1)
o_total=$(sed -nE 's/.* ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\3/p' <<<"$summary")
o_failed=$(sed -nE 's/.* ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1+\2/p' <<<"$summary")
o_total=${o_total:-0}; o_failed=$(( ${o_failed:-0} ))
o_skipped=$(grep -cE "odoo\.tests.* skipped " "$odoo_log")
bad_lines=$(grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$odoo_log" | grep -vE "when loading database" || true)
# Odoo skips browser tests (and reports success) without Chromium or websocket-client.
missing=$(grep -E "websocket-client module is not installed|Chrome executable not found|chromium[^ ]* not found|Failed to detect chrome devtools port|odoo\.tests.* skipped .*(not installed|not found|websocket|[Cc]hrom|browser)" "$odoo_log" || true)

echo "[test] pytest-odoo on tests/ and bench/load/ (the load test's body checker)" >&2
"$VENV/bin/pytest" "$here/tests" "$here/bench/load" -p no:cacheprovider --odoo-config "$ODOO_CONF" \
    --odoo-database "$TEST_DB" -q 2>&1 | tee "$pytest_log"
py_rc=${PIPESTATUS[0]}
p_passed=$(grep -oE "[0-9]+ passed" "$pytest_log" | tail -1 | cut -d' ' -f1)
p_failed=$(grep -oE "[0-9]+ (failed|error)" "$pytest_log" | awk '{s+=$1} END {print s+0}')
p_passed=${p_passed:-0}

echo "[test] each addon alone, with and without demo data" >&2
install_out=$("$here/scripts/install-check.sh" 2>&1)
install_rc=$?
echo "$install_out"
i_passed=$(sed -nE 's/^install checks: ([0-9]+) passed, ([0-9]+) failed$/\1/p' <<<"$install_out")
i_failed=$(sed -nE 's/^install checks: ([0-9]+) passed, ([0-9]+) failed$/\2/p' <<<"$install_out")
i_passed=${i_passed:-0}; i_failed=${i_failed:-1}

# Odoo's own tests of the apps we build on, with and without our addons (TEST_APPS=0 skips).
a_passed=0; a_failed=0; apps_rc=0
if [ "${TEST_APPS:-1}" != 0 ]; then
    echo "[test] Odoo's own app tests with and without our addons (make test-apps; TEST_APPS=0 skips)" >&2
    apps_out=$("$here/scripts/test-apps.sh" 2>&1)
    apps_rc=$?
    echo "$apps_out" | grep -E "fails only with|FAIL|OK|classes compared| s in all|^\[test-apps\] (with|without): [0-9]+ s"
    a_total=$(sed -nE 's/^test-apps: ([0-9]+) classes compared, ([0-9]+) fail only.*/\1/p' <<<"$apps_out" | head -1)
    a_failed=$(sed -nE 's/^test-apps: ([0-9]+) classes compared, ([0-9]+) fail only.*/\2/p' <<<"$apps_out" | tail -1)
    a_failed=${a_failed:-1}; a_passed=$(( ${a_total:-0} - a_failed ))
fi

rc=0
if [ "$apps_rc" -ne 0 ]; then echo "[test] FAIL: Odoo's own app tests fail with our addons (make test-apps, rc $apps_rc)" >&2; rc=1; fi
if [ "$install_rc" -ne 0 ]; then echo "[test] FAIL: an addon does not install cleanly alone" >&2; rc=1; fi
if [ "$odoo_rc" -ne 0 ] || [ "$o_failed" -ne 0 ]; then echo "[test] FAIL: Odoo's test runner (rc $odoo_rc, $o_failed failed)" >&2; rc=1; fi
if [ "$o_total" -eq 0 ]; then echo "[test] FAIL: Odoo's runner ran no test" >&2; rc=1; fi
if [ -n "$bad_lines" ]; then echo "[test] FAIL: ERROR lines in Odoo's log ($odoo_log):" >&2; echo "$bad_lines" | head -20 >&2; rc=1; fi
if [ -n "$missing" ]; then echo "[test] FAIL: tests skipped for a missing browser or module:" >&2; echo "$missing" | head -5 >&2; rc=1; fi
if [ "$py_rc" -ne 0 ]; then echo "[test] FAIL: pytest (rc $py_rc)" >&2; rc=1; fi

passed=$(( o_total - o_failed + p_passed + i_passed + a_passed ))
failed=$(( o_failed + p_failed + i_failed + a_failed ))
echo "[test] odoo: $o_total tests, $o_failed failed, $o_skipped skipped; pytest: $p_passed passed, $p_failed failed; install checks: $i_passed passed, $i_failed failed; app test classes with our addons: $a_passed as without, $a_failed worse; $(( $(date +%s) - started )) s"
echo "$passed passed, $failed failed, $o_skipped skipped"
exit $rc
