# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


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

    def _cluster_share_excluded_costs(self, date_from, date_to):
        """Cost lines of the period that are vendor bill lines of bought-out hours a
        settlement sells on to a member firm or an outside customer: the buyer pays them,
        so the participants don't. ``{account_id: cost}`` in one query."""
        excluded = super()._cluster_share_excluded_costs(date_from, date_to)
        self.env["account.analytic.line"].flush_model()
        self.env["cluster.hour.link"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT cost.account_id, -SUM(cost.amount)
                  FROM account_analytic_line cost
                 WHERE cost.account_id = ANY(%(accounts)s)
                   AND cost.date BETWEEN %(date_from)s AND %(date_to)s
                   AND cost.amount < 0
                   AND cost.cluster_hour_use IS NULL
                   AND cost.move_line_id IS NOT NULL
                   AND EXISTS (
                        SELECT 1
                          FROM cluster_hour_link link
                          JOIN account_analytic_line hour ON hour.id = link.hour_id
                          JOIN cluster_agreement agreement
                            ON agreement.id = hour.agreement_id
                         WHERE link.move_line_id = cost.move_line_id
                           AND link.kind = 'bill'
                           AND agreement.buyer_kind IN ('member', 'external')
                   )
                 GROUP BY cost.account_id
                """,
                accounts=self.account_id.ids,
                date_from=date_from,
                date_to=date_to,
            )
        )
        for account_id, cost in self.env.cr.fetchall():
            excluded[account_id] = excluded.get(account_id, 0.0) + cost
        return excluded
