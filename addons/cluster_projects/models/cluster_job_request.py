# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ClusterJobRequest(models.Model):
    _inherit = "cluster.job.request"

    kind = fields.Selection(
        selection_add=[
            ("funder_report", "Funder report"),
            ("ledger_export", "Cluster ledger export"),
            ("sie_export", "SIE4 export"),
            ("claim_pack", "Claim pack"),
        ],
        ondelete={
            "funder_report": "cascade",
            "ledger_export": "cascade",
            "sie_export": "cascade",
            "claim_pack": "cascade",
        },
    )
