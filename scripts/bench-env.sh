# Shared by scripts/bench.sh and scripts/bench-data.sh (sourced after scripts/env.sh).
# odoo shell without odoo-bin: this machine's odoo-bin calls main() twice, and the second
# call fails once a shell session has ended.
odoo_shell() {
    TZ=UTC PYTHONPATH="$ODOO_SRC" "$VENV/bin/python" -c 'import odoo; odoo.cli.main()' \
        shell -c "$ODOO_CONF" --no-http --log-level=warn "$@"
}
