# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists

LINK_KINDS = [("bill", "Vendor bill"), ("invoice", "Customer invoice")]
# Where the links lived before 18.0.1.2.0: one column of account_analytic_line per kind.
OLD_COLUMNS = (("cluster_bill_line_id", "bill"), ("cluster_invoice_line_id", "invoice"))


def move_column_links(cr):
    """Copy the links still held by the old columns of account_analytic_line into the
    link table (one INSERT ... SELECT per column), then drop the columns with their
    indexes and the check constraint on them. Does nothing once they are gone."""
    for column, kind in OLD_COLUMNS:
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
            SQL("ALTER TABLE account_analytic_line DROP COLUMN %s CASCADE", SQL.identifier(column))
        )


class ClusterHourLink(models.Model):
    """The link between a settled hour and the document line that settles it: the vendor
    bill line (lending firm -> association, kind ``bill``) or the customer invoice line
    (association -> buyer, kind ``invoice``).

    A narrow table of its own (three columns, three indexes) rather than two columns of
    the analytic table: a settlement run links every hour of the period, and a row here
    costs one small insert where an update of ``account_analytic_line`` rewrote the row
    into its 22 indexes. PostgreSQL refuses a second link of one hour of one kind (an
    hour is settled once); deleting the document line or the hour deletes the link, so
    the hour is free again.

    Written only by ``account.analytic.line._cluster_link_documents`` and
    ``_cluster_free_documents``; nobody creates or edits rows by hand (no write ACL).
    """

    _name = "cluster.hour.link"
    _description = "Settled Hour Link"
    _log_access = False
    _order = "move_line_id, hour_id"

    hour_id = fields.Many2one(
        "account.analytic.line", string="Hour", required=True, readonly=True, ondelete="cascade"
    )
    move_line_id = fields.Many2one(
        "account.move.line",
        string="Document line",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    kind = fields.Selection(LINK_KINDS, required=True, readonly=True)

    _sql_constraints = [
        (
            "hour_kind_unique",
            "UNIQUE(hour_id, kind)",
            "An hour is settled once: it is already on a line of this kind.",
        ),
    ]

    def init(self):
        # A database updated to 18.0.1.2.0 before the links moved here skips the
        # migration script (same version): its links move on any update too.
        super().init()
        move_column_links(self.env.cr)
