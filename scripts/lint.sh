#!/usr/bin/env bash
# make lint: ruff (check + format check) and pylint-odoo on the addons and the project's Python.
# make format: the same with --fix / formatting applied.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/env.sh"
cd "$here"
[ -x "$VENV/bin/ruff" ] || "$here/scripts/setup.sh" || exit 2
paths=(addons tests scripts bench)
existing=(); for p in "${paths[@]}"; do [ -e "$p" ] && existing+=("$p"); done
rc=0
if [ "${1:-}" = --fix ]; then
    "$VENV/bin/ruff" check --fix "${existing[@]}" || rc=1
    "$VENV/bin/ruff" format "${existing[@]}" || rc=1
    exit $rc
fi
echo "[lint] ruff check"; "$VENV/bin/ruff" check "${existing[@]}" || rc=1
echo "[lint] ruff format --check"; "$VENV/bin/ruff" format --check "${existing[@]}" || rc=1
echo "[lint] pylint-odoo"
"$VENV/bin/pylint" --rcfile=.pylintrc addons/* || rc=1
[ $rc = 0 ] && echo "[lint] ok"
exit $rc
