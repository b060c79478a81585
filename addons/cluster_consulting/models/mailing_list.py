# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class MailingList(models.Model):
    _inherit = "mailing.list"

    def _cluster_audience_partners(self):
        """The experts audience: the active experts of firms with an active membership."""
        if self.cluster_audience != "experts":
            return super()._cluster_audience_partners()
        experts = (
            self.env["cluster.expert"]
            .sudo()
            .search(
                [
                    ("employer_id.cluster_member_state", "=", "member"),
                    ("partner_id.email", "!=", False),
                ]
            )
        )
        return experts.partner_id
