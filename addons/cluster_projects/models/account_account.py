# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from .cluster_budget_line import COST_CATEGORIES


class AccountAccount(models.Model):
    _inherit = "account.account"

    cluster_cost_category = fields.Selection(
        COST_CATEGORIES,
        string="Joint project cost category",
        help="Cost category of joint-project costs booked on this account, used when "
        "the "
        "analytic line's product has none.",
    )
