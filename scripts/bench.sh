#!/usr/bin/env bash
# make bench: every benchmark on the generated cluster, one table in bench/results.md.
#   BENCH_SIZE=small|medium|large make bench   (default small; the database
#                                               cluster_bench_<size> is built by
#                                               make bench-data when it is missing)
#   BENCH_SIZES=10000 make bench               (settlement sizes, default 10000,100000)
#   BENCH_SKIP_SETTLEMENT=1 make bench         (the table reuses the settlement figures of
#                                               the last run, bench/results-settlement.md)
# Settlement: bench/bench_settlement.py (its own data, rolled back) next to stock
# sale_timesheet; then bench/bench_cluster.py (figures, XLSX, portal pages over HTTP).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/env.sh"
. "$here/scripts/bench-env.sh"
write_odoo_conf
: "${BENCH_SIZE:=small}"
: "${BENCH_SIZES:=10000,100000}"
db="cluster_bench_$BENCH_SIZE"
if ! db_exists "$db"; then
    SIZE=$BENCH_SIZE "$here/scripts/bench-data.sh" || exit 2
else
    echo "[bench] updating the addons in $db" >&2
    odoo -d "$db" -u cluster_base,cluster_projects,cluster_consulting \
        --stop-after-init --no-http --log-level=warn || exit 2
fi
settlement_out="$here/bench/results-settlement.md"
if [ -z "${BENCH_SKIP_SETTLEMENT:-}" ]; then
    BENCH_SIZES=$BENCH_SIZES BENCH_OUT="$settlement_out" odoo_shell -d "$db" \
        < "$here/bench/bench_settlement.py" || exit 1
fi
BENCH_SIZE=$BENCH_SIZE BENCH_OUT="${BENCH_OUT:-$here/bench/results.md}" \
    BENCH_SETTLEMENT_OUT="$settlement_out" BENCH_DATA_OUT="$here/bench/data-$BENCH_SIZE.md" \
    odoo_shell -d "$db" < "$here/bench/bench_cluster.py"
