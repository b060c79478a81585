# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.exceptions import UserError

from .project_project import STAGE_ORDER


class ClusterDecision(models.Model):
    _inherit = "cluster.decision"

    def _check_not_in_use(self):
        """A decision that granted a joint project stays as adopted (amend it instead)."""
        super()._check_not_in_use()
        granted_stages = STAGE_ORDER[STAGE_ORDER.index("granted") :]
        projects = (
            self.env["project.project"]
            .sudo()
            .search(
                [
                    ("cluster_decision_id", "in", self.ids),
                    ("cluster_stage", "in", granted_stages),
                ],
                limit=1,
            )
        )
        if projects:
            raise UserError(
                self.env._(
                    "This decision granted the project %(project)s; it cannot be reset to "
                    "draft. Amend it with a new decision instead.",
                    project=projects.display_name,
                )
            )
