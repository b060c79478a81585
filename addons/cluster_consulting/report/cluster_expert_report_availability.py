# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta

from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.cluster_expert import COMMITTED_STATES

MONTHS_BEFORE = 6
MONTHS_AFTER = 17


class ClusterExpertReportAvailability(models.Model):
    """Released, committed and free hours per expert and month, from six months before
    this month to seventeen after it.

    The committed hours are the agreements' monthly load
    (``cluster.agreement._monthly_hours_sql``): each hour cap spread over the months of
    its period by working days, the same figure the capacity check compares with the
    released hours.
    """

    _name = "cluster.expert.report.availability"
    _description = "Expert Availability"
    _auto = False
    _order = "month, expert_id"
    _depends = {
        "cluster.agreement": ["expert_id", "state", "date_from", "date_to", "hour_cap"],
        "cluster.expert": ["employer_id", "hours_per_month", "active"],
    }

    expert_id = fields.Many2one("cluster.expert", readonly=True)
    employer_id = fields.Many2one("res.partner", readonly=True)
    month = fields.Date(readonly=True)
    month_label = fields.Char(string="Month (year-month)", readonly=True)
    released_hours = fields.Float(readonly=True, aggregator="sum")
    committed_hours = fields.Float(readonly=True, aggregator="sum")
    free_hours = fields.Float(readonly=True, aggregator="sum")

    def init(self):
        # the report was a database view until 18.0.1.2.0: it is a query now (its months
        # follow the user's today), so the old view goes
        tools.drop_view_if_exists(self.env.cr, self._table)

    @property
    def _table_query(self):
        start = fields.Date.context_today(self).replace(day=1)
        first = start - relativedelta(months=MONTHS_BEFORE)
        last = start + relativedelta(months=MONTHS_AFTER)
        agreements = SQL(
            "a.state IN %s AND a.date_from < %s AND a.date_to >= %s",
            COMMITTED_STATES,
            last + relativedelta(months=1),
            first,
        )
        return SQL(
            """
            WITH months AS (
                SELECT generate_series(%(first)s::timestamp, %(last)s::timestamp,
                                       interval '1 month')::date AS month
            ), load AS (
                SELECT hours.expert_id, hours.month, SUM(hours.hours) AS hours
                  FROM (%(monthly_hours)s) AS hours
                 GROUP BY hours.expert_id, hours.month
            )
            SELECT row_number() OVER (ORDER BY e.id, m.month) AS id,
                   e.id AS expert_id,
                   e.employer_id,
                   m.month,
                   to_char(m.month, 'YYYY-MM') AS month_label,
                   e.hours_per_month AS released_hours,
                   COALESCE(l.hours, 0) AS committed_hours,
                   e.hours_per_month - COALESCE(l.hours, 0) AS free_hours
              FROM cluster_expert e
             CROSS JOIN months m
              LEFT JOIN load l ON l.expert_id = e.id AND l.month = m.month
             WHERE e.active
            """,
            first=first,
            last=last,
            monthly_hours=self.env["cluster.agreement"]._monthly_hours_sql(agreements),
        )
