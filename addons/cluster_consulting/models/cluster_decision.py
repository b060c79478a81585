# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.exceptions import UserError


class ClusterDecision(models.Model):
    _inherit = "cluster.decision"

    def _check_not_in_use(self):
        """A decision an agreement was activated on stays as adopted (amend it instead)."""
        super()._check_not_in_use()
        agreements = (
            self.env["cluster.agreement"]
            .sudo()
            .search(
                [("decision_id", "in", self.ids), ("state", "in", ("active", "closed"))],
                limit=1,
            )
        )
        if agreements:
            raise UserError(
                self.env._(
                    "This decision approved the agreement %(agreement)s; it cannot be reset "
                    "to draft. Amend it with a new decision instead.",
                    agreement=agreements.display_name,
                )
            )
