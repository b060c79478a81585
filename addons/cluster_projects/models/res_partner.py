# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    cluster_is_funder = fields.Boolean(
        string="Funder", help="A public or private body that finances joint projects."
    )
    cluster_funder_type = fields.Selection(
        [
            ("national_agency", "National agency"),
            ("regional", "Region"),
            ("county_board", "County administrative board"),
            ("eu_fund", "EU fund"),
            ("municipality", "Municipality"),
            ("private", "Private"),
        ],
        string="Funder type",
    )
    cluster_participation_ids = fields.One2many(
        "cluster.project.participant",
        "partner_id",
        string="Joint project participations",
    )
