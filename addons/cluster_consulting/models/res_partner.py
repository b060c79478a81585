# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    cluster_is_signatory = fields.Boolean(
        string="Signatory",
        help="This contact signs on behalf of its firm, e.g. approves lending an expert.",
    )
