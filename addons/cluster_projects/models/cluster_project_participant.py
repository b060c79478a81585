# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import math

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# Funder formula: an hour of a person is worth the yearly employment cost over 1 720 hours.
FUNDER_YEARLY_HOURS = 1720.0

# A firm's money in a joint project: internal users and the firm's signatory only. Its
# other portal logins (experts, plain contacts) read the participation without it.
MONEY_GROUPS = "base.group_user,cluster_base.cluster_base_group_signatory"


class ClusterProjectParticipant(models.Model):
    """A member firm taking part in a joint project, with its share and commitments."""

    _name = "cluster.project.participant"
    _inherit = ["cluster.finite.mixin", "cluster.project.audit.mixin"]
    _cluster_non_negative_fields = (
        "committed_cash",
        "committed_hours",
        "hourly_value",
        "average_monthly_salary",
    )
    _cluster_percent_fields = ("cost_share",)
    _cluster_audit_fields = (
        "role",
        "cost_share",
        "committed_cash",
        "committed_hours",
        "valuation_method",
        "hourly_value",
        "average_monthly_salary",
    )
    _description = "Joint Project Participant"
    _order = "project_id, role, id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Firm",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("is_company", "=", True)],
    )
    company_id = fields.Many2one(related="project_id.company_id", store=True)
    currency_id = fields.Many2one(related="project_id.currency_id")
    role = fields.Selection(
        [("lead", "Lead partner"), ("participant", "Participant")],
        required=True,
        default="participant",
    )
    cost_share = fields.Float(
        string="Cost share (%)",
        digits=(5, 2),
        groups=MONEY_GROUPS,
        help="Share of the project's cash costs.",
    )
    committed_cash = fields.Monetary(
        string="Committed cash", currency_field="currency_id", groups=MONEY_GROUPS
    )
    committed_hours = fields.Float(string="Committed in-kind hours")
    valuation_method = fields.Selection(
        [("hourly_value", "Agreed hourly value"), ("salary", "Salary formula")],
        string="In-kind valuation",
        required=True,
        default="hourly_value",
        help="Agreed hourly value: each in-kind hour counts at the hourly value below. "
        "Salary formula: monthly salary x 12 / 1720 hours of the person who logged it "
        "(else the firm's average monthly salary); committed hours are valued the same "
        "way in the plan.",
    )
    hourly_value = fields.Monetary(
        string="Hourly value", currency_field="currency_id", groups=MONEY_GROUPS
    )
    committed_employee_id = fields.Many2one(
        "hr.employee",
        string="Committed person",
        help="The person whose hours the firm commits. Under the salary formula the plan "
        "values the committed hours from this person's monthly salary.",
    )
    average_monthly_salary = fields.Monetary(
        string="Average monthly salary",
        currency_field="currency_id",
        groups=MONEY_GROUPS,
        help="The firm's stated average monthly salary of the people it commits. Under the "
        "salary formula it values the committed hours when no person is named (or the "
        "person has no salary), and the hours of a person without a monthly salary.",
    )
    # Limits the funder sets per beneficiary (0 = none)
    max_aid_amount = fields.Monetary(
        string="Max aid amount",
        currency_field="currency_id",
        groups=MONEY_GROUPS,
        help="The most public funding this firm may receive in the project (its cost "
        "share of the amounts claimed on public grants); 0 for no limit.",
    )
    max_aid_intensity = fields.Float(
        string="Max aid intensity (%)",
        digits=(5, 2),
        help="The highest share of the firm's eligible cost (its cost share of the "
        "project's eligible cost) public funding may cover; 0 for no limit.",
    )
    # Actuals (not stored: read in one _read_group per batch)
    in_kind_hours = fields.Float(compute="_compute_actuals", string="In-kind hours")
    in_kind_value = fields.Monetary(
        string="In-kind value",
        compute="_compute_actuals",
        currency_field="currency_id",
        groups=MONEY_GROUPS,
    )
    cash_received = fields.Monetary(
        string="Cash received",
        compute="_compute_actuals",
        currency_field="currency_id",
        groups=MONEY_GROUPS,
        help="Payments received on the project's invoices to the firm (the project's "
        "share of each), by payment date.",
    )
    cash_open = fields.Monetary(
        string="Invoiced, not paid",
        compute="_compute_actuals",
        currency_field="currency_id",
        groups=MONEY_GROUPS,
        help="The project's share of the firm's invoices still open.",
    )
    is_behind = fields.Boolean(
        compute="_compute_actuals",
        string="Behind commitment",
        help="The cash received or the in-kind hours logged are below the commitment.",
    )

    _sql_constraints = [
        (
            "project_partner_uniq",
            "unique(project_id, partner_id)",
            "A firm takes part in a project only once.",
        ),
        (
            "cost_share_range",
            "CHECK(cost_share >= 0 AND cost_share <= 100)",
            "A cost share is between 0 and 100 %.",
        ),
        (
            "committed_cash_positive",
            "CHECK(committed_cash >= 0)",
            "Committed cash can't be negative.",
        ),
        (
            "committed_hours_positive",
            "CHECK(committed_hours >= 0)",
            "Committed hours can't be negative.",
        ),
        (
            "hourly_value_positive",
            "CHECK(hourly_value >= 0)",
            "An hourly value can't be negative.",
        ),
        (
            "average_monthly_salary_positive",
            "CHECK(average_monthly_salary >= 0)",
            "An average monthly salary can't be negative.",
        ),
    ]

    @api.depends("project_id", "partner_id", "committed_cash", "committed_hours")
    def _compute_actuals(self):
        data = self.project_id._cluster_cofinancing_data()
        for participant in self:
            values = (
                data.get(participant.project_id.id, {})
                .get("participants", {})
                .get(participant.id, {})
            )
            participant.in_kind_hours = values.get("hours", 0.0)
            participant.in_kind_value = values.get("in_kind", 0.0)
            participant.cash_received = values.get("cash", 0.0)
            participant.cash_open = values.get("cash_open", 0.0)
            participant.is_behind = values.get("behind", False)

    @api.constrains(
        "cost_share",
        "committed_cash",
        "committed_hours",
        "hourly_value",
        "average_monthly_salary",
    )
    def _check_amounts(self):
        for participant in self:
            if not 0 <= participant.cost_share <= 100 or not math.isfinite(participant.cost_share):
                raise ValidationError(
                    self.env._(
                        "The cost share of %(firm)s must be between 0 and 100 %%.",
                        firm=participant.partner_id.display_name,
                    )
                )
            for value in (
                participant.committed_cash,
                participant.committed_hours,
                participant.hourly_value,
                participant.average_monthly_salary,
            ):
                if not math.isfinite(value or 0.0) or value < 0:
                    raise ValidationError(
                        self.env._(
                            "Committed cash, committed hours, the hourly value and the "
                            "average monthly salary of %(firm)s must be finite and zero or "
                            "more.",
                            firm=participant.partner_id.display_name,
                        )
                    )

    @api.constrains("cost_share", "max_aid_amount", "max_aid_intensity")
    def _check_aid_limits(self):
        for participant in self:
            if not math.isfinite(participant.max_aid_amount or 0.0) or not (
                participant.max_aid_amount >= 0 and 0 <= participant.max_aid_intensity <= 100
            ):
                raise ValidationError(
                    self.env._(
                        "The maximum aid amount of %(firm)s must be zero or more and its "
                        "maximum aid intensity between 0 and 100 %%.",
                        firm=participant.partner_id.display_name,
                    )
                )
        self.project_id._cluster_check_aid_limits()

    @api.constrains("valuation_method", "average_monthly_salary")
    def _check_salary_basis(self):
        """A firm moving to the salary formula (or dropping its average salary) while
        people without a monthly salary have in-kind hours not yet claimed: refused,
        their hours would be worth 0."""
        salary = self.filtered(
            lambda p: p.valuation_method == "salary" and not p.average_monthly_salary
        )
        if not salary:
            return
        hours = (
            self.env["account.analytic.line"]
            .sudo()
            .search(
                [
                    ("project_id", "in", salary.project_id.ids),
                    ("cluster_member_id", "in", salary.partner_id.ids),
                    ("cluster_hour_use", "=", "in_kind"),
                    ("cluster_value_claim_id", "=", False),
                    ("employee_id.cluster_monthly_salary", "=", False),
                    ("unit_amount", "!=", 0.0),
                ],
                limit=1,
            )
        )
        if hours:
            participant = hours._cluster_participant()
            raise ValidationError(participant._cluster_missing_salary(hours.employee_id))

    @api.constrains("partner_id")
    def _check_partner_is_company(self):
        for participant in self:
            if not participant.partner_id.is_company:
                raise ValidationError(
                    self.env._(
                        "%(name)s is not a firm: only companies take part in joint " "projects.",
                        name=participant.partner_id.display_name,
                    )
                )

    @api.constrains("role", "project_id")
    def _check_one_lead(self):
        for project in self.project_id:
            if len(project.cluster_participant_ids.filtered(lambda p: p.role == "lead")) > 1:
                raise ValidationError(
                    self.env._(
                        "Project %(project)s has more than one lead partner.",
                        project=project.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Valuation of an in-kind hour: one rule for the plan and the actuals
    # ------------------------------------------------------------------
    def _cluster_payroll_overhead_pct(self, employee=None, day=None):
        """Employer contributions (%) added to a salary: the firm's rate for the year of
        ``day`` (the hour's date; the project's start for committed hours)."""
        self.ensure_one()
        day = day or self.project_id.date_start
        return self.partner_id._cluster_payroll_overhead_pct(day)

    def _cluster_hour_basis(self, employee=None, day=None):
        """How one in-kind hour of ``employee`` (or a committed hour) of this firm is valued.

        Agreed hourly value: the participant's ``hourly_value``. Salary formula: monthly
        salary x 12 x (1 + employer contributions %) / 1 720, the monthly salary being the
        person's (``employee``), else the firm's stated average monthly salary. The same
        method values logged hours and committed hours, so plan and actuals agree.

        Returns a dict with ``basis``, ``hourly_rate``, ``monthly_salary``,
        ``payroll_pct`` and ``yearly_hours``: the figures a claim freezes.
        """
        self.ensure_one()
        participant = self.sudo()  # salaries and rates are read to value, never shown
        if participant.valuation_method != "salary":
            return {
                "basis": "hourly_value",
                "hourly_rate": participant.hourly_value,
                "monthly_salary": 0.0,
                "payroll_pct": 0.0,
                "yearly_hours": 0.0,
            }
        salary = (employee and employee.sudo().cluster_monthly_salary) or 0.0
        basis = "salary"
        if not salary:
            salary = participant.average_monthly_salary
            basis = "average_salary"
        payroll_pct = participant._cluster_payroll_overhead_pct(employee, day)
        return {
            "basis": basis,
            "hourly_rate": salary * 12.0 * (1.0 + payroll_pct / 100.0) / FUNDER_YEARLY_HOURS,
            "monthly_salary": salary,
            "payroll_pct": payroll_pct,
            "yearly_hours": FUNDER_YEARLY_HOURS,
        }

    def _cluster_missing_salary(self, employee=None):
        """The message when the salary formula has no monthly salary to value an hour of
        ``employee`` (or a committed hour): neither the person's nor the firm's average;
        False when the hour can be valued."""
        self.ensure_one()
        participant = self.sudo()
        if participant.valuation_method != "salary" or participant.average_monthly_salary:
            return False
        if employee and employee.sudo().cluster_monthly_salary:
            return False
        if employee:
            return self.env._(
                "%(firm)s values its in-kind hours in %(project)s with the salary formula, "
                "but %(person)s has no monthly salary and the firm no average monthly "
                "salary: the hours would be worth 0. Enter one of them, or let the firm "
                "use an agreed hourly value.",
                firm=self.partner_id.display_name,
                project=self.project_id.display_name,
                person=employee.name,
            )
        return self.env._(
            "The %(hours).2f committed hours of %(firm)s in %(project)s can't be valued: "
            "the firm uses the salary formula but has no average monthly salary (nor a "
            "committed person with a monthly salary).",
            hours=self.committed_hours,
            firm=self.partner_id.display_name,
            project=self.project_id.display_name,
        )

    def _cluster_value_hours(self, hours, employee=None):
        """The value of ``hours`` in-kind hours of ``employee``, rounded with the currency."""
        self.ensure_one()
        value = self._cluster_hour_basis(employee)["hourly_rate"] * hours
        return self.currency_id.round(value) if self.currency_id else value

    def _cluster_committed_value(self):
        """The committed in-kind hours valued with the same rule as logged hours."""
        self.ensure_one()
        return self._cluster_value_hours(self.committed_hours, self.committed_employee_id)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_kind_hours(self):
        """A firm whose in-kind hours are counted stays on the project."""
        groups = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("project_id", "in", self.project_id.ids),
                    ("cluster_member_id", "in", self.partner_id.ids),
                    ("cluster_hour_use", "=", "in_kind"),
                ],
                ["project_id", "cluster_member_id"],
                ["__count"],
            )
        )
        counted = {(project.id, firm.id) for project, firm, _count in groups}
        for participant in self:
            if (participant.project_id.id, participant.partner_id.id) in counted:
                raise UserError(
                    self.env._(
                        "%(firm)s has in-kind hours on %(project)s and can't be "
                        "removed from it.",
                        firm=participant.partner_id.display_name,
                        project=participant.project_id.display_name,
                    )
                )

    def _cluster_audit_label(self):
        self.ensure_one()
        return self.env._("Participant %(firm)s", firm=self.partner_id.display_name)
