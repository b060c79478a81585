# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    cluster_monthly_salary = fields.Monetary(
        string="Monthly salary (in-kind)",
        currency_field="currency_id",
        groups="hr.group_hr_user,cluster_base.cluster_base_group_manager",
        help="Monthly salary used by the funder formula to value this person's in-kind "
        "hours: monthly salary x 12 / 1720 hours.",
    )
