# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cluster_de_minimis_ceiling_eur = fields.Float(
        related="company_id.cluster_de_minimis_ceiling_eur", readonly=False
    )
    cluster_de_minimis_warning_pct = fields.Float(
        related="company_id.cluster_de_minimis_warning_pct", readonly=False
    )
