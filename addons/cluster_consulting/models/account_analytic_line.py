# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import math

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_compare, float_round
from odoo.tools.sql import column_exists, create_column, table_exists

from odoo.addons.cluster_base.models.res_users import ROLE_SIGNATORY

HOUR_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]
# What an hour is: these fields cannot change once the hour is submitted or approved.
HOUR_CONTENT_FIELDS = {
    "unit_amount",
    "date",
    "employee_id",
    "user_id",
    "project_id",
    "task_id",
    "agreement_id",
    "cluster_hour_use",
    "amount",
    "account_id",
}

# Fields only the actions below and the settlement (checked, then in superuser mode or
# with SQL) may write: over RPC nobody can approve, unlink or relink an hour directly.
HOUR_STATE_FIELDS = {
    "cluster_hour_state",
    "cluster_approved_by_id",
    "cluster_approved_on",
    "cluster_bill_line_id",
    "cluster_invoice_line_id",
}


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    agreement_id = fields.Many2one(
        "cluster.agreement",
        index="btree_not_null",
        ondelete="restrict",
        copy=False,
        help="The time-purchase agreement this hour is bought out under.",
    )
    cluster_lender_id = fields.Many2one(
        related="agreement_id.lender_id",
        string="Lending firm",
        store=True,
        index="btree_not_null",
    )
    # Stored and indexed like the lender, so "hours the firm lends OR buys" (portal lists,
    # record rules) is two index scans, not a sub-select on every hour line: measured on
    # a million lines, a firm with ten hours waited 1.6-3.3 s for its hours page.
    cluster_buyer_id = fields.Many2one(
        related="agreement_id.buyer_id",
        string="Buying firm",
        store=True,
        index="btree_not_null",
    )
    cluster_hour_state = fields.Selection(
        HOUR_STATES,
        string="Hour status",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )
    # The approver may be the other firm's signatory: not for portal users.
    cluster_approved_by_id = fields.Many2one(
        "res.users", string="Approved by", copy=False, readonly=True, groups="base.group_user"
    )
    cluster_approved_on = fields.Datetime(string="Approved on", copy=False, readonly=True)
    cluster_agreement_amount = fields.Monetary(
        string="Agreement amount",
        compute="_compute_cluster_agreement_amount",
        currency_field="currency_id",
        groups="base.group_user,cluster_base.cluster_base_group_signatory",
        help="Hours times the agreement's hourly rate.",
    )

    _sql_constraints = [
        (
            "cluster_agreement_bought_out",
            "CHECK(agreement_id IS NULL OR COALESCE(cluster_hour_use, '') = 'bought_out')",
            "An hour on an agreement is bought-out time and can never be in-kind co-financing.",
        ),
    ]

    def _auto_init(self):
        # Create the new columns with SQL so installing on a large table needs no Python
        # recompute: every existing line has no agreement, so NULL is the right value.
        cr = self.env.cr
        for name, column_type in (
            ("agreement_id", "int4"),
            ("cluster_lender_id", "int4"),
            ("cluster_buyer_id", "int4"),
            ("cluster_hour_state", "varchar"),
            ("cluster_approved_by_id", "int4"),
            ("cluster_approved_on", "timestamp"),
        ):
            if not column_exists(cr, self._table, name):
                create_column(cr, self._table, name, column_type)
                if name == "cluster_buyer_id" and table_exists(cr, "cluster_agreement"):
                    # an upgrade: fill the buyer of existing agreement hours in one UPDATE
                    cr.execute(
                        SQL(
                            "UPDATE account_analytic_line l SET cluster_buyer_id = a.buyer_id "
                            "FROM cluster_agreement a WHERE l.agreement_id = a.id "
                            "AND a.buyer_id IS NOT NULL"
                        )
                    )
        return super()._auto_init()

    @api.depends("unit_amount", "agreement_id.hourly_rate")
    def _compute_cluster_agreement_amount(self):
        for line in self:
            # sudo: the rate is read for the amount only (both carry the money groups)
            rate = line.agreement_id.sudo().hourly_rate
            line.cluster_agreement_amount = line.unit_amount * rate

    def _is_readonly(self):
        return super()._is_readonly() or (
            bool(self.agreement_id) and self.cluster_hour_state in ("submitted", "approved")
        )

    # Constraints -------------------------------------------------------------------

    @api.constrains(
        "agreement_id",
        "employee_id",
        "date",
        "project_id",
        "task_id",
        "unit_amount",
        "cluster_hour_use",
    )
    def _check_agreement_hour(self):
        lines = self.filtered("agreement_id")
        for line in lines:
            # sudo: an expert or a project manager may not read every agreement field.
            agreement = line.agreement_id.sudo()
            if line.cluster_hour_use != "bought_out":
                raise ValidationError(
                    self.env._("An hour on an agreement is bought-out time, never in-kind.")
                )
            if not math.isfinite(line.unit_amount) or line.unit_amount <= 0:
                raise ValidationError(self.env._("Hours on an agreement must be positive."))
            if agreement.state != "active":
                raise ValidationError(
                    self.env._(
                        "Agreement %(name)s is not active: no hours can be logged on it.",
                        name=agreement.name,
                    )
                )
            if line.employee_id != agreement.expert_id.employee_id:
                raise ValidationError(
                    self.env._(
                        "Only %(expert)s can log hours on agreement %(name)s.",
                        expert=agreement.expert_id.name,
                        name=agreement.name,
                    )
                )
            if not agreement.date_from <= line.date <= agreement.date_to:
                raise ValidationError(
                    self.env._(
                        "%(date)s is outside agreement %(name)s (%(date_from)s – %(date_to)s).",
                        date=line.date,
                        name=agreement.name,
                        date_from=agreement.date_from,
                        date_to=agreement.date_to,
                    )
                )
            if line.project_id != agreement.project_id or (
                agreement.task_ids and line.task_id not in agreement.task_ids
            ):
                raise ValidationError(
                    self.env._(
                        "Hours on agreement %(name)s belong to project %(project)s"
                        " and its agreed tasks.",
                        name=agreement.name,
                        project=agreement.project_id.name,
                    )
                )
        lines._check_hours_per_day()
        lines._check_agreement_cap()

    @api.constrains("cluster_hour_state")
    def _check_resubmitted_cap(self):
        """Rejected hours do not count against the cap; submitting them again does."""
        self.filtered(
            lambda line: line.agreement_id and line.cluster_hour_state in ("draft", "submitted")
        )._check_agreement_cap()

    @api.constrains("unit_amount", "agreement_id")
    def _check_hour_precision(self):
        """Hours on an agreement are kept to the hundredth: more decimals would pass the
        cap and the 24-hour day at two decimals while more is stored (30.0001 h on a
        30 h cap)."""
        for line in self.filtered("agreement_id"):
            if float_round(line.unit_amount, precision_digits=2) != line.unit_amount:
                raise ValidationError(
                    self.env._(
                        "%(hours)s hours: hours on an agreement have at most two decimals.",
                        hours=line.unit_amount,
                    )
                )

    def _check_hours_per_day(self):
        if not self:
            return
        keys = {(line.employee_id, line.date) for line in self}
        totals = self._read_group(
            [
                ("employee_id", "in", self.employee_id.ids),
                ("date", ">=", min(self.mapped("date"))),
                ("date", "<=", max(self.mapped("date"))),
                ("project_id", "!=", False),
                ("cluster_hour_state", "!=", "rejected"),
            ],
            ["employee_id", "date:day"],
            ["unit_amount:sum"],
        )
        for employee, day, hours in totals:
            if (employee, day) in keys and float_compare(hours, 24.0, precision_digits=2) > 0:
                raise ValidationError(
                    self.env._(
                        "%(employee)s would have %(hours)s hours on %(day)s: "
                        "a day has at most 24 hours.",
                        employee=employee.name,
                        hours=hours,
                        day=day,
                    )
                )

    def _check_agreement_cap(self):
        """Refuse hours beyond the cap; alert at 80 % and 100 %.

        The agreement rows are locked and touched first: two transactions logging hours
        on one agreement then run one after the other, and under REPEATABLE READ the later
        one fails with a serialization error (Odoo retries it) instead of checking the cap
        against a snapshot that misses the other's hours.
        """
        agreements = self.agreement_id
        if not agreements:
            return
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT id FROM cluster_agreement WHERE id = ANY(%s) ORDER BY id FOR UPDATE",
                agreements.ids,
            )
        )
        cr.execute(
            SQL(
                "UPDATE cluster_agreement SET write_date = write_date WHERE id = ANY(%s)",
                agreements.ids,
            )
        )
        consumed = dict(
            self.sudo()._read_group(
                [
                    ("agreement_id", "in", agreements.ids),
                    ("cluster_hour_state", "!=", "rejected"),
                ],
                ["agreement_id"],
                ["unit_amount:sum"],
            )
        )
        for agreement in agreements.sudo():
            hours = consumed.get(agreement, 0.0)
            if float_compare(hours, agreement.hour_cap, precision_digits=2) > 0:
                raise ValidationError(
                    self.env._(
                        "Agreement %(name)s allows %(cap)s hours; with these hours it would "
                        "have %(hours)s. Ask a manager to raise the cap.",
                        name=agreement.name,
                        cap=agreement.hour_cap,
                        hours=hours,
                    )
                )
        agreements.sudo()._cluster_alert_cap(consumed)

    # CRUD --------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if HOUR_STATE_FIELDS & set(vals) and not self.env.su:
                raise AccessError(self.env._("The hour status is set by its approval actions."))
            if vals.get("agreement_id"):
                if vals.get("cluster_hour_use", "bought_out") != "bought_out":
                    raise ValidationError(
                        self.env._("An hour on an agreement is bought-out time, never in-kind.")
                    )
                vals["cluster_hour_use"] = "bought_out"
                vals.setdefault("cluster_hour_state", "draft")
        return super().create(vals_list)

    def write(self, vals):
        fnames = set(vals)
        if fnames & HOUR_STATE_FIELDS and not self.env.su:
            raise AccessError(self.env._("The hour status is set by its approval actions."))
        agreement_lines = self.filtered("agreement_id")
        approved = agreement_lines.filtered(lambda line: line.cluster_hour_state == "approved")
        if approved and fnames - self._cluster_approved_writable_fields():
            raise UserError(self.env._("Approved hours cannot be changed."))
        submitted = agreement_lines.filtered(lambda line: line.cluster_hour_state == "submitted")
        if submitted and fnames & HOUR_CONTENT_FIELDS:
            raise UserError(
                self.env._("Submitted hours cannot be changed; ask the approver to reject them.")
            )
        if "cluster_hour_use" in vals and vals["cluster_hour_use"] != "bought_out":
            if agreement_lines or vals.get("agreement_id"):
                raise ValidationError(
                    self.env._("An hour on an agreement is bought-out time, never in-kind.")
                )
        if vals.get("agreement_id"):
            vals = dict(vals, cluster_hour_use="bought_out")
            new_lines = self.filtered(lambda line: not line.cluster_hour_state)
            if new_lines:
                # sudo: the status of a line that just joined an agreement starts as draft.
                new_lines.sudo().write({"cluster_hour_state": "draft"})
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if self.filtered(lambda line: line.agreement_id and line.cluster_hour_state == "approved"):
            raise UserError(self.env._("Approved hours cannot be deleted."))

    def _cluster_approved_writable_fields(self):
        """Fields that may still change on approved hours (the settlement's links)."""
        return {"cluster_bill_line_id", "cluster_invoice_line_id"}

    # Actions -----------------------------------------------------------------------

    def _cluster_check_hour_states(self, allowed):
        # sudo: approvers may not read other people's hours; only states are read here.
        lines = self.sudo().filtered("agreement_id")
        if len(lines) != len(self):
            raise UserError(self.env._("Only hours on an agreement have an approval status."))
        bad = lines.filtered(lambda line: line.cluster_hour_state not in allowed)
        if bad:
            raise UserError(
                self.env._(
                    "%(count)s of the selected hours are %(state)s: this step is not possible.",
                    count=len(bad),
                    state=dict(HOUR_STATES)[bad[0].cluster_hour_state],
                )
            )

    def _cluster_own_lines(self, user):
        """The lines among these that ``user`` logged as the expert."""
        # sudo: only the employee and expert links are read, to compare them with the user.
        return self.sudo().filtered(
            lambda line: line.employee_id.user_id == user
            or line.agreement_id.expert_id.user_id == user
        )

    def _cluster_check_approver(self):
        user = self.env.user
        if self._cluster_own_lines(user):
            raise AccessError(self.env._("You cannot approve or reject your own hours."))
        if user.has_group("cluster_base.cluster_base_group_manager"):
            return
        # The buying firm's signatory approves the hours its firm buys.
        # sudo: only the buyers of the lines' agreements are read, to compare them.
        buyers = self.sudo().agreement_id.buyer_id
        if user._cluster_has_role(buyers, ROLE_SIGNATORY):
            return
        # sudo: the buyer's project manager may not read the agreement itself.
        managers = self.sudo().agreement_id.project_id.user_id
        if managers != user:
            raise AccessError(
                self.env._(
                    "Only the project manager of the buying project or a cluster manager "
                    "can approve these hours."
                )
            )

    def action_cluster_submit(self):
        """The expert submits their own hours; others need write access to the lines."""
        self._cluster_check_hour_states(("draft", "rejected"))
        user = self.env.user
        others = self - self._cluster_own_lines(user)
        if others and not user.has_group("cluster_base.cluster_base_group_manager"):
            others.check_access("write")
            others._check_can_write({})
        # sudo: status fields are written by the actions only (rights checked above).
        self.sudo().write({"cluster_hour_state": "submitted"})
        self.sudo().agreement_id._cluster_notify_hours_submitted()
        return True

    def action_cluster_approve(self):
        self._cluster_check_hour_states(("submitted",))
        self._cluster_check_approver()
        # sudo: approvers need not hold timesheet rights on other people's hours.
        self.sudo().write(
            {
                "cluster_hour_state": "approved",
                "cluster_approved_by_id": self.env.user.id,
                "cluster_approved_on": fields.Datetime.now(),
            }
        )
        return True

    def action_cluster_reject(self):
        self._cluster_check_hour_states(("submitted",))
        self._cluster_check_approver()
        self.sudo().write(
            {
                "cluster_hour_state": "rejected",
                "cluster_approved_by_id": self.env.user.id,
                "cluster_approved_on": fields.Datetime.now(),
            }
        )
        return True
