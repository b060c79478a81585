# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import math
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# Agreements in these states hold (commit) the expert's released hours.
COMMITTED_STATES = ("requested", "lender_approved", "active", "closed")


def month_starts(date_from, date_to):
    """The first days of the calendar months a period touches."""
    month, last = date_from.replace(day=1), date_to.replace(day=1)
    months = [month]
    while month < last:
        month += relativedelta(months=1)
        months.append(month)
    return months


class ClusterExpert(models.Model):
    """A resource person of a member firm whose hours the association can buy out."""

    _name = "cluster.expert"
    _description = "Expert"
    _inherit = ["mail.thread", "mail.activity.mixin", "cluster.finite.mixin"]
    _order = "name, id"

    name = fields.Char(related="partner_id.name", store=True, index=True)
    active = fields.Boolean(default=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Person",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        domain="[('is_company', '=', False), ('parent_id', '!=', False)]",
        help="The person, a contact of the firm that employs them.",
    )
    employer_id = fields.Many2one(
        "res.partner",
        compute="_compute_employer_id",
        store=True,
        index=True,
        help="The firm that employs the expert and lends their hours.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    skill_ids = fields.One2many("cluster.expert.skill", "expert_id", string="Skills")
    lang_ids = fields.Many2many("res.lang", string="Languages")
    hourly_rate = fields.Monetary(
        tracking=True,
        groups="base.group_user,cluster_base.cluster_base_group_signatory",
        help="The rate the employer charges per hour of the expert.",
    )
    hours_per_month = fields.Float(
        string="Released hours per month",
        tracking=True,
        help="Hours per month the employer releases for agreements.",
    )
    visible_to_members = fields.Boolean(
        tracking=True, help="Other member firms may see this expert (opt-in)."
    )
    cv_file = fields.Binary(string="CV", attachment=True)
    cv_filename = fields.Char(string="CV file name")
    employee_id = fields.Many2one(
        "hr.employee",
        readonly=True,
        copy=False,
        index=True,
        help="The employee record in the association's company used for timesheets.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Portal user",
        compute="_compute_user_id",
        store=True,
        index=True,
    )
    agreement_ids = fields.One2many("cluster.agreement", "expert_id", string="Agreements")
    agreement_count = fields.Integer(compute="_compute_agreement_count")
    availability_ids = fields.One2many(
        "cluster.expert.report.availability",
        "expert_id",
        string="Free hours per month",
        compute="_compute_availability_ids",
        groups="cluster_base.cluster_base_group_user",
        help="Released, committed and free hours in this month and the next eleven: "
        "each agreement counts with its hour cap spread over its working days.",
    )

    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique(partner_id, company_id)",
            "This person already is an expert.",
        ),
    ]

    @api.depends("partner_id.commercial_partner_id")
    def _compute_employer_id(self):
        for expert in self:
            firm = expert.partner_id.commercial_partner_id
            expert.employer_id = firm if firm != expert.partner_id else False

    @api.depends("partner_id.user_ids")
    def _compute_user_id(self):
        for expert in self:
            expert.user_id = expert.partner_id.user_ids[:1]

    def _compute_agreement_count(self):
        counts = dict(
            self.env["cluster.agreement"]._read_group(
                [("expert_id", "in", self.ids)], ["expert_id"], ["__count"]
            )
        )
        for expert in self:
            expert.agreement_count = counts.get(expert, 0)

    def _compute_availability_ids(self):
        start = fields.Date.context_today(self).replace(day=1)
        rows = self.env["cluster.expert.report.availability"].search(
            [
                ("expert_id", "in", self.ids),
                ("month", ">=", start),
                ("month", "<", start + relativedelta(months=12)),
            ]
        )
        for expert in self:
            expert.availability_ids = rows.filtered(lambda r, e=expert: r.expert_id == e)

    @api.constrains("partner_id")
    def _check_partner_id(self):
        for expert in self:
            if not expert.employer_id:
                raise ValidationError(
                    self.env._(
                        "The expert %(name)s must be a contact of a firm (set its company).",
                        name=expert.partner_id.display_name,
                    )
                )

    @api.constrains("hourly_rate", "hours_per_month")
    def _check_finite(self):
        for expert in self:
            if not (math.isfinite(expert.hourly_rate) and math.isfinite(expert.hours_per_month)):
                raise ValidationError(self.env._("Rates and hours must be finite numbers."))
            if expert.hourly_rate < 0 or expert.hours_per_month < 0:
                raise ValidationError(self.env._("Rates and hours cannot be negative."))

    @api.model_create_multi
    def create(self, vals_list):
        experts = super().create(vals_list)
        experts._create_employees()
        self.env["mailing.list"]._cluster_sync_later()
        return experts

    def _prepare_employee_vals(self):
        self.ensure_one()
        return {
            "name": self.partner_id.name,
            "work_contact_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "work_email": self.partner_id.email,
        }

    def _create_employees(self):
        """Give each expert an employee in the association's company so timesheets work."""
        experts = self.filtered(lambda e: not e.employee_id)
        if not experts:
            return
        # sudo: cluster managers need not hold HR rights; the employee is a technical
        # companion of the expert and only carries the name and the contact.
        employees = (
            self.env["hr.employee"]
            .sudo()
            .create([expert._prepare_employee_vals() for expert in experts])
        )
        for expert, employee in zip(experts, employees, strict=True):
            expert.employee_id = employee.id

    def write(self, vals):
        res = super().write(vals)
        if "active" in vals:
            self.employee_id.sudo().write({"active": vals["active"]})
        if {"active", "partner_id", "employer_id"} & vals.keys():
            self.env["mailing.list"]._cluster_sync_later()
        return res

    def action_view_agreements(self):
        self.ensure_one()
        # callable over RPC: tell nothing of an expert the caller may not read
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cluster_consulting.cluster_agreement_action"
        )
        action["domain"] = [("expert_id", "=", self.id)]
        action["context"] = {"default_expert_id": self.id}
        return action

    def action_invite_portal(self):
        """Grant the expert portal access (creates the portal user, sends the invitation)."""
        if not self.env.user.has_group("cluster_base.cluster_base_group_manager"):
            raise UserError(self.env._("Only a cluster manager can invite experts."))
        experts = self.filtered(lambda e: not e.user_id)
        if not experts:
            return True
        missing = experts.filtered(lambda e: not e.partner_id.email)
        if missing:
            raise UserError(
                self.env._(
                    "Give %(names)s an email address before inviting them.",
                    names=", ".join(missing.mapped("name")),
                )
            )
        wizard = (
            self.env["portal.wizard"]
            .sudo()
            .create({"partner_ids": [fields.Command.set(experts.partner_id.ids)]})
        )
        wizard.user_ids.action_grant_access()
        return True

    # Matchmaking -------------------------------------------------------------------

    @api.model
    def _get_monthly_load(self, experts, date_from, date_to, states=COMMITTED_STATES):
        """Committed hours of ``experts`` per month of a period, as a dict
        ``(expert id, first day of the month) -> hours``: the agreements in ``states``
        the user may read, each with its share of the month
        (``cluster.agreement._monthly_hours_sql``)."""
        rows = self.env["cluster.agreement"]._read_monthly_hours(
            [
                ("expert_id", "in", experts.ids),
                ("state", "in", states),
                ("date_from", "<=", date_to),
                ("date_to", ">=", date_from),
            ],
            date_from,
            date_to,
        )
        load = defaultdict(float)
        for _agreement_id, expert_id, month, hours in rows:
            load[expert_id, month] += hours
        return load

    @api.model
    def _get_free_hours(self, experts, date_from, date_to):
        """Free hours of ``experts`` in a period, as a dict expert -> hours: over the
        calendar months the period touches, the released hours per month minus each
        month's load (``_get_monthly_load``)."""
        months = month_starts(date_from, date_to)
        load = self._get_monthly_load(experts, date_from, date_to)
        return {
            expert: sum(expert.hours_per_month - load[expert.id, month] for month in months)
            for expert in experts
        }

    @api.model
    def _search_matching(
        self, skill=None, min_level=1, date_from=None, date_to=None, min_free=0.0
    ):
        """Experts having ``skill`` at ``min_level`` or more with ``min_free`` free hours."""
        domain = [("active", "=", True)]
        if skill:
            domain.append(
                (
                    "skill_ids",
                    "any",
                    [("skill_id", "=", skill.id), ("level", ">=", min_level)],
                )
            )
        experts = self.search(domain)
        if not (date_from and date_to):
            return experts, {}
        free = self._get_free_hours(experts, date_from, date_to)
        experts = experts.filtered(lambda e: free[e] >= min_free and free[e] > 0)
        return experts, free
