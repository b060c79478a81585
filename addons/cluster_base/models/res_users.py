# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models

# The firm signatory's group: held by the portal logins of signatory contacts only
# (res.partner._cluster_sync_signatory_group). The one definition of its xmlid.
SIGNATORY_GROUP = "cluster_base.cluster_base_group_signatory"

# Roles of a user towards a firm (see ResUsers._cluster_get_roles).
ROLE_MEMBER = "member"  # any login of the firm: overview, joint projects (no money)
ROLE_SIGNATORY = "signatory"  # signs for the firm: everything of the firm
ROLE_EXPERT = "expert"  # an expert of the firm (cluster_consulting): own profile/hours


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

    # ------------------------------------------------------------------ roles
    def _cluster_get_roles(self):
        """The user's cluster roles per firm: ``{firm id: frozenset of ROLE_*}``.

        The one place that decides whether a user signs for a firm (or is its expert,
        added by cluster_consulting): the portal pages, the record checks of the models
        and the time API ask it. A user acts for one firm, their commercial partner;
        the public user has none. Extend ``_cluster_compute_roles`` to add a role.
        """
        self.ensure_one()
        if self._is_public():
            return {}
        firm = self.commercial_partner_id
        return {firm.id: frozenset(self._cluster_compute_roles(firm))}

    def _cluster_compute_roles(self, firm):
        """Set of the user's roles towards ``firm`` (their commercial partner); other
        addons extend it (``super()`` then add)."""
        roles = {ROLE_MEMBER}
        partner = self.partner_id
        # The flag and the group go together (res.partner._cluster_sync_signatory_group);
        # both are required, so neither alone opens the firm's money.
        if (
            partner.cluster_is_signatory
            and partner.parent_id
            and firm != partner
            and self.has_group(SIGNATORY_GROUP)
        ):
            roles.add(ROLE_SIGNATORY)
        return roles

    def _cluster_has_role(self, firm, role):
        """Whether the user holds ``role`` towards ``firm`` (a res.partner; any other
        firm, several firms or none: False)."""
        self.ensure_one()
        return len(firm) == 1 and role in self._cluster_get_roles().get(firm.id, ())
