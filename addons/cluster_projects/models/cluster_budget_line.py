# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

COST_CATEGORIES = [
    ("own_staff_in_kind", "Own staff (in-kind)"),
    ("association_staff", "Association staff"),
    ("bought_out", "Bought-out expert time"),
    ("external", "External services"),
    ("travel", "Travel"),
    ("premises", "Premises"),
    ("other", "Other"),
]
# Flat-rate indirect costs: a budget line of their own, never a ledger cost (no product,
# account or analytic line carries this category); their actual is the grant's flat
# rate on the actual direct (staff) costs of the line's period.
INDIRECT_CATEGORY = "indirect"
BUDGET_CATEGORIES = [*COST_CATEGORIES, (INDIRECT_CATEGORY, "Flat-rate indirect costs")]
# The direct staff costs a flat rate on staff costs applies to.
STAFF_CATEGORIES = ("own_staff_in_kind", "association_staff")


class ClusterBudgetLine(models.Model):
    """Planned cost of a joint project for one cost category and period.

    Actuals come from the analytic lines on the project's analytic account, each mapped
    to a cost category (see ``account.analytic.line._compute_cluster_cost_category``):
    in-kind hours count at their valued in-kind amount, every other line at its cost
    (the negative analytic amount, sign reversed).
    """

    _name = "cluster.budget.line"
    _inherit = ["cluster.finite.mixin", "cluster.project.audit.mixin"]
    _cluster_non_negative_fields = ("amount_planned",)
    _cluster_audit_fields = (
        "version_id",
        "category",
        "name",
        "date_from",
        "date_to",
        "amount_planned",
    )
    _description = "Joint Project Budget Line"
    _order = "project_id, date_from, category"

    version_id = fields.Many2one(
        "cluster.budget.version",
        string="Budget version",
        ondelete="cascade",
        index=True,
        domain="[('project_id', '=', project_id), ('state', '=', 'draft')]",
        help="The version of the budget this line belongs to; left empty, the project's "
        "draft version (a granted one is created for the first line).",
    )
    is_in_force = fields.Boolean(related="version_id.is_in_force", string="In force", store=False)
    company_id = fields.Many2one(related="project_id.company_id", store=True)
    currency_id = fields.Many2one(related="project_id.currency_id")
    category = fields.Selection(BUDGET_CATEGORIES, required=True, default="other")
    name = fields.Char(string="Description")
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    amount_planned = fields.Monetary(string="Planned", currency_field="currency_id")
    amount_actual = fields.Monetary(
        string="Actual", compute="_compute_amount_actual", currency_field="currency_id"
    )
    amount_variance = fields.Monetary(
        string="Variance",
        compute="_compute_amount_actual",
        currency_field="currency_id",
        help="Planned minus actual: negative when the actual cost passes the plan.",
    )
    is_over_plan = fields.Boolean(string="Over plan", compute="_compute_amount_actual")

    _sql_constraints = [
        (
            "amount_planned_positive",
            "CHECK(amount_planned >= 0)",
            "A planned amount can't be negative.",
        ),
        (
            "period_order",
            "CHECK(date_from <= date_to)",
            "A budget period must end after it starts.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        missing = {
            vals["project_id"]
            for vals in vals_list
            if vals.get("project_id") and not vals.get("version_id")
        }
        if missing:
            drafts = self.env["project.project"].browse(missing)._cluster_budget_draft_version()
            for vals in vals_list:
                if vals.get("project_id") and not vals.get("version_id"):
                    vals["version_id"] = drafts[vals["project_id"]].id
        lines = super().create(vals_list)
        lines._cluster_check_version_open()
        return lines

    def write(self, vals):
        self._cluster_check_version_open()
        result = super().write(vals)
        if "version_id" in vals or "project_id" in vals:
            self._cluster_check_version_open()
        return result

    def unlink(self):
        self._cluster_check_version_open()
        return super().unlink()

    def _cluster_check_version_open(self):
        for line in self:
            version = line.version_id
            if version.state == "approved":
                raise UserError(
                    self.env._(
                        "Budget version %(version)s of %(project)s is approved by the funder "
                        "and can't be changed: create a new amendment.",
                        version=version.name,
                        project=line.project_id.display_name,
                    )
                )
            if version and version.project_id != line.project_id:
                raise ValidationError(
                    self.env._(
                        "Budget version %(version)s belongs to another project than %(project)s.",
                        version=version.name,
                        project=line.project_id.display_name,
                    )
                )

    @api.depends("project_id", "category", "date_from", "date_to", "amount_planned")
    def _compute_amount_actual(self):
        actuals = self._cluster_get_actuals()
        for line in self:
            actual = actuals.get(line.id, 0.0)
            line.amount_actual = actual
            line.amount_variance = line.amount_planned - actual
            line.is_over_plan = line.currency_id.compare_amounts(actual, line.amount_planned) > 0

    def _cluster_get_actuals(self):
        """Return ``{budget_line_id: actual}``: ONE ``_read_group`` per batch."""
        lines = self.filtered(
            lambda b: b.id and b.project_id.account_id and b.date_from and b.date_to
        )
        if not lines:
            return {}
        accounts = lines.project_id.account_id
        date_min = min(lines.mapped("date_from"))
        date_max = max(lines.mapped("date_to"))
        # Month granularity when every period is made of whole months, else days.
        monthly = all(
            b.date_from.day == 1 and (b.date_to + timedelta(days=1)).day == 1 for b in lines
        )
        granularity = "date:month" if monthly else "date:day"
        # totals over every firm's hours: the budget line itself is what the user may
        # read
        groups = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("account_id", "in", accounts.ids),
                    ("date", ">=", date_min),
                    ("date", "<=", date_max),
                    "|",
                    "&",
                    ("amount", "<", 0),
                    ("category", "!=", "invoice"),  # customer credit notes are no cost
                    ("cluster_hour_use", "=", "in_kind"),
                ],
                ["account_id", "cluster_cost_category", granularity],
                ["amount:sum", "cluster_in_kind_value:sum"],
            )
        )
        actual, categories = self._cluster_actuals_by_period(groups)
        grants = defaultdict(list)
        if any(line.category == INDIRECT_CATEGORY for line in lines):
            for grant in (
                self.env["cluster.grant"]
                .sudo()
                .search([("project_id", "in", lines.project_id.ids)])
            ):
                grants[grant.project_id.id].append(grant)
        result = {}
        for line in lines:
            account_id = line.project_id.account_id.id
            date_from, date_to = line.date_from, line.date_to
            if line.category == INDIRECT_CATEGORY:
                by_category = {
                    category: actual(account_id, category, date_from, date_to)
                    for category in categories[account_id]
                }
                result[line.id] = line.project_id._cluster_indirect_on_actuals(
                    grants[line.project_id.id], by_category
                )
            else:
                result[line.id] = actual(account_id, line.category, date_from, date_to)
        return result

    @api.model
    def _cluster_actuals_by_period(self, groups):
        """From the ``(account, category, month or day, amount, in-kind value)`` groups:
        ``(actual, categories)``, where ``actual(account_id, category, date_from,
        date_to)`` is the cost of that category in the period (in-kind value for own
        staff in kind) and ``categories`` the categories of each account.

        Per (account, category) the months in order and their running total: a budget
        line's period is two bisections, whatever the number of budget lines."""
        series = defaultdict(list)
        for account, category, day, amount, in_kind in groups:
            category = category or "other"
            value = in_kind if category == "own_staff_in_kind" else -amount
            series[account.id, category].append((fields.Date.to_date(day), value))
        running = {}
        categories = defaultdict(list)
        for (account_id, category), points in series.items():
            points.sort()
            totals = [0.0]
            for _day, value in points:
                totals.append(totals[-1] + value)
            running[account_id, category] = ([day for day, _value in points], totals)
            categories[account_id].append(category)

        def actual(account_id, category, date_from, date_to):
            days, totals = running.get((account_id, category), ((), (0.0,)))
            return totals[bisect_right(days, date_to)] - totals[bisect_left(days, date_from)]

        return actual, categories

    @api.constrains("amount_planned")
    def _check_amount_planned(self):
        for line in self:
            if not math.isfinite(line.amount_planned or 0.0) or line.amount_planned < 0:
                raise ValidationError(
                    self.env._(
                        "The planned amount of a budget line must be a finite amount "
                        "of zero or more."
                    )
                )

    @api.constrains("date_from", "date_to", "project_id")
    def _check_period(self):
        for line in self:
            if line.date_from > line.date_to:
                raise ValidationError(self.env._("A budget period must end after it starts."))

    def _cluster_audit_label(self):
        self.ensure_one()
        category = dict(self._fields["category"]._description_selection(self.env))
        return self.env._(
            "Budget line %(category)s %(start)s–%(end)s",
            category=category.get(self.category, ""),
            start=self.date_from,
            end=self.date_to,
        )
