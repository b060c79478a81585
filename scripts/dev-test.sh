#!/usr/bin/env bash
# The development loop: some tests on a database of their own, without the whole `make test`.
#   scripts/dev-test.sh [--fresh] <test-tags> [addons to update]
#   e.g. DEV_DB=cluster_dev_money scripts/dev-test.sh /cluster_consulting:TestSettlement cluster_consulting
# DEV_DB (default cluster_dev) keeps the three addons installed with demo data between runs;
# --fresh (or a missing DEV_DB) rebuilds it from the cached template. The tests run on an
# update (-u) of the given addons (default all three), on TEST_HTTP_PORT for browser tests.
# Prints Odoo's warnings, errors and test summary; the whole log is $RUN_DIR/logs/dev-test.log.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/env.sh"
: "${DEV_DB:=cluster_dev}"
fresh=0
if [ "${1:-}" = --fresh ]; then fresh=1; shift; fi
tags=${1:?test tags, e.g. /cluster_consulting:TestSettlement}
update=${2:-$CLUSTER_ADDONS}
"$here/scripts/setup.sh" >/dev/null || exit 2
write_odoo_conf
mkdir -p "$RUN_DIR/logs"
log="$RUN_DIR/logs/dev-test.log"
if [ "$fresh" = 1 ] || ! db_exists "$DEV_DB"; then
    echo "[dev-test] fresh $DEV_DB with $CLUSTER_ADDONS" >&2
    create_base_db "$DEV_DB" demo || exit 2
    odoo -d "$DEV_DB" -i "$CLUSTER_ADDONS" --stop-after-init --no-http --log-level=warn || exit 2
fi
odoo -d "$DEV_DB" -u "$update" --test-enable --test-tags "$tags" --stop-after-init \
    --http-port="$TEST_HTTP_PORT" --log-level=test >"$log" 2>&1
rc=$?
grep -E " (ERROR|CRITICAL|WARNING) |FAIL:|ERROR:|odoo\.tests\.(result|stats)|Ran [0-9]+ test|tests when loading" "$log" | grep -v "^Traceback" | head -80
echo "[dev-test] rc=$rc, whole log: $log"
exit $rc
