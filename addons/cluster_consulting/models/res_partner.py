# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

SIGNATORY_GROUP = "cluster_consulting.cluster_consulting_group_signatory"


class ResPartner(models.Model):
    _inherit = "res.partner"

    cluster_is_signatory = fields.Boolean(
        string="Signatory",
        help="This contact signs on behalf of its firm, e.g. approves lending an expert. "
        "Its portal login gets the firm signatory's rights.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners.filtered("cluster_is_signatory")._cluster_sync_signatory_group()
        return partners

    def write(self, vals):
        res = super().write(vals)
        if "cluster_is_signatory" in vals or "parent_id" in vals or "active" in vals:
            self._cluster_sync_signatory_group()
        return res

    def _cluster_sync_signatory_group(self):
        """Portal logins of signatory contacts hold the signatory group, and only they.

        A contact that stops being a signatory, moves to another firm or is archived
        loses the group (and with it the firm's agreements) at once.
        """
        group = self.env.ref(SIGNATORY_GROUP, raise_if_not_found=False)
        if not group:
            return
        # sudo: group membership follows the contact's role, which the caller may set
        # (a cluster manager) without rights on res.users; only portal users are touched.
        users = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", self.ids), ("share", "=", True)])
        )
        grant = users.filtered(
            lambda u: u.active and u.partner_id.cluster_is_signatory and u.partner_id.active
        )
        revoke = users - grant
        # written from the users' side: removing users on the group's side is not kept
        if grant:
            grant.write({"groups_id": [fields.Command.link(group.id)]})
        if revoke:
            revoke.write({"groups_id": [fields.Command.unlink(group.id)]})
