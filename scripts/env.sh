# Shared settings of the project's scripts (sourced; $here is the repository root).
# Every one can be overridden from the environment.
: "${ODOO_SRC:=/opt/odoo/18.0}"
: "${VENV:=$HOME/.cache/cluster-suite/venv-odoo18}"
: "${DEMO_DB:=cluster_demo}"
: "${TEST_DB:=cluster_test}"
: "${HTTP_PORT:=8069}"
: "${TEST_HTTP_PORT:=8079}"
: "${CLUSTER_ADDONS:=cluster_base,cluster_projects,cluster_consulting}"
: "${RUN_DIR:=$here/.run}"
: "${DATA_DIR:=$HOME/.cache/cluster-suite/odoo-data}"  # filestores, shared by checkouts
export ODOO_SRC VENV DEMO_DB TEST_DB HTTP_PORT TEST_HTTP_PORT CLUSTER_ADDONS RUN_DIR DATA_DIR
ODOO_CONF="$RUN_DIR/odoo.conf"

# The runtime config: config/odoo.conf plus the addons path of this machine.
write_odoo_conf() {
    mkdir -p "$RUN_DIR"
    # into [options]: config/odoo.conf has other sections after it ([queue_job])
    awk -v addons="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$here/addons" -v data="$DATA_DIR" '
        { print }
        /^\[options\]/ { print "addons_path = " addons; print "data_dir = " data }
    ' "$here/config/odoo.conf" > "$ODOO_CONF"
}

odoo() { "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" "$@"; }

# Odoo apps our addons depend on (from the manifests), without our own addons.
odoo_dependencies() {
    "$VENV/bin/python" - "$here/addons" <<'PY'
import ast, pathlib, sys
deps = set()
for manifest in pathlib.Path(sys.argv[1]).glob("*/__manifest__.py"):
    deps.update(ast.literal_eval(manifest.read_text())["depends"])
# l10n_se: the association keeps Swedish books (chart of accounts, VAT, OCR references).
deps.add("l10n_se")
print(",".join(sorted(d for d in deps if not d.startswith("cluster_"))))
PY
}

db_exists() { psql -lqtA 2>/dev/null | cut -d'|' -f1 | grep -qx "$1"; }

# Create database $1 with Odoo's apps (Swedish company, l10n_se chart); $2 = "demo" or "nodemo".
# Databases are made from a template per dependency set, kept between runs.
create_base_db() {
    local db=$1 demo=$2 deps tmpl
    deps=$(odoo_dependencies)
    tmpl="cluster_tmpl_${demo}_$(printf '%s' "$deps $(git -C "$ODOO_SRC" rev-parse HEAD 2>/dev/null || stat -c %Y "$ODOO_SRC/odoo/release.py")" | sha256sum | cut -c1-10)"
    mkdir -p "$DATA_DIR"
    exec 9>"$DATA_DIR/.$tmpl.lock"
    flock 9
    if ! db_exists "$tmpl"; then
        echo "[db] building template $tmpl with $deps ($demo)" >&2
        local demo_flag=()
        [ "$demo" = nodemo ] && demo_flag=(--without-demo=all)
        dropdb --if-exists "$tmpl.tmp" >/dev/null 2>&1 || true
        odoo -d "$tmpl.tmp" -i base "${demo_flag[@]}" --stop-after-init --no-http --log-level=warn || return 1
        # A Swedish association: the company is in Sweden before accounting is installed,
        # so the l10n_se chart of accounts (SEK, Swedish VAT) is the one loaded.
        psql -q -d "$tmpl.tmp" -c "
            UPDATE res_partner SET country_id = (SELECT id FROM res_country WHERE code = 'SE')
             WHERE id IN (SELECT partner_id FROM res_company);" || return 1
        odoo -d "$tmpl.tmp" -i "$deps" "${demo_flag[@]}" --stop-after-init --no-http --log-level=warn || return 1
        psql -q -d postgres -c "ALTER DATABASE \"$tmpl.tmp\" RENAME TO \"$tmpl\"" || return 1
        if [ -d "$DATA_DIR/filestore/$tmpl.tmp" ]; then
            rm -rf "$DATA_DIR/filestore/$tmpl"
            mv "$DATA_DIR/filestore/$tmpl.tmp" "$DATA_DIR/filestore/$tmpl"
        fi
    fi
    dropdb --if-exists "$db"
    createdb -T "$tmpl" "$db" || return 1
    flock -u 9
    # the filestore follows the database
    if [ -d "$DATA_DIR/filestore/$tmpl" ]; then
        rm -rf "$DATA_DIR/filestore/$db"
        cp -r "$DATA_DIR/filestore/$tmpl" "$DATA_DIR/filestore/$db"
    fi
}
