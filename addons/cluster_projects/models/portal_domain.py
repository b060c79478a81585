# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What a portal user lists of the joint-project models: ``_cluster_get_portal_domain()``.

As in cluster_consulting's ``models/portal_domain.py`` (and ``hr_timesheet``'s
``_timesheet_get_portal_domain``): the domain of the rows the logged-in portal user may
read, written to give the same rows as the portal rule of
``security/cluster_project_participant_security.xml`` (tested per role in
``tests/test_portal.py``). The projects page searches with it; the rule stays the guard.
"""

from odoo import api, models


class ClusterProjectParticipant(models.Model):
    _inherit = "cluster.project.participant"

    @api.model
    def _cluster_get_portal_domain(self):
        """The participations of the user's firm (every login of the firm)."""
        return [("partner_id", "=", self.env.user.commercial_partner_id.id)]
