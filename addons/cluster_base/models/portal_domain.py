# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What a portal user lists of the membership register: ``_cluster_get_portal_domain()``.

Like ``hr_timesheet``'s ``_timesheet_get_portal_domain``: built from the user's roles
(``res.users._cluster_get_roles``) to give the same records as the portal record rule
(``security/cluster_membership_security.xml``); the portal pages search with it.
Kept apart from ``cluster_membership.py`` with the other addons' portal domains.
"""

# pylint: disable=consider-merging-classes-inherited
from odoo import api, models

from .res_users import ROLE_SIGNATORY


class ClusterMembership(models.Model):
    _inherit = "cluster.membership"

    @api.model
    def _cluster_get_portal_domain(self):
        """The firm's memberships, for its signatory only."""
        user = self.env.user
        firm = user.commercial_partner_id
        if user._cluster_has_role(firm, ROLE_SIGNATORY):
            return [("partner_id", "=", firm.id)]
        return [("id", "=", 0)]
