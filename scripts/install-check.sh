#!/usr/bin/env bash
# Each addon installs alone (with only what it depends on), with and without demo data,
# on a fresh database, with no ERROR or WARNING in Odoo's log. Called by scripts/test.sh.
# Prints one line per check and "install checks: N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/env.sh"
write_odoo_conf
mkdir -p "$RUN_DIR/logs"
passed=0 failed=0
for demo in nodemo demo; do
    IFS=, read -ra addons <<<"$CLUSTER_ADDONS"
    for addon in "${addons[@]}"; do
        db="${TEST_DB}_install"
        log="$RUN_DIR/logs/install-$addon-$demo.log"
        if ! create_base_db "$db" "$demo" >"$log" 2>&1; then
            echo "[install] $addon ($demo): could not create the database (see $log)"
            failed=$((failed + 1)); continue
        fi
        odoo -d "$db" -i "$addon" --stop-after-init --no-http --log-level=info >>"$log" 2>&1
        rc=$?
        bad=$(grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) " "$log" \
            | grep -vE "Running as user 'root'" || true)
        state=$(psql -d "$db" -tAc "SELECT state FROM ir_module_module WHERE name = '$addon'")
        if [ $rc -eq 0 ] && [ -z "$bad" ] && [ "$state" = installed ]; then
            echo "[install] $addon ($demo): ok"
            passed=$((passed + 1))
        else
            echo "[install] $addon ($demo): FAILED (rc $rc, state '$state', see $log)"
            echo "$bad" | head -5
            failed=$((failed + 1))
        fi
        dropdb --if-exists "$db"
        rm -rf "$DATA_DIR/filestore/$db"
    done
done
echo "install checks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
