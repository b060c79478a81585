# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models, tools
from odoo.tools import SQL


class ClusterExpertReportAvailability(models.Model):
    """Released, committed and free hours per expert and month (24 months around today).

    An agreement's hour cap is spread evenly over the calendar months its period touches.
    """

    _name = "cluster.expert.report.availability"
    _description = "Expert Availability"
    _auto = False
    _order = "month, expert_id"

    expert_id = fields.Many2one("cluster.expert", readonly=True)
    employer_id = fields.Many2one("res.partner", readonly=True)
    month = fields.Date(readonly=True)
    released_hours = fields.Float(readonly=True, aggregator="sum")
    committed_hours = fields.Float(readonly=True, aggregator="sum")
    free_hours = fields.Float(readonly=True, aggregator="sum")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    WITH months AS (
                        SELECT generate_series(
                            date_trunc('month', CURRENT_DATE) - interval '6 months',
                            date_trunc('month', CURRENT_DATE) + interval '17 months',
                            interval '1 month'
                        )::date AS month
                    ), spread AS (
                        SELECT a.expert_id, a.date_from, a.date_to,
                               a.hour_cap / (
                                   (EXTRACT(YEAR FROM a.date_to) - EXTRACT(YEAR FROM a.date_from))
                                   * 12 + EXTRACT(MONTH FROM a.date_to)
                                   - EXTRACT(MONTH FROM a.date_from) + 1
                               ) AS monthly_hours
                          FROM cluster_agreement a
                         WHERE a.state IN %(states)s
                    )
                    SELECT row_number() OVER (ORDER BY e.id, m.month) AS id,
                           e.id AS expert_id,
                           e.employer_id,
                           m.month,
                           e.hours_per_month AS released_hours,
                           COALESCE(SUM(s.monthly_hours), 0) AS committed_hours,
                           e.hours_per_month - COALESCE(SUM(s.monthly_hours), 0) AS free_hours
                      FROM cluster_expert e
                     CROSS JOIN months m
                      LEFT JOIN spread s
                        ON s.expert_id = e.id
                       AND s.date_from < (m.month + interval '1 month')::date
                       AND s.date_to >= m.month
                     WHERE e.active
                     GROUP BY e.id, e.employer_id, e.hours_per_month, m.month
                )
                """,
                table=SQL.identifier(self._table),
                states=("requested", "lender_approved", "active", "closed"),
            )
        )
