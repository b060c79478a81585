#!/usr/bin/env bash
# Regenerate each addon's i18n/<addon>.pot from a database where the addons are installed
# and bring i18n/sv.po in line with it: every exported term keeps its Swedish translation,
# obsolete entries go, new terms are listed so they can be translated.
#   ./scripts/i18n-update.sh [database]        (default: $TEST_DB)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/env.sh"
write_odoo_conf
db=${1:-$TEST_DB}
IFS=, read -ra addons <<<"$CLUSTER_ADDONS"
for addon in "${addons[@]}"; do
    pot="$here/addons/$addon/i18n/$addon.pot"
    odoo -d "$db" --i18n-export="$pot" --modules="$addon" --stop-after-init --log-level=warn
    "$VENV/bin/python" - "$pot" "$here/addons/$addon/i18n/sv.po" <<'PY'
import sys
import polib
pot_path, po_path = sys.argv[1:]
pot = polib.pofile(pot_path)
old = polib.pofile(po_path)
known = {e.msgid: e.msgstr for e in old if e.msgstr}
po = polib.pofile(pot_path)
po.metadata.update({"Language": "sv", "Language-Team": "Swedish",
                    "Plural-Forms": "nplurals=2; plural=(n != 1);"})
missing = []
for entry in po:
    entry.msgstr = known.get(entry.msgid, "")
    if not entry.msgstr:
        missing.append(entry.msgid)
po.wrapwidth = 78
po.save(po_path)
print(f"{po_path}: {len(po)} terms, {len(missing)} without Swedish")
for msgid in missing:
    print("   ", repr(msgid))
PY
done
