# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    cluster_agreement_decision_threshold = fields.Monetary(
        string="Agreement decision threshold",
        currency_field="currency_id",
        default=100000.0,
        help="An agreement whose hour cap times hourly rate exceeds this amount can only "
        "be activated with an adopted board decision.",
    )
