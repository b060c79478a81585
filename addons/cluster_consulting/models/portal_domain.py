# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What a portal user lists of each expert-time model: ``_cluster_get_portal_domain()``.

Like ``hr_timesheet``'s ``_timesheet_get_portal_domain``: the domain of the records the
logged-in portal user may read, built from the user's roles
(``res.users._cluster_get_roles``) and written to give the same records as the portal
record rules of ``security/`` (tested per role in ``tests/test_portal_domains.py``).
The portal pages search with it (narrowed further where a page shows less, e.g. the
firm's own experts); the rules stay the guard. The statements' one is on
``cluster.settlement.report.balance`` (report/).
"""

# The models' portal domains sit together, next to the rules they mirror.
# pylint: disable=consider-merging-classes-inherited
from odoo import api, models
from odoo.osv import expression

from odoo.addons.cluster_base.models.res_users import ROLE_SIGNATORY


class ClusterAgreement(models.Model):
    _inherit = "cluster.agreement"

    @api.model
    def _cluster_get_portal_domain(self):
        """The user's own agreements as an expert of their firm; as its signatory,
        every agreement the firm lends or buys."""
        user = self.env.user
        firm = user.commercial_partner_id
        parts = [[("expert_id.user_id", "=", user.id), ("lender_id", "=", firm.id)]]
        if user._cluster_has_role(firm, ROLE_SIGNATORY):
            parts += [[("lender_id", "=", firm.id)], [("buyer_id", "=", firm.id)]]
        return expression.OR(parts)


class ClusterExpert(models.Model):
    _inherit = "cluster.expert"

    @api.model
    def _cluster_get_portal_domain(self):
        """The user's own expert row at their firm; as its signatory, the firm's
        experts and the experts visible to members (the directory)."""
        user = self.env.user
        firm = user.commercial_partner_id
        parts = [[("user_id", "=", user.id), ("employer_id", "=", firm.id)]]
        if user._cluster_has_role(firm, ROLE_SIGNATORY):
            parts += [[("employer_id", "=", firm.id)], [("visible_to_members", "=", True)]]
        return expression.OR(parts)


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    @api.model
    def _cluster_get_portal_domain(self):
        """Bought-out hours: the user's own as an expert of the lending firm; as its
        signatory, every hour the firm lends or buys."""
        user = self.env.user
        firm = user.commercial_partner_id
        parts = [
            [
                ("agreement_id.expert_id.user_id", "=", user.id),
                ("cluster_lender_id", "=", firm.id),
            ]
        ]
        if user._cluster_has_role(firm, ROLE_SIGNATORY):
            parts += [[("cluster_lender_id", "=", firm.id)], [("cluster_buyer_id", "=", firm.id)]]
        return expression.AND([[("agreement_id", "!=", False)], expression.OR(parts)])
