# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""1.2: the links between settled hours and document lines move from two columns of
account_analytic_line (cluster_bill_line_id, cluster_invoice_line_id) into the narrow
table cluster_hour_link (created by the update before this script runs). Each column's
links are copied in one INSERT ... SELECT, then the columns (and their indexes and the
check constraint on them) are dropped: the fields read the link table now."""

from odoo.tools import SQL
from odoo.tools.sql import column_exists


def migrate(cr, version):
    if not version:
        return
    for column, kind in (("cluster_bill_line_id", "bill"), ("cluster_invoice_line_id", "invoice")):
        if not column_exists(cr, "account_analytic_line", column):
            continue
        cr.execute(
            SQL(
                """
                INSERT INTO cluster_hour_link (hour_id, move_line_id, kind)
                SELECT line.id, line.%(column)s, %(kind)s
                  FROM account_analytic_line line
                  JOIN account_move_line aml ON aml.id = line.%(column)s
                 WHERE line.%(column)s IS NOT NULL
                ON CONFLICT (hour_id, kind) DO NOTHING
                """,
                column=SQL.identifier(column),
                kind=kind,
            )
        )
        cr.execute(
            SQL(
                "ALTER TABLE account_analytic_line DROP COLUMN %s CASCADE",
                SQL.identifier(column),
            )
        )
