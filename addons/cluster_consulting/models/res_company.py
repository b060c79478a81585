# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# BAS 4600 "Legoarbeten och underentreprenader": work bought from others to be delivered
# onward, a direct cost of what the association sells (the hours go to a buying member or
# a joint project), so it stays in class 4 like the goods account 4000 it replaces.
EXPERT_TIME_ACCOUNT_CODE = "4600"
EXPERT_TIME_ACCOUNT_TYPES = ("expense_direct_cost", "expense")


class ResCompany(models.Model):
    _inherit = "res.company"

    cluster_agreement_decision_threshold = fields.Monetary(
        string="Agreement decision threshold",
        currency_field="currency_id",
        default=100000.0,
        help="An agreement whose hour cap times hourly rate exceeds this amount can only "
        "be activated with an adopted board decision.",
    )
    cluster_expert_retention_months = fields.Integer(
        string="Keep experts' data (months)",
        default=24,
        help="An expert whose last agreement ended this many months ago and who has not "
        "renewed their consent since is anonymised by a scheduled action (hours and "
        "invoices stay). 0 keeps them.",
    )
    cluster_expert_time_account_id = fields.Many2one(
        "account.account",
        string="Bought-out expert time account",
        check_company=True,
        domain=[("account_type", "in", EXPERT_TIME_ACCOUNT_TYPES)],
        help="Expense account of the hours on the settlement's vendor bills (the lending "
        "firms' self-billed invoices). Empty: the account with code 4600 (BAS: "
        "Legoarbeten och underentreprenader) when the chart has one, else the expert "
        "time product's expense account.",
    )

    @api.constrains("cluster_expert_time_account_id")
    def _check_cluster_expert_time_account(self):
        for company in self:
            account = company._cluster_wrong_type_account(
                "cluster_expert_time_account_id", EXPERT_TIME_ACCOUNT_TYPES
            )
            if account:
                raise ValidationError(
                    self.env._(
                        "Bought-out expert time is a purchase of services: choose an "
                        "expense account for it, not %(account)s.",
                        account=account.display_name,
                    )
                )

    def _cluster_expert_time_account(self):
        """The expense account of bought-out expert time for this company (may be empty:
        the product's own account then applies)."""
        return self._cluster_account_or_code(
            "cluster_expert_time_account_id", EXPERT_TIME_ACCOUNT_CODE, EXPERT_TIME_ACCOUNT_TYPES
        )
