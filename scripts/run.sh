#!/usr/bin/env bash
# make run: set up (or reuse) everything, create cluster_demo with demo data once, serve Odoo.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/env.sh"
"$here/scripts/setup.sh"
write_odoo_conf
# The addons' code as installed in the demo database: when it changes, update the modules.
code=$(cd "$here/addons" && find . -type f ! -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
stamp="$RUN_DIR/$DEMO_DB.code"
if ! db_exists "$DEMO_DB"; then
    echo "[run] creating database $DEMO_DB with the cluster addons and demo data" >&2
    create_base_db "$DEMO_DB" demo
    # Swedish by default: sv_SE with the translations of every installed module (Odoo's
    # own too); the demo data make it the language of the logins (English stays).
    odoo -d "$DEMO_DB" -i "$CLUSTER_ADDONS" --load-language=sv_SE --stop-after-init \
        --no-http --log-level=warn
    echo "$code" > "$stamp"
elif [ "$(cat "$stamp" 2>/dev/null)" != "$code" ]; then
    echo "[run] the addons changed: updating them in $DEMO_DB" >&2
    # -u only for what is installed (-i would reload noupdate demo data over the records)
    missing=$(psql -d "$DEMO_DB" -tAc "SELECT string_agg(m, ',') FROM unnest(string_to_array('$CLUSTER_ADDONS', ',')) m
        WHERE m NOT IN (SELECT name FROM ir_module_module WHERE state = 'installed')")
    odoo -d "$DEMO_DB" -u "$CLUSTER_ADDONS" ${missing:+-i "$missing"} --stop-after-init --no-http --log-level=warn
    echo "$code" > "$stamp"
fi
echo "[run] Odoo on http://localhost:$HTTP_PORT  (database $DEMO_DB, login admin / admin)" >&2
exec "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" -d "$DEMO_DB" \
    --http-port="$HTTP_PORT" --db-filter="^$DEMO_DB\$" "$@"
