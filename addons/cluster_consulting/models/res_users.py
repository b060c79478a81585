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
