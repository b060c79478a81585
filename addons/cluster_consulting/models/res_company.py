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

    cluster_expert_retention_months = fields.Integer(
        string="Keep experts' data (months)",
        default=24,
        help="An expert whose last agreement ended this many months ago and who has not "
        "renewed their consent since is anonymised by a scheduled action (hours and "
        "invoices stay). 0 keeps them.",
    )
