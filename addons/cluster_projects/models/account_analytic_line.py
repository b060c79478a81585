# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

from .cluster_budget_line import COST_CATEGORIES
from .cluster_project_participant import MONEY_GROUPS

_logger = logging.getLogger(__name__)


# Fields of an in-kind hour that a submitted payment claim freezes.
LOCKED_FIELDS = {
    "unit_amount",
    "date",
    "cluster_hour_use",
    "cluster_member_id",
    "project_id",
    "task_id",
    "employee_id",
    "account_id",
}


class AccountAnalyticLine(models.Model):
    _name = "account.analytic.line"
    _inherit = ["account.analytic.line", "cluster.finite.mixin"]
    _cluster_non_negative_fields = ("cluster_in_kind_value",)

    # One column says what an hour is used for, so an hour can never be both in-kind
    # co-financing and bought-out (invoiced) time: the guarantee is the column itself.
    # cluster_consulting adds the invoice link and a CHECK that only bought-out hours
    # are ever linked to an invoice line. A line written as bought-out stays bought-out;
    # otherwise an hour of a participating firm's employee on a joint project is in-
    # kind.
    cluster_hour_use = fields.Selection(
        [("in_kind", "In-kind co-financing"), ("bought_out", "Bought-out time")],
        string="Hour use",
        index="btree_not_null",
        copy=False,
        compute="_compute_cluster_hour_use",
        store=True,
        readonly=False,
    )
    cluster_member_id = fields.Many2one(
        "res.partner",
        string="Participating firm",
        compute="_compute_cluster_member_id",
        store=True,
        index="btree_not_null",
        help="The participating firm whose employee logged this hour on a joint " "project.",
    )
    # An hour's money (its cost, its in-kind value): association users and the firms'
    # signatories, never an expert (SECURITY.md: money fields carry groups=).
    amount = fields.Monetary(groups=MONEY_GROUPS)
    cluster_in_kind_value = fields.Monetary(
        string="In-kind value",
        compute="_compute_cluster_in_kind_value",
        store=True,
        groups=MONEY_GROUPS,
        currency_field="currency_id",
        help="Agreed hourly value of the firm, or monthly salary x 12 / 1720, times " "the hours.",
    )
    cluster_value_claim_id = fields.Many2one(
        "cluster.grant.claim",
        string="Value frozen by claim",
        index="btree_not_null",
        copy=False,
        readonly=True,
        ondelete="restrict",
        help="The submitted payment claim that fixed this hour's in-kind value. From then "
        "on the value is never recomputed; only a correction claim revalues it. The "
        "figures it came from are on the claim's hour rows.",
    )
    cluster_cost_category = fields.Selection(
        COST_CATEGORIES,
        string="Cost category",
        compute="_compute_cluster_cost_category",
        store=True,
        readonly=False,
        help="In-kind hours: own staff (in-kind); bought-out hours: bought-out expert "
        "time; "
        "other lines: the product's category, else the financial account's, else "
        "other.",
    )

    _sql_constraints = [
        (
            "cluster_hour_use_values",
            "CHECK(cluster_hour_use IS NULL OR cluster_hour_use IN ('in_kind', " "'bought_out'))",
            "An hour is either in-kind co-financing or bought-out time.",
        ),
        (
            "cluster_in_kind_member",
            "CHECK(cluster_hour_use IS DISTINCT FROM 'in_kind' OR cluster_member_id IS"
            " NOT NULL)",
            "An in-kind hour belongs to a participating firm.",
        ),
    ]

    def _auto_init(self):
        # Create the new stored columns before the ORM sees the fields, so installing
        # the
        # module does not recompute them in Python over the whole (possibly huge) table.
        # Existing lines are not on joint projects yet, so NULL/0 is their right value.
        cr = self.env.cr
        for name, sql_type in (
            ("cluster_hour_use", "varchar"),
            ("cluster_member_id", "int4"),
            ("cluster_in_kind_value", "numeric"),
            ("cluster_cost_category", "varchar"),
            ("cluster_value_claim_id", "int4"),
        ):
            if not column_exists(cr, self._table, name):
                create_column(cr, self._table, name, sql_type)
                _logger.info("Created column %s.%s without recompute", self._table, name)
        return super()._auto_init()

    @api.depends(
        "project_id.is_joint_project",
        "project_id.cluster_participant_ids.partner_id",
        "employee_id.work_contact_id.commercial_partner_id",
    )
    def _compute_cluster_member_id(self):
        for line in self:
            if line.cluster_value_claim_id:
                continue  # a claimed hour keeps the firm it was claimed for
            firm = line.employee_id.work_contact_id.commercial_partner_id
            project = line.project_id
            if (
                firm
                and project.is_joint_project
                and firm in project.cluster_participant_ids.partner_id
            ):
                line.cluster_member_id = firm
            else:
                line.cluster_member_id = False

    @api.depends("cluster_member_id")
    def _compute_cluster_hour_use(self):
        for line in self:
            if line.cluster_hour_use == "bought_out" or line.cluster_value_claim_id:
                continue
            line.cluster_hour_use = "in_kind" if line.cluster_member_id else False

    @api.depends(
        "cluster_hour_use",
        "cluster_member_id",
        "unit_amount",
        "project_id.cluster_participant_ids.hourly_value",
        "project_id.cluster_participant_ids.valuation_method",
        "project_id.cluster_participant_ids.average_monthly_salary",
        "employee_id.cluster_monthly_salary",
        "project_id.cluster_participant_ids.partner_id.cluster_payroll_overhead_ids.pct",
        "project_id.cluster_participant_ids.partner_id.cluster_payroll_overhead_ids.year",
        "date",
        "cluster_value_claim_id",
    )
    def _compute_cluster_in_kind_value(self):
        for line in self:
            if line.cluster_value_claim_id:
                continue  # frozen by a submitted claim: never recomputed
            participant = line._cluster_participant()
            if line.cluster_hour_use != "in_kind" or not participant:
                line.cluster_in_kind_value = 0.0
                continue
            line.cluster_in_kind_value = line._cluster_round(
                participant._cluster_hour_basis(line.employee_id, line.date)["hourly_rate"]
                * line.unit_amount
            )

    def _cluster_participant(self):
        """The participation of the hour's firm in the hour's project (no query if
        the project's participants are prefetched)."""
        self.ensure_one()
        if not self.cluster_member_id:
            return self.env["cluster.project.participant"]
        return self.project_id.sudo().cluster_participant_ids.filtered(
            lambda p: p.partner_id == self.cluster_member_id
        )[:1]

    def _cluster_is_association_staff(self):
        """A timesheet of the association's own staff: a person of the company itself
        (or of no firm), not of a member firm."""
        self.ensure_one()
        if not (self.project_id and self.employee_id):
            return False
        firm = self.employee_id.work_contact_id.commercial_partner_id
        return not firm.is_company or firm == self.company_id.partner_id

    def _cluster_round(self, value):
        self.ensure_one()
        return self.currency_id.round(value) if self.currency_id else value

    @api.depends(
        "cluster_hour_use",
        "project_id",
        "employee_id.work_contact_id.commercial_partner_id",
        "product_id.cluster_cost_category",
        "general_account_id.cluster_cost_category",
    )
    def _compute_cluster_cost_category(self):
        for line in self:
            if line.cluster_value_claim_id:
                continue  # frozen by a submitted claim: never recomputed
            if line.cluster_hour_use == "in_kind":
                line.cluster_cost_category = "own_staff_in_kind"
            elif line.cluster_hour_use == "bought_out":
                line.cluster_cost_category = "bought_out"
            elif line._cluster_is_association_staff():
                # the association's own staff on the project: a cash staff cost
                line.cluster_cost_category = "association_staff"
            else:
                line.cluster_cost_category = (
                    line.product_id.cluster_cost_category
                    or line.general_account_id.cluster_cost_category
                    or False
                )

    @api.constrains(
        "cluster_hour_use",
        "cluster_member_id",
        "date",
        "project_id",
        "employee_id",
        "task_id",
    )
    def _check_cluster_in_kind_period(self):
        for line in self.filtered(lambda line: line.cluster_hour_use == "in_kind"):
            project = line.project_id
            outside = (project.date_start and line.date < project.date_start) or (
                project.date and line.date > project.date
            )
            grants = project.sudo().cluster_grant_ids
            if grants and not any(g.date_from <= line.date <= g.date_to for g in grants):
                outside = True
            if outside:
                raise ValidationError(
                    self.env._(
                        "An hour of %(date)s can't count as in-kind co-financing for "
                        "%(project)s: it lies "
                        "outside the project's eligible period.",
                        date=line.date,
                        project=project.display_name,
                    )
                )

    @api.constrains("cluster_hour_use", "cluster_member_id", "employee_id", "unit_amount")
    def _check_cluster_salary_basis(self):
        """An in-kind hour valued with the salary formula needs a monthly salary: refused
        with the firm and the person rather than counted at 0."""
        for line in self.filtered(
            lambda line: line.cluster_hour_use == "in_kind"
            and line.unit_amount
            and not line.cluster_value_claim_id
        ):
            participant = line._cluster_participant()
            missing = participant and participant._cluster_missing_salary(line.employee_id)
            if missing:
                raise ValidationError(missing)

    @api.model
    def _cluster_ledger_query(self, accounts, date_from=None, date_to=None):
        """The funders' ledger of the analytic ``accounts``: every line with its person
        and firm, ordered by account, date and id, for a server-side cursor (the funder
        report and the ledger export read it). Columns: account id, date, description,
        person, firm, hour use, cost category, hours, amount, in-kind value."""
        conditions = [SQL("l.account_id = ANY(%s)", accounts.ids)]
        if date_from:
            conditions.append(SQL("l.date >= %s", date_from))
        if date_to:
            conditions.append(SQL("l.date <= %s", date_to))
        return SQL(
            """SELECT l.account_id, l.date, l.name, e.name, f.name, l.cluster_hour_use,
                      l.cluster_cost_category, l.unit_amount, l.amount, l.cluster_in_kind_value
                 FROM account_analytic_line l
            LEFT JOIN hr_employee e ON e.id = l.employee_id
            LEFT JOIN res_partner f ON f.id = l.cluster_member_id
                WHERE %s
             ORDER BY l.account_id, l.date, l.id""",
            SQL(" AND ").join(conditions),
        )

    def _cluster_locking_claims(self):
        """``{line id: claim}`` for the in-kind lines of ``self`` whose date lies in the
        period of a submitted or paid payment claim of their project, unless a draft
        correction of that claim is open (the period is then open to correct it)."""
        in_kind = self.filtered(
            lambda line: line.cluster_hour_use == "in_kind" and line.project_id
        )
        if not in_kind:
            return {}
        claims = (
            self.env["cluster.grant.claim"]
            .sudo()
            .search(
                [
                    ("project_id", "in", in_kind.project_id.ids),
                    ("state", "in", ("submitted", "paid")),
                ]
            )
        )
        if not claims:
            return {}
        open_roots = claims._cluster_roots_open_for_correction()
        claims = claims.filtered(lambda c: c._cluster_root() not in open_roots)
        result = {}
        for line in in_kind:
            for claim in claims:
                if claim.project_id == line.project_id and claim.date_from <= line.date <= (
                    claim.date_to
                ):
                    result[line.id] = claim
                    break
        return result

    def _cluster_locked_lines(self):
        """In-kind lines of ``self`` that a submitted or paid payment claim covers."""
        return self.browse(list(self._cluster_locking_claims()))

    @api.constrains("cluster_hour_use", "cluster_member_id", "date", "project_id")
    def _check_cluster_claimed_period(self):
        """An hour can't enter a period a funder was already sent a claim for: the claim
        and the co-financing of its period stay equal."""
        new = self.filtered(lambda line: not line.cluster_value_claim_id)
        locking = new._cluster_locking_claims()
        for line in new:
            claim = locking.get(line.id)
            if claim:
                raise ValidationError(
                    self.env._(
                        "An in-kind hour of %(date)s on %(project)s lies in the period of "
                        "payment claim %(claim)s, already sent to the funder. Log it in a "
                        "later period, or create a correction of %(claim)s first.",
                        date=line.date,
                        project=line.project_id.display_name,
                        claim=claim.name,
                    )
                )

    def write(self, vals):
        if LOCKED_FIELDS & set(vals):
            locking = self._cluster_locking_claims()
            if locking:
                claim = next(iter(locking.values()))
                raise UserError(
                    self.env._(
                        "These in-kind hours are counted in submitted payment claim "
                        "%(claim)s and can't be changed. To correct them, create a "
                        "correction of %(claim)s first.",
                        claim=claim.name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_counted_in_claim(self):
        claimed = self.filtered("cluster_value_claim_id")
        locking = self._cluster_locking_claims()
        if claimed or locking:
            claim = claimed[:1].cluster_value_claim_id or next(iter(locking.values()))
            raise UserError(
                self.env._(
                    "These in-kind hours are counted in submitted payment claim %(claim)s "
                    "and can't be deleted. Create a correction of the claim and set their "
                    "hours to zero instead.",
                    claim=claim.sudo().name,
                )
            )

    # Portal ------------------------------------------------------------------------

    def _timesheet_get_portal_domain(self):
        """Stock ``/my/timesheets`` searches with ``sudo()`` on this domain (followers
        and a portal-visible project), so record rules do not apply there: a portal
        login also gets its firm's boundary here, whatever the project's sharing
        settings (SECURITY.md). Bought-out hours are on ``/my/cluster/hours`` only."""
        domain = super()._timesheet_get_portal_domain()
        if not self.env.user.share:
            return domain
        return expression.AND([domain, self._cluster_portal_firm_domain()])

    @api.model
    def _cluster_portal_firm_domain(self):
        """The hours of the portal user's firm on stock timesheet pages: its own in-kind
        hours, and plain hours on projects of which the firm is the customer."""
        firm = self.env.user.commercial_partner_id
        return [
            ("cluster_hour_use", "!=", "bought_out"),
            "|",
            ("cluster_member_id", "=", firm.id),
            "&",
            ("cluster_hour_use", "=", False),
            ("project_id.partner_id", "child_of", firm.id),
        ]
