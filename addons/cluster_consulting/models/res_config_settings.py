# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cluster_expert_time_account_id = fields.Many2one(
        related="company_id.cluster_expert_time_account_id",
        readonly=False,
    )
