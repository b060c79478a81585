#!/usr/bin/env bash
# make bench: settlement of N approved hours (cluster_consulting) next to stock Odoo's
# sale_timesheet invoicing the same N hours, in one run on one database.
#   BENCH_SIZES=10000 make bench      (default 10000,100000)
#   BENCH_REBUILD=1 make bench        (drop and rebuild the benchmark database)
# The database cluster_bench is made from the test template (Swedish company, l10n_se)
# with the three addons and sale_timesheet; every benchmark's data is rolled back.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/env.sh"
write_odoo_conf
: "${BENCH_DB:=cluster_bench}"
: "${BENCH_SIZES:=10000,100000}"
export BENCH_SIZES
export BENCH_OUT="${BENCH_OUT:-$here/bench/results.md}"
modules=cluster_base,cluster_projects,cluster_consulting,sale_timesheet
if [ -n "${BENCH_REBUILD:-}" ] || ! db_exists "$BENCH_DB"; then
    echo "[bench] building $BENCH_DB" >&2
    create_base_db "$BENCH_DB" demo || exit 2
    # sale_timesheet before our addons: cluster_projects' extension of the timesheet
    # search view is also applied to sale_timesheet's report search view (a primary
    # child), which lacks its fields; installed afterwards, that view fails to validate
    odoo -d "$BENCH_DB" -i sale_timesheet --stop-after-init --no-http --log-level=warn || exit 2
    odoo -d "$BENCH_DB" -i "$modules" --stop-after-init --no-http --log-level=warn || exit 2
else
    echo "[bench] updating $BENCH_DB" >&2
    odoo -d "$BENCH_DB" -u cluster_base,cluster_projects,cluster_consulting \
        --stop-after-init --no-http --log-level=warn || exit 2
fi
[ -n "${BENCH_BUILD_ONLY:-}" ] && exit 0
"$VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -c "$ODOO_CONF" -d "$BENCH_DB" --no-http \
    --log-level=warn < "$here/bench/bench_settlement.py"
