# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

LINK_KINDS = [("bill", "Vendor bill"), ("invoice", "Customer invoice")]


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
