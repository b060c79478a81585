# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# BAS 2083 "Medlemsinsatser": the members' paid-in contributions of an economic association
CONTRIBUTION_ACCOUNT_CODE = "2083"
CONTRIBUTION_ACCOUNT_TYPES = ("equity", "liability_non_current", "liability_current")


class ResCompany(models.Model):
    _inherit = "res.company"

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


class ResCompanyNotice(models.Model):
    """The notice window of general meetings, as the statutes set it.

    Defaults: lagen (2018:672) om ekonomiska föreningar, 6 kap. 17 § (ordinary meeting: at the
    earliest six weeks, at the latest four weeks before; the statutes may allow a later
    notice, down to two weeks) and 18 § (extra meeting: six to two weeks before; at the
    latest four weeks when it deals with a change of the statutes, a liquidation or a
    merger, which the statutes too may bring down to two weeks).
    """

    _inherit = "res.company"

    cluster_notice_earliest_days = fields.Integer(
        string="Notice at the earliest (days before)", default=42
    )
    cluster_notice_latest_days = fields.Integer(
        string="Notice at the latest, annual meeting (days before)", default=28
    )
    cluster_notice_latest_days_extra = fields.Integer(
        string="Notice at the latest, extra meeting (days before)", default=14
    )

    @api.constrains(
        "cluster_notice_earliest_days",
        "cluster_notice_latest_days",
        "cluster_notice_latest_days_extra",
    )
    def _check_cluster_notice_window(self):
        for company in self:
            latest = (company.cluster_notice_latest_days, company.cluster_notice_latest_days_extra)
            earliest = company.cluster_notice_earliest_days
            if min(latest) < 14 or earliest > 42 or earliest < max(latest):
                raise ValidationError(
                    self.env._(
                        "The notice window is wrong: the act allows a notice at the earliest "
                        "six weeks (42 days) and at the latest two weeks (14 days) before the "
                        "meeting, and the earliest day must come before the latest ones."
                    )
                )
