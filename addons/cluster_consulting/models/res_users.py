# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models

from odoo.addons.cluster_base.models.res_users import ROLE_EXPERT


class ResUsers(models.Model):
    _inherit = "res.users"

    def _cluster_compute_roles(self, firm):
        """Adds the expert role: the user is an expert employed by ``firm``."""
        roles = super()._cluster_compute_roles(firm)
        # sudo: only counts the user's own expert rows, to decide the user's role.
        if (
            self.env["cluster.expert"]
            .sudo()
            .search_count([("user_id", "=", self.id), ("employer_id", "=", firm.id)], limit=1)
        ):
            roles.add(ROLE_EXPERT)
        return roles
