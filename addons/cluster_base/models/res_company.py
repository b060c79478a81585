# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# BAS 2083 "Medlemsinsatser": the members' paid-in contributions of an economic association
CONTRIBUTION_ACCOUNT_CODE = "2083"
CONTRIBUTION_ACCOUNT_TYPES = ("equity", "liability_non_current", "liability_current")


class ResCompany(models.Model):
    _inherit = "res.company"

    # Every login of the company, all member firms' portal users among them: not for
    # portal users (SECURITY.md, related records across the firm boundary).
    user_ids = fields.Many2many(groups="base.group_user")

    cluster_contribution_account_id = fields.Many2one(
        "account.account",
        string="Members' contributions account",
        check_company=True,
        domain=[("account_type", "in", CONTRIBUTION_ACCOUNT_TYPES)],
        help="Account credited by capital contribution invoices and debited by their "
        "repayment. Empty: the account with code 2083 (BAS: Medlemsinsatser) when the "
        "chart has one, else the contribution product's income account.",
    )

    @api.constrains("cluster_contribution_account_id")
    def _check_cluster_contribution_account(self):
        for company in self:
            account = company.cluster_contribution_account_id
            if account and account.account_type not in CONTRIBUTION_ACCOUNT_TYPES:
                raise ValidationError(
                    self.env._(
                        "A capital contribution is the members' capital, not revenue: choose "
                        "an equity or liability account for it, not %(account)s.",
                        account=account.display_name,
                    )
                )

    def _cluster_contribution_account(self):
        """The account of capital contributions for this company (may be empty)."""
        self.ensure_one()
        if self.cluster_contribution_account_id:
            return self.cluster_contribution_account_id
        return (
            self.env["account.account"]
            .sudo()
            .with_company(self)
            .search(
                [
                    *self.env["account.account"]._check_company_domain(self),
                    ("code", "=", CONTRIBUTION_ACCOUNT_CODE),
                    ("account_type", "in", CONTRIBUTION_ACCOUNT_TYPES),
                ],
                limit=1,
            )
        )
