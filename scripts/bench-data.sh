#!/usr/bin/env bash
# make bench-data SIZE=small|medium|large: build the benchmark database cluster_bench_<size>
# (test template: Swedish company, l10n_se; sale_timesheet and the three addons) and fill
# it with a generated cluster (bench/generate.py). An existing database is kept as it is
# unless BENCH_REBUILD=1 (then it is dropped and built again).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/env.sh"
. "$here/scripts/bench-env.sh"
write_odoo_conf
SIZE=${SIZE:-${BENCH_SIZE:-small}}
case "$SIZE" in small | medium | large) ;; *)
    echo "[bench-data] SIZE must be small, medium or large, not '$SIZE'" >&2
    exit 2
    ;;
esac
db="cluster_bench_$SIZE"
if db_exists "$db"; then
    if [ -z "${BENCH_REBUILD:-}" ]; then
        echo "[bench-data] $db exists; BENCH_REBUILD=1 make bench-data SIZE=$SIZE to build it again" >&2
        exit 0
    fi
    echo "[bench-data] dropping $db (BENCH_REBUILD=1)" >&2
fi
started=$(date +%s)
echo "[bench-data] building $db from the test template" >&2
create_base_db "$db" demo || exit 2
# sale_timesheet before our addons (see scripts/bench.sh)
odoo -d "$db" -i sale_timesheet --stop-after-init --no-http --log-level=warn || exit 2
odoo -d "$db" -i cluster_base,cluster_projects,cluster_consulting \
    --stop-after-init --no-http --log-level=warn || exit 2
echo "[bench-data] database with the addons in $(($(date +%s) - started)) s" >&2
if ! BENCH_SIZE=$SIZE BENCH_DATA_OUT="$here/bench/data-$SIZE.md" odoo_shell -d "$db" < "$here/bench/generate.py"; then
    echo "[bench-data] generation failed; dropping $db" >&2
    dropdb --if-exists "$db"
    exit 1
fi
echo "[bench-data] $db ready in $(($(date +%s) - started)) s" >&2
