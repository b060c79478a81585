# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        # A signatory invited with Odoo's portal-access wizard gets the signatory rights.
        users.partner_id.filtered("cluster_is_signatory")._cluster_sync_signatory_group()
        return users

    def write(self, vals):
        res = super().write(vals)
        # Granting or revoking portal access (the portal wizard) or archiving a login
        # re-decides the signatory group; the sync's own writes don't come back here.
        if ("active" in vals or "groups_id" in vals) and not self.env.context.get(
            "cluster_signatory_sync"
        ):
            self.partner_id._cluster_sync_signatory_group()
        return res
