# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmLead(models.Model):
    _inherit = "crm.lead"

    cluster_project_ids = fields.One2many(
        "project.project", "cluster_lead_id", string="Joint projects"
    )
    cluster_can_create_project = fields.Boolean(
        string="Can become a joint project",
        compute="_compute_cluster_can_create_project",
    )

    @api.depends("stage_id.is_won", "cluster_opportunity_kind", "cluster_project_ids")
    def _compute_cluster_can_create_project(self):
        for lead in self:
            lead.cluster_can_create_project = lead._cluster_is_convertible()

    def _cluster_is_convertible(self):
        self.ensure_one()
        if not self.stage_id.is_won or self.cluster_project_ids:
            return False
        return self.cluster_opportunity_kind == "joint_market"

    def _cluster_prepare_project_vals(self):
        self.ensure_one()
        firm = self.partner_id.commercial_partner_id
        vals = {
            "name": self.name,
            "is_joint_project": True,
            "cluster_lead_id": self.id,
            "cluster_stage": "idea",
            "user_id": self.user_id.id or self.env.user.id,
            "company_id": (self.company_id or self.env.company).id,
        }
        if firm.is_company:
            vals["cluster_participant_ids"] = [
                fields.Command.create({"partner_id": firm.id, "role": "lead", "cost_share": 100.0})
            ]
        return vals

    def action_cluster_create_joint_project(self):
        """Turn a won joint-market opportunity into a joint project, in one click."""
        self.ensure_one()
        self.env["project.project"].check_access("create")
        if not self._cluster_is_convertible():
            raise UserError(
                self.env._(
                    "Only a won joint-market opportunity without a joint project can "
                    "be converted."
                )
            )
        project = self.env["project.project"].create(self._cluster_prepare_project_vals())
        return {
            "type": "ir.actions.act_window",
            "res_model": "project.project",
            "res_id": project.id,
            "view_mode": "form",
        }
