# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmLead(models.Model):
    """Opportunities of cluster development: recruiting members, establishments, markets."""

    _inherit = "crm.lead"

    cluster_opportunity_kind = fields.Selection(
        [
            ("recruit_member", "Recruit a member"),
            ("establishment", "Establishment near the cluster"),
            ("joint_market", "Joint market opportunity"),
            ("internationalisation", "Internationalisation"),
            ("growth_commitment", "Member's growth commitment"),
        ],
        string="Cluster opportunity",
        index=True,
        tracking=True,
    )
    cluster_interested_partner_ids = fields.Many2many(
        "res.partner",
        "crm_lead_cluster_interested_partner_rel",
        "lead_id",
        "partner_id",
        string="Interested member firms",
        domain=[("is_company", "=", True)],
    )
    cluster_membership_type_id = fields.Many2one(
        "cluster.membership.type", string="Intended membership type"
    )
    cluster_membership_ids = fields.One2many(
        "cluster.membership", "lead_id", string="Membership applications"
    )
    cluster_can_create_membership = fields.Boolean(
        compute="_compute_cluster_can_create_membership"
    )

    @api.depends("cluster_opportunity_kind", "stage_id.is_won", "active", "cluster_membership_ids")
    def _compute_cluster_can_create_membership(self):
        for lead in self:
            lead.cluster_can_create_membership = (
                lead.cluster_opportunity_kind == "recruit_member"
                and lead._cluster_is_won()
                and not lead.cluster_membership_ids
            )

    def _cluster_is_won(self):
        self.ensure_one()
        return self.active and self.stage_id.is_won

    def _cluster_get_firm(self):
        self.ensure_one()
        firm = self.partner_id.commercial_partner_id
        if firm and firm.is_company:
            return firm
        if firm and not firm.is_company:
            raise UserError(
                self.env._("The customer of %(lead)s must be a firm (a company).", lead=self.name)
            )
        if not self.partner_name:
            raise UserError(
                self.env._(
                    "Set the firm (customer or company name) of %(lead)s first.", lead=self.name
                )
            )
        return self.env["res.partner"].create(
            self._prepare_customer_values(self.partner_name, is_company=True)
        )

    def _cluster_prepare_membership_vals(self, firm):
        self.ensure_one()
        mtype = self.cluster_membership_type_id or self.env["cluster.membership.type"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        if not mtype:
            raise UserError(self.env._("Create a membership type first."))
        return {
            "partner_id": firm.id,
            "membership_type_id": mtype.id,
            "lead_id": self.id,
            "user_id": (self.user_id or self.env.user).id,
            "company_id": (self.company_id or self.env.company).id,
        }

    def action_cluster_create_membership(self):
        """Turn a won 'recruit a member' opportunity into a membership application."""
        self.ensure_one()
        if self.cluster_opportunity_kind != "recruit_member" or not self._cluster_is_won():
            raise UserError(
                self.env._("Only a won 'recruit a member' opportunity becomes an application.")
            )
        if self.cluster_membership_ids:
            raise UserError(self.env._("This opportunity already has a membership application."))
        self.env["cluster.membership"].check_access("create")
        firm = self._cluster_get_firm()
        if not self.partner_id:
            self.partner_id = firm
        membership = self.env["cluster.membership"].create(
            self._cluster_prepare_membership_vals(firm)
        )
        if not (membership.intent_required and not firm.cluster_intent_date):
            membership.action_apply()
        return {
            "type": "ir.actions.act_window",
            "res_model": "cluster.membership",
            "res_id": membership.id,
            "views": [(False, "form")],
        }
