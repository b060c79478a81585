# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.tools import SQL


class MembershipLine(models.Model):
    """Odoo's membership line, tied to the cluster membership and the fee year it bills."""

    _inherit = "membership.membership_line"

    cluster_membership_id = fields.Many2one(
        "cluster.membership",
        string="Cluster membership",
        index="btree_not_null",
        ondelete="cascade",
    )
    cluster_fee_year = fields.Integer(string="Fee year")

    def init(self):
        # One live annual fee per membership and year, whatever runs at the same time.
        # A cancelled fee invoice (date_cancel set) frees the year for a new one.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS membership_line_cluster_fee_year_uniq "
                "ON membership_membership_line (cluster_membership_id, cluster_fee_year) "
                "WHERE cluster_membership_id IS NOT NULL AND date_cancel IS NULL"
            )
        )
