#!/usr/bin/env bash
# Prepare everything the run and test commands need; safe to run again (it reuses what exists).
#   - Odoo 18.0 source at $ODOO_SRC (shallow clone of the official branch when missing)
#   - a virtual environment with Odoo's and the project's requirements
#   - Debian's Chromium for browser tests (when running as root)
#   - a running PostgreSQL with a superuser role for the current user
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/env.sh
. "$here/scripts/env.sh"

log() { printf '[setup] %s\n' "$*" >&2; }

# --- Odoo source ---------------------------------------------------------------------
if [ ! -f "$ODOO_SRC/odoo-bin" ]; then
    log "no Odoo source at $ODOO_SRC: cloning the official 18.0 branch (shallow)"
    mkdir -p "$(dirname "$ODOO_SRC")"
    if ! git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git "$ODOO_SRC"; then
        log "ERROR: could not clone Odoo 18.0 into $ODOO_SRC."
        log "Put an Odoo 18.0 Community source tree there by hand (or set ODOO_SRC to one),"
        log "e.g. download https://github.com/odoo/odoo/archive/refs/heads/18.0.tar.gz elsewhere"
        log "and unpack it to $ODOO_SRC, then run this command again."
        exit 2
    fi
fi
grep -q "version_info = (18, 0" "$ODOO_SRC/odoo/release.py" || {
    log "ERROR: $ODOO_SRC is not Odoo 18.0 ($ODOO_SRC/odoo/release.py)"; exit 2; }

# --- system packages (Debian) ----------------------------------------------------------
# chromium: browser tests and screenshots; wkhtmltopdf: Odoo's PDF reports (statements,
# member register); postgresql: the database server.
if ! command -v chromium >/dev/null 2>&1 || ! command -v pg_ctlcluster >/dev/null 2>&1 \
    || ! command -v wkhtmltopdf >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        log "installing Debian packages: chromium wkhtmltopdf postgresql"
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium wkhtmltopdf postgresql >/dev/null
    else
        log "WARNING: install chromium, wkhtmltopdf and postgresql (not root: cannot do it here)"
    fi
fi

# --- virtual environment ---------------------------------------------------------------
stamp="$VENV/.cluster-requirements.sha"
want=$(cat "$ODOO_SRC/requirements.txt" "$here/requirements.txt" | sha256sum | cut -c1-16)
if [ ! -x "$VENV/bin/python" ]; then
    log "creating virtual environment $VENV"
    "${PYTHON:-python3.11}" -m venv "$VENV"
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    log "installing Odoo's and the project's requirements (a few minutes the first time)"
    constraints="$VENV/constraints.txt"
    {
        echo "setuptools<81"
        machine=$(pip config get global.constraint 2>/dev/null || true)
        [ -n "$machine" ] && [ -f "$machine" ] && grep -v '^#' "$machine"
        true
    } > "$constraints"
    export PIP_CONSTRAINT="$constraints"
    # python-ldap needs system headers and is only for LDAP login: left out.
    grep -v '^python-ldap' "$ODOO_SRC/requirements.txt" > "$VENV/odoo-requirements.txt"
    "$VENV/bin/pip" install -q "setuptools<81" wheel
    "$VENV/bin/pip" install -q -r "$VENV/odoo-requirements.txt"
    "$VENV/bin/pip" install -q -e "$ODOO_SRC"
    # OCA addons from the registry (odoo-addon-*) unpack into site-packages/odoo/addons/,
    # a namespace directory that would hide the editable install's odoo package from
    # scripts outside odoo-bin (pytest): the source tree itself goes on sys.path.
    site=$("$VENV/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    echo "$ODOO_SRC" > "$site/zz-odoo-src.pth"
    "$VENV/bin/pip" install -q -r "$here/requirements.txt"
    echo "$want" > "$stamp"
fi

# --- PostgreSQL ------------------------------------------------------------------------
if ! pg_isready -q 2>/dev/null; then
    log "starting PostgreSQL"
    if command -v pg_ctlcluster >/dev/null 2>&1; then
        ver=$(pg_lsclusters -h | awk 'NR==1{print $1}')
        pg_ctlcluster "$ver" main start
    else
        log "ERROR: PostgreSQL does not answer and pg_ctlcluster is missing"; exit 2
    fi
    for _ in $(seq 30); do pg_isready -q && break; sleep 1; done
fi
me=$(id -un)
if [ "$(id -u)" = 0 ] || command -v sudo >/dev/null 2>&1; then
    if ! su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$me'\"" | grep -q 1; then
        log "creating PostgreSQL superuser role $me"
        su postgres -c "createuser -s $me"
    fi
fi
log "ready: venv $VENV, Odoo $ODOO_SRC"
