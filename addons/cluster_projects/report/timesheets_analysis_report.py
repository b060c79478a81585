# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..models.cluster_budget_line import COST_CATEGORIES


class TimesheetsAnalysisReport(models.Model):
    """Timesheet analysis by participating firm, hour use and cost category.

    The report's search view inherits the timesheet search view that this addon extends,
    so the report must know the same fields (and they are worth grouping by).
    """

    _inherit = "timesheets.analysis.report"

    cluster_member_id = fields.Many2one("res.partner", string="Participating firm", readonly=True)
    cluster_hour_use = fields.Selection(
        [("in_kind", "In-kind co-financing"), ("bought_out", "Bought-out time")],
        string="Hour use",
        readonly=True,
    )
    cluster_cost_category = fields.Selection(
        COST_CATEGORIES, string="Cost category", readonly=True
    )

    @api.model
    def _select(self):
        return (
            super()._select()
            + """,
                A.cluster_member_id AS cluster_member_id,
                A.cluster_hour_use AS cluster_hour_use,
                A.cluster_cost_category AS cluster_cost_category
        """
        )
