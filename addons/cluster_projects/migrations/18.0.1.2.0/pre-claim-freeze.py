# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""1.2: before the update, the in-kind hours in the period of a claim sent to a funder
(submitted or paid) point to that claim (the first by end date), so from the first
moment of the update nothing recomputes them: not the new employer contributions, not
a participant or employee added by data files (the demo data loads before the post-
migrations). ``post-claim-freeze`` then writes the claims' hour rows and keeps the
values stored today."""

from odoo.tools import sql


def migrate(cr, version):
    if not version or not sql.table_exists(cr, "cluster_grant_claim"):
        return
    if not sql.column_exists(cr, "account_analytic_line", "cluster_value_claim_id"):
        sql.create_column(cr, "account_analytic_line", "cluster_value_claim_id", "int4")
    cr.execute(
        """
        UPDATE account_analytic_line line
           SET cluster_value_claim_id = first.claim_id
          FROM (
                SELECT DISTINCT ON (hour.id) hour.id AS line_id, claim.id AS claim_id
                  FROM account_analytic_line hour
                  JOIN cluster_grant_claim claim
                    ON claim.project_id = hour.project_id
                   AND hour.date BETWEEN claim.date_from AND claim.date_to
                 WHERE hour.cluster_hour_use = 'in_kind'
                   AND claim.state IN ('submitted', 'paid')
                 ORDER BY hour.id, claim.date_to, claim.id
               ) first
         WHERE line.id = first.line_id AND line.cluster_value_claim_id IS NULL
        """
    )
