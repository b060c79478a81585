# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from .cluster_grant_claim import VALUE_BASES
from .cluster_project_participant import MONEY_GROUPS


class ClusterGrantClaimLine(models.Model):
    """An in-kind hour as a claim states it: its value and the figures it came from."""

    _name = "cluster.grant.claim.line"
    _description = "In-kind hour of a payment claim"
    _order = "claim_id, date, id"

    claim_id = fields.Many2one(
        "cluster.grant.claim", required=True, ondelete="cascade", index=True, readonly=True
    )
    line_id = fields.Many2one(
        "account.analytic.line",
        string="Hour",
        required=True,
        ondelete="restrict",
        index=True,
        readonly=True,
    )
    company_id = fields.Many2one(related="claim_id.company_id", store=True)
    currency_id = fields.Many2one(related="claim_id.currency_id")
    member_id = fields.Many2one("res.partner", string="Firm", readonly=True)
    employee_id = fields.Many2one("hr.employee", string="Person", readonly=True)
    date = fields.Date(readonly=True)
    hours = fields.Float(readonly=True)
    basis = fields.Selection(VALUE_BASES, string="Value basis", readonly=True)
    hourly_rate = fields.Float(
        string="Hourly rate", digits=(16, 6), readonly=True, groups=MONEY_GROUPS
    )
    monthly_salary = fields.Monetary(
        string="Monthly salary", currency_field="currency_id", readonly=True, groups=MONEY_GROUPS
    )
    payroll_pct = fields.Float(
        string="Employer contributions (%)", digits=(5, 2), readonly=True, groups=MONEY_GROUPS
    )
    yearly_hours = fields.Float(string="Yearly hours", readonly=True)
    value = fields.Monetary(currency_field="currency_id", readonly=True, groups=MONEY_GROUPS)
    value_before = fields.Monetary(
        string="Value claimed before",
        currency_field="currency_id",
        readonly=True,
        groups=MONEY_GROUPS,
        help="On a correction: the value of the hour in force before it.",
    )

    _sql_constraints = [
        (
            "claim_line_uniq",
            "unique(claim_id, line_id)",
            "An hour appears once in a claim.",
        ),
    ]

    def _cluster_figures(self):
        self.ensure_one()
        return {
            "basis": self.basis,
            "hourly_rate": self.hourly_rate,
            "monthly_salary": self.monthly_salary,
            "payroll_pct": self.payroll_pct,
            "yearly_hours": self.yearly_hours,
        }
