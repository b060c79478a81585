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

# Upgrade: the addons of the last released version (UPGRADE_FROM, a commit of this
# repository) installed with demo data, then updated to this checkout's code: the
# migrations run, no ERROR or WARNING, every addon at its new version, and the demo
# signatory still in the signatory group (it moved from cluster_consulting to cluster_base).
: "${UPGRADE_FROM:=06a27d8}" # 18.0.1.0.0, the end of the first session
db="${TEST_DB}_upgrade"
log="$RUN_DIR/logs/upgrade-check.log"
old_src=$(mktemp -d)
if git -C "$here" archive "$UPGRADE_FROM" addons 2>"$log" | tar -x -C "$old_src" \
    && create_base_db "$db" demo >>"$log" 2>&1 \
    && odoo -d "$db" -i "$CLUSTER_ADDONS" --stop-after-init --no-http --log-level=warn \
        --addons-path="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$old_src/addons" >>"$log" 2>&1; then
    echo "--- update to this checkout" >>"$log"
    odoo -d "$db" -u "$CLUSTER_ADDONS" --stop-after-init --no-http --log-level=info >>"$log" 2>&1
    rc=$?
    bad=$(sed -n '/^--- update to this checkout/,$p' "$log" \
        | grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) " \
        | grep -vE "Running as user 'root'" || true)
    versions=$(psql -d "$db" -tAc "SELECT string_agg(name || '=' || latest_version, ' ' ORDER BY name)
        FROM ir_module_module WHERE name LIKE 'cluster_%' AND state = 'installed'")
    expected=$(for a in $(tr , ' ' <<<"$CLUSTER_ADDONS" | xargs -n1 | sort); do
        v=$(sed -nE 's/.*"version": "([^"]+)".*/\1/p' "$here/addons/$a/__manifest__.py")
        printf '%s=%s ' "$a" "$v"; done)
    signatory=$(psql -d "$db" -tAc "SELECT count(*) FROM res_groups_users_rel r
        JOIN ir_model_data d ON d.model = 'res.groups' AND d.res_id = r.gid
        JOIN res_users u ON u.id = r.uid
        WHERE d.module = 'cluster_base' AND d.name = 'cluster_base_group_signatory'
          AND u.login = 'karin'")
    if [ $rc -eq 0 ] && [ -z "$bad" ] && [ "$versions " = "$expected" ] && [ "$signatory" = 1 ]; then
        echo "[install] upgrade from $UPGRADE_FROM: ok"
        passed=$((passed + 1))
    else
        echo "[install] upgrade from $UPGRADE_FROM: FAILED (rc $rc, versions '$versions' vs '$expected', signatory kept: '$signatory', see $log)"
        echo "$bad" | head -5
        failed=$((failed + 1))
    fi
else
    echo "[install] upgrade from $UPGRADE_FROM: could not install the old version (see $log)"
    failed=$((failed + 1))
fi
dropdb --if-exists "$db"
rm -rf "$DATA_DIR/filestore/$db" "$old_src"

echo "install checks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
