#!/usr/bin/env bash
# Drop the demo database and the cached template databases (they are rebuilt when needed).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/env.sh"
for db in "$DEMO_DB" $(psql -lqtA | cut -d'|' -f1 | grep '^cluster_tmpl_' || true); do
    echo "dropping $db"
    dropdb --if-exists "$db"
    rm -rf "$DATA_DIR/filestore/$db"
done
