#!/usr/bin/env bash
# Odoo's own command line with this project's config and addons path, e.g.
#   ./scripts/odoo.sh -d cluster_demo -u cluster_base --stop-after-init
#   ./scripts/odoo.sh shell -d cluster_demo
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/env.sh"
write_odoo_conf
if [ "${1:-}" = shell ]; then
    shift
    exec "$VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -c "$ODOO_CONF" "$@"
fi
exec "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" "$@"
