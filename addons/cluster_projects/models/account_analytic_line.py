# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools.sql import column_exists, create_column

from .cluster_budget_line import COST_CATEGORIES
from .cluster_project_participant import MONEY_GROUPS

_logger = logging.getLogger(__name__)

# Funder formula: an hour of a person is worth monthly salary x 12 / 1720 hours.
FUNDER_YEARLY_HOURS = 1720.0

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
            if line.cluster_hour_use == "bought_out":
                continue
            line.cluster_hour_use = "in_kind" if line.cluster_member_id else False

    @api.depends(
        "cluster_hour_use",
        "cluster_member_id",
        "unit_amount",
        "project_id.cluster_participant_ids.hourly_value",
        "project_id.cluster_participant_ids.valuation_method",
        "employee_id.cluster_monthly_salary",
    )
    def _compute_cluster_in_kind_value(self):
        for line in self:
            if line.cluster_hour_use != "in_kind" or not line.cluster_member_id:
                line.cluster_in_kind_value = 0.0
                continue
            participant = line.project_id.cluster_participant_ids.filtered(
                lambda p, firm=line.cluster_member_id: p.partner_id == firm
            )[:1]
            if participant.valuation_method == "salary":
                rate = (
                    (line.employee_id.sudo().cluster_monthly_salary or 0.0)
                    * 12.0
                    / FUNDER_YEARLY_HOURS
                )
            else:
                rate = participant.hourly_value
            value = rate * line.unit_amount
            line.cluster_in_kind_value = (
                line.currency_id.round(value) if line.currency_id else value
            )

    @api.depends(
        "cluster_hour_use",
        "product_id.cluster_cost_category",
        "general_account_id.cluster_cost_category",
    )
    def _compute_cluster_cost_category(self):
        for line in self:
            if line.cluster_hour_use == "in_kind":
                line.cluster_cost_category = "own_staff_in_kind"
            elif line.cluster_hour_use == "bought_out":
                line.cluster_cost_category = "bought_out"
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

    def _cluster_locked_lines(self):
        """In-kind lines of ``self`` that a submitted or paid payment claim covers."""
        in_kind = self.filtered(
            lambda line: line.cluster_hour_use == "in_kind" and line.project_id
        )
        if not in_kind:
            return in_kind
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
            return in_kind.browse()
        return in_kind.filtered(
            lambda line: any(
                c.project_id == line.project_id and c.date_from <= line.date <= c.date_to
                for c in claims
            )
        )

    def write(self, vals):
        if LOCKED_FIELDS & set(vals) and self._cluster_locked_lines():
            raise UserError(
                self.env._(
                    "These in-kind hours are counted in a submitted payment claim and "
                    "can't be changed."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_counted_in_claim(self):
        if self._cluster_locked_lines():
            raise UserError(
                self.env._(
                    "These in-kind hours are counted in a submitted payment claim and "
                    "can't be deleted."
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
