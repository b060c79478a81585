#!/usr/bin/env bash
# make run: set up (or reuse) everything, create cluster_demo with demo data once, serve Odoo.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/env.sh"
"$here/scripts/setup.sh"
write_odoo_conf
if ! db_exists "$DEMO_DB"; then
    echo "[run] creating database $DEMO_DB with the cluster addons and demo data" >&2
    create_base_db "$DEMO_DB" demo
    odoo -d "$DEMO_DB" -i "$CLUSTER_ADDONS" --stop-after-init --no-http --log-level=warn
fi
echo "[run] Odoo on http://localhost:$HTTP_PORT  (database $DEMO_DB, login admin / admin)" >&2
exec "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" -d "$DEMO_DB" \
    --http-port="$HTTP_PORT" --db-filter="^$DEMO_DB\$" "$@"
