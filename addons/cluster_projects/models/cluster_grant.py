# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import math

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class ClusterGrant(models.Model):
    """Public (or private) funding granted to a joint project by a funder."""

    _name = "cluster.grant"
    _description = "Joint Project Grant"
    _inherit = ["mail.thread", "mail.activity.mixin", "cluster.finite.mixin"]
    _cluster_non_negative_fields = ("amount_granted",)
    _cluster_percent_fields = ("max_public_share",)
    _order = "project_id, date_from, id"

    name = fields.Char(string="Reference", required=True, tracking=True)
    project_id = fields.Many2one(
        "project.project",
        required=True,
        ondelete="cascade",
        index=True,
        domain=[("is_joint_project", "=", True)],
        tracking=True,
    )
    company_id = fields.Many2one(related="project_id.company_id", store=True)
    currency_id = fields.Many2one(related="project_id.currency_id")
    funder_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        domain=[("cluster_is_funder", "=", True)],
        tracking=True,
    )
    funder_type = fields.Selection(related="funder_id.cluster_funder_type", store=True)
    programme = fields.Char(help="Funding programme or call, e.g. the regional growth programme.")
    amount_granted = fields.Monetary(
        string="Granted amount", currency_field="currency_id", tracking=True
    )
    max_public_share = fields.Float(
        string="Max public share (%)",
        digits=(5, 2),
        default=50.0,
        help="Aid intensity: the highest share of eligible cost this grant may " "finance.",
        tracking=True,
    )
    indirect_rate_pct = fields.Float(
        string="Flat-rate indirect costs (%)",
        digits=(5, 2),
        help="Indirect costs at a flat rate of a basis (the EU's simplified cost options), "
        "e.g. 15 % of direct staff costs. Counted as an eligible cost line of its own, "
        "never booked in the ledger.",
        tracking=True,
    )
    indirect_basis = fields.Selection(
        [("staff", "Direct staff costs"), ("direct", "All direct costs")],
        string="Flat rate basis",
        tracking=True,
    )
    date_from = fields.Date(string="Eligible from", required=True, tracking=True)
    date_to = fields.Date(string="Eligible to", required=True, tracking=True)
    report_frequency = fields.Selection(
        [
            ("quarterly", "Quarterly"),
            ("half_yearly", "Half-yearly"),
            ("yearly", "Yearly"),
        ],
        string="Reporting frequency",
        default="half_yearly",
        help="Used to schedule the reporting deadlines as activities on the grant.",
    )
    claim_ids = fields.One2many("cluster.grant.claim", "grant_id", string="Payment claims")
    amount_claimed = fields.Monetary(
        string="Claimed", compute="_compute_claim_totals", currency_field="currency_id"
    )
    amount_received = fields.Monetary(
        string="Received", compute="_compute_claim_totals", currency_field="currency_id"
    )

    _sql_constraints = [
        (
            "amount_granted_positive",
            "CHECK(amount_granted >= 0)",
            "A granted amount can't be negative.",
        ),
        (
            "max_public_share_range",
            "CHECK(max_public_share >= 0 AND max_public_share <= 100)",
            "The maximum public share is between 0 and 100 %.",
        ),
        (
            "period_order",
            "CHECK(date_from <= date_to)",
            "An eligible period must end after it starts.",
        ),
    ]

    @api.depends("claim_ids.amount_claimed", "claim_ids.amount_received")
    def _compute_claim_totals(self):
        groups = self.env["cluster.grant.claim"]._read_group(
            [("grant_id", "in", self.ids)],
            ["grant_id"],
            ["amount_claimed:sum", "amount_received:sum"],
        )
        totals = {grant.id: (claimed, received) for grant, claimed, received in groups}
        for grant in self:
            grant.amount_claimed, grant.amount_received = totals.get(grant.id, (0.0, 0.0))

    @api.constrains("amount_granted", "max_public_share")
    def _check_amounts(self):
        for grant in self:
            if not math.isfinite(grant.amount_granted or 0.0) or grant.amount_granted < 0:
                raise ValidationError(
                    self.env._(
                        "The granted amount of %(grant)s must be a finite amount of "
                        "zero or more.",
                        grant=grant.name,
                    )
                )
            if not math.isfinite(grant.max_public_share) or not 0 <= grant.max_public_share <= 100:
                raise ValidationError(
                    self.env._(
                        "The maximum public share of %(grant)s must be between 0 and " "100 %%.",
                        grant=grant.name,
                    )
                )

    @api.constrains("indirect_rate_pct", "indirect_basis")
    def _check_indirect_rate(self):
        for grant in self:
            rate = grant.indirect_rate_pct
            if not math.isfinite(rate) or not 0 <= rate <= 100:
                raise ValidationError(
                    self.env._(
                        "The flat rate for indirect costs of %(grant)s must be between 0 "
                        "and 100 %% (not %(rate)s).",
                        grant=grant.name,
                        rate=rate,
                    )
                )
            if rate and not grant.indirect_basis:
                raise ValidationError(
                    self.env._(
                        "Grant %(grant)s has a flat rate of %(rate).2f %% for indirect "
                        "costs but no basis: choose direct staff costs or all direct "
                        "costs.",
                        grant=grant.name,
                        rate=rate,
                    )
                )

    def _cluster_indirect_cost(self, staff_cost, direct_cost):
        """The flat-rate indirect costs this grant allows on the given direct costs."""
        self.ensure_one()
        if not self.indirect_rate_pct or not self.indirect_basis:
            return 0.0
        basis = staff_cost if self.indirect_basis == "staff" else direct_cost
        return self.currency_id.round(basis * self.indirect_rate_pct / 100.0)

    @api.constrains("date_from", "date_to", "project_id")
    def _check_period(self):
        for grant in self:
            if grant.date_from > grant.date_to:
                raise ValidationError(
                    self.env._(
                        "The eligible period of %(grant)s ends before it starts.",
                        grant=grant.name,
                    )
                )
            project = grant.project_id
            if (project.date_start and grant.date_from < project.date_start) or (
                project.date and grant.date_to > project.date
            ):
                raise ValidationError(
                    self.env._(
                        "The eligible period of %(grant)s (%(start)s to %(end)s) lies "
                        "outside the project's "
                        "dates (%(pstart)s to %(pend)s).",
                        grant=grant.name,
                        start=grant.date_from,
                        end=grant.date_to,
                        pstart=project.date_start or "-",
                        pend=project.date or "-",
                    )
                )

    @api.constrains("funder_id")
    def _check_funder(self):
        for grant in self:
            if not grant.funder_id.cluster_is_funder:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is not marked as a funder.",
                        partner=grant.funder_id.display_name,
                    )
                )

    def _cluster_is_public(self):
        """Public money unless the funder is a private foundation or company."""
        self.ensure_one()
        return self.funder_type != "private"

    def _cluster_report_deadlines(self):
        """Reporting periods of the grant; a report is due a month after each."""
        self.ensure_one()
        step = {"quarterly": 3, "half_yearly": 6, "yearly": 12}.get(self.report_frequency)
        if not step:
            return []
        deadlines = []
        start = self.date_from
        while start <= self.date_to:
            end = min(start + relativedelta(months=step, days=-1), self.date_to)
            deadlines.append((start, end, end + relativedelta(months=1)))
            start = end + relativedelta(days=1)
        return deadlines

    def action_schedule_report_deadlines(self):
        """Plan one 'funder report' activity per reporting period that has none yet."""
        self.check_access("write")
        activity_type = self.env.ref("cluster_projects.mail_activity_type_funder_report")
        for grant in self:
            if not grant.report_frequency:
                raise UserError(
                    self.env._(
                        "Choose a reporting frequency on %(grant)s first.",
                        grant=grant.name,
                    )
                )
            existing = set(
                grant.activity_ids.filtered(lambda a: a.activity_type_id == activity_type).mapped(
                    "date_deadline"
                )
            )
            user = grant.project_id.user_id or self.env.user
            for start, end, deadline in grant._cluster_report_deadlines():
                if deadline in existing:
                    continue
                grant.activity_schedule(
                    activity_type_id=activity_type.id,
                    date_deadline=deadline,
                    summary=self.env._("Funder report %(start)s to %(end)s", start=start, end=end),
                    user_id=user.id,
                )
        return True
