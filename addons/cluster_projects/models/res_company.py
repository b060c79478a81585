# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    # Commission Regulation (EU) 2023/2831, art. 3(2): EUR 300,000 per single undertaking
    # over any period of three years
    cluster_de_minimis_ceiling_eur = fields.Float(
        string="De minimis ceiling (EUR)",
        digits=(16, 2),
        default=300000.0,
        help="The most de minimis aid a single undertaking may receive over three years "
        "(EUR 300,000 under Regulation (EU) 2023/2831).",
    )
    cluster_de_minimis_warning_pct = fields.Float(
        string="De minimis warning (%)",
        digits=(5, 2),
        default=80.0,
        help="Granting aid that brings a single undertaking to this share of the ceiling "
        "posts a warning on the aid.",
    )

    @api.constrains("cluster_de_minimis_ceiling_eur", "cluster_de_minimis_warning_pct")
    def _check_cluster_de_minimis(self):
        for company in self:
            ceiling = company.cluster_de_minimis_ceiling_eur
            pct = company.cluster_de_minimis_warning_pct
            if not math.isfinite(ceiling) or ceiling <= 0:
                raise ValidationError(self.env._("The de minimis ceiling must be positive."))
            if not math.isfinite(pct) or not 0 < pct <= 100:
                raise ValidationError(
                    self.env._("The de minimis warning level is a share between 0 and 100 %.")
                )
