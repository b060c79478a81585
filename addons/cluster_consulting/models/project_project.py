# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import ValidationError


class ProjectProject(models.Model):
    _inherit = "project.project"

    @api.constrains("privacy_visibility")
    def _check_cluster_agreement_privacy(self):
        """The project of an agreement is never shared with portal users: its hours are
        the lending and the buying firm's, other experts' hours among them, and Odoo's
        portal would open them to any follower (SECURITY.md)."""
        shared = self.filtered(lambda project: project.privacy_visibility == "portal")
        if shared and self._cluster_agreement_projects(shared):
            raise ValidationError(
                self.env._(
                    "A project with expert-time agreements cannot be visible to portal "
                    "users: the firms see their hours in the member portal."
                )
            )

    @api.model
    def _cluster_agreement_projects(self, projects):
        """Those of ``projects`` that an agreement is for."""
        # sudo: whoever edits the project, every agreement counts.
        return (
            self.env["cluster.agreement"]
            .sudo()
            .with_context(active_test=False)
            .search([("project_id", "in", projects.ids)])
            .project_id
        )

    def _cluster_make_private(self):
        """Agreement projects are not shared with portal users (internal users keep
        reading them)."""
        # sudo: whoever creates the agreement, its project stops being portal-visible.
        self.sudo().filtered(lambda project: project.privacy_visibility == "portal").write(
            {"privacy_visibility": "employees"}
        )
