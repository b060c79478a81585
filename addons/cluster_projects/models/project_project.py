# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from .cluster_budget_line import INDIRECT_CATEGORY, STAFF_CATEGORIES

STAGES = [
    ("idea", "Idea"),
    ("application", "Application"),
    ("granted", "Granted"),
    ("running", "Running"),
    ("final_reporting", "Final reporting"),
    ("closed", "Closed"),
]
STAGE_ORDER = [key for key, _label in STAGES]
# A joint project's figures and links are project-wide: every participant's cash,
# hours, grants and warnings naming the firms. Only association users read them; a
# firm's portal users get their own part from the portal pages (SECURITY.md).
INTERNAL = "base.group_user"


class ProjectProject(models.Model):
    _name = "project.project"
    _inherit = ["project.project", "cluster.decision.mixin"]

    is_joint_project = fields.Boolean(
        string="Joint project",
        index=True,
        help="A co-financed project run by the association with member firms.",
    )
    cluster_participant_ids = fields.One2many(
        "cluster.project.participant",
        "project_id",
        string="Participating firms",
        groups=INTERNAL,
    )
    cluster_focus_area = fields.Selection(
        [
            ("business_development", "Business development"),
            ("competence_development", "Competence development"),
            ("profiling", "Profiling and marketing"),
            ("internationalisation", "Internationalisation"),
            ("process_development", "Process development"),
            ("establishment", "Establishment of firms"),
        ],
        string="Focus area",
        index=True,
    )
    cluster_programme_priority = fields.Char(
        string="Programme priority",
        help="Priority of the regional programme the project answers.",
    )
    cluster_territorial_level = fields.Selection(
        [
            ("local", "Local"),
            ("regional", "Regional"),
            ("national", "National"),
            ("international", "International"),
        ],
        string="Territorial level",
    )
    # Only joint projects need a stage: required in Python for them
    # (_check_cluster_stage), nullable in PostgreSQL, so a project inserted without this
    # addon's defaults (stock apps loaded before it, their tests, SQL) is not refused.
    cluster_stage = fields.Selection(
        STAGES,
        string="Project stage",
        default="idea",
        tracking=True,
        index=True,
        copy=False,
    )
    cluster_decision_id = fields.Many2one(
        "cluster.decision",
        string="Grant decision",
        copy=False,
        tracking=True,
        help="The adopted board decision that lets the project move to Granted.",
        groups=INTERNAL,
    )
    cluster_lead_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        copy=False,
        index="btree_not_null",
        groups=INTERNAL,
    )
    cluster_grant_ids = fields.One2many(
        "cluster.grant", "project_id", string="Grants", groups=INTERNAL
    )
    cluster_budget_line_ids = fields.One2many(
        "cluster.budget.line",
        "project_id",
        string="Budget",
        domain=[("version_id.is_in_force", "=", True)],
        groups=INTERNAL,
        help="The lines of the budget version in force.",
    )
    cluster_budget_version_ids = fields.One2many(
        "cluster.budget.version", "project_id", string="Budget versions", groups=INTERNAL
    )
    cluster_budget_version_id = fields.Many2one(
        "cluster.budget.version",
        string="Budget in force",
        compute="_compute_cluster_budget_version_id",
        groups=INTERNAL,
        help="The latest budget the funder approved (granted or amendment); before any "
        "approval, the latest version.",
    )
    cluster_indicator_ids = fields.One2many(
        "cluster.indicator", "project_id", string="Indicators", groups=INTERNAL
    )
    cluster_event_ids = fields.One2many(
        "event.event",
        "cluster_project_id",
        string="Competence activities",
        groups=INTERNAL,
    )
    cluster_share_total = fields.Float(
        string="Total cost share (%)",
        compute="_compute_cluster_share_total",
        groups=INTERNAL,
    )

    @api.depends("cluster_budget_version_ids.is_in_force")
    def _compute_cluster_budget_version_id(self):
        in_force = self.sudo()._cluster_budget_version_in_force()
        for project in self:
            project.cluster_budget_version_id = in_force.get(project.id, False)

    def _cluster_budget_version_in_force(self):
        """``{project_id: version in force}`` in one search: the latest approved granted
        budget or amendment (approval date, then number), else the latest version."""
        versions = self.env["cluster.budget.version"].search(
            [("project_id", "in", self.ids)], order="number"
        )
        result = {}
        for version in versions:
            current = result.get(version.project_id.id)
            approved = version.state == "approved" and version.kind in ("granted", "amendment")
            if approved:
                if not (
                    current
                    and current.state == "approved"
                    and current.kind != "applied"
                    and (current.approved_on, current.number)
                    > (version.approved_on, version.number)
                ):
                    result[version.project_id.id] = version
            elif not (current and current.state == "approved" and current.kind != "applied"):
                result[version.project_id.id] = version
        return result

    def _cluster_budget_draft_version(self):
        """``{project_id: draft version}`` receiving new budget lines: the latest draft,
        or a new "granted" draft for a project without any version."""
        Version = self.env["cluster.budget.version"].sudo()
        drafts = {}
        for version in Version.search(
            [("project_id", "in", self.ids), ("state", "=", "draft")], order="number"
        ):
            drafts[version.project_id.id] = version
        without = self.filtered(lambda p: p.id not in drafts)
        if without:
            have_version = set(Version.search([("project_id", "in", without.ids)]).project_id.ids)
            for project in without:
                if project.id in have_version:
                    raise UserError(
                        self.env._(
                            "The budget of %(project)s is approved by the funder: create a "
                            "new amendment to change it.",
                            project=project.display_name,
                        )
                    )
            for version in Version.create(
                [{"project_id": project.id, "kind": "granted"} for project in without]
            ):
                drafts[version.project_id.id] = version
        return {key: version.with_env(self.env) for key, version in drafts.items()}

    def action_cluster_new_budget_amendment(self):
        """A draft amendment copying the budget version in force."""
        self.ensure_one()
        version = self.cluster_budget_version_id
        if not version:
            raise UserError(
                self.env._("%(project)s has no budget to amend.", project=self.display_name)
            )
        return version.action_new_amendment()

    @api.depends("cluster_participant_ids.cost_share")
    def _compute_cluster_share_total(self):
        for project in self:
            project.cluster_share_total = sum(project.cluster_participant_ids.mapped("cost_share"))

    def _cluster_actuals_by_category(self, date_from=None, date_to=None):
        """Actual cost per cost category of the project, in one ``_read_group``.

        In-kind hours count at their in-kind value, other lines at their cost (negative
        analytic amount, sign reversed); lines without a category are *other*.
        """
        self.ensure_one()
        domain = [
            ("account_id", "=", self.account_id.id),
            "|",
            "&",
            ("amount", "<", 0),
            ("category", "!=", "invoice"),  # customer credit notes are no cost
            ("cluster_hour_use", "=", "in_kind"),
        ]
        if date_from:
            domain.append(("date", ">=", date_from))
        if date_to:
            domain.append(("date", "<=", date_to))
        result = defaultdict(float)
        for category, amount, in_kind in (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                domain,
                ["cluster_cost_category"],
                ["amount:sum", "cluster_in_kind_value:sum"],
            )
        ):
            category = category or "other"
            result[category] += in_kind if category == "own_staff_in_kind" else -amount
        # the flat-rate line: computed on these actuals, never booked
        indirect = self._cluster_indirect_on_actuals(self.sudo().cluster_grant_ids, result)
        if indirect:
            result[INDIRECT_CATEGORY] = indirect
        return dict(result)

    def _cluster_indirect_on_actuals(self, grants, by_category):
        """The flat-rate indirect costs the grants allow on actual costs given per cost
        category (no query): on the direct staff costs or on all direct costs."""
        self.ensure_one()
        staff = sum(by_category.get(category, 0.0) for category in STAFF_CATEGORIES)
        direct = sum(
            amount for category, amount in by_category.items() if category != INDIRECT_CATEGORY
        )
        return self._cluster_indirect_cost(grants, staff, direct)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("cluster_stage", "cluster_participant_ids")
    def _check_cluster_shares(self):
        for project in self:
            if project.is_joint_project and project.cluster_stage in (
                "granted",
                "running",
            ):
                project._cluster_check_shares()

    def _cluster_check_shares(self):
        self.ensure_one()
        if not self.cluster_participant_ids:
            raise ValidationError(
                self.env._(
                    "Joint project %(project)s has no participating firms.",
                    project=self.display_name,
                )
            )
        total = sum(self.cluster_participant_ids.mapped("cost_share"))
        if float_compare(total, 100.0, precision_digits=2) != 0:
            raise ValidationError(
                self.env._(
                    "The cost shares of %(project)s sum to %(total).2f %%; they must "
                    "sum to 100 %%.",
                    project=self.display_name,
                    total=total,
                )
            )

    @api.constrains("is_joint_project", "cluster_stage")
    def _check_cluster_stage(self):
        for project in self:
            if project.is_joint_project and not project.cluster_stage:
                raise ValidationError(
                    self.env._(
                        "Joint project %(project)s needs a project stage.",
                        project=project.display_name,
                    )
                )

    @api.constrains("date_start", "date")
    def _check_cluster_grant_periods(self):
        self.cluster_grant_ids._check_period()

    @api.constrains("is_joint_project", "account_id")
    def _check_cluster_account(self):
        joint = self.filtered("is_joint_project")
        if not joint:
            return
        for project in joint:
            if not project.account_id:
                raise ValidationError(
                    self.env._(
                        "Joint project %(project)s needs its own analytic account.",
                        project=project.display_name,
                    )
                )
        shared = self.sudo()._read_group(
            [("account_id", "in", joint.account_id.ids)],
            ["account_id"],
            ["__count"],
            having=[("__count", ">", 1)],
        )
        if shared:
            raise ValidationError(
                self.env._(
                    "A joint project keeps separate accounts: analytic account "
                    "%(account)s is used by another project.",
                    account=shared[0][0].display_name,
                )
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("is_joint_project"):
                vals.setdefault("allow_timesheets", True)
                if vals.get("cluster_stage") not in (None, False, "idea", "application"):
                    raise UserError(
                        self.env._("A joint project starts as an idea or an application.")
                    )
        projects = super().create(vals_list)
        projects.filtered(
            lambda p: p.is_joint_project and not p.account_id
        )._create_analytic_account()
        return projects

    def write(self, vals):
        if "cluster_stage" in vals:
            for project in self:
                project._cluster_check_stage_move(vals["cluster_stage"])
        elif vals.get("is_joint_project"):
            # a project made before this addon was loaded has no stage: it starts as an idea
            stageless = self.filtered(lambda p: not p.cluster_stage)
            if stageless:
                super(ProjectProject, stageless).write({"cluster_stage": "idea"})
        if vals.get("is_joint_project") and not vals.get("account_id"):
            # before the write, so _check_cluster_account finds the account
            self.filtered(lambda p: not p.account_id)._create_analytic_account()
        return super().write(vals)

    def _cluster_check_stage_move(self, new_stage):
        """Stages go one step forward at a time (or back to an earlier one)."""
        self.ensure_one()
        old = self.cluster_stage or "idea"
        if new_stage == old or not new_stage:  # no stage: _check_cluster_stage decides
            return
        if not self.is_joint_project:
            raise UserError(self.env._("Only joint projects have a project stage."))
        old_index, new_index = STAGE_ORDER.index(old), STAGE_ORDER.index(new_stage)
        labels = dict(self._fields["cluster_stage"]._description_selection(self.env))
        if new_index < old_index:
            if old == "closed" and not self.env.user.has_group(
                "cluster_base.cluster_base_group_manager"
            ):
                raise UserError(self.env._("Only a cluster manager can reopen a closed project."))
            return
        if new_index != old_index + 1:
            raise UserError(
                self.env._(
                    "%(project)s can't jump from %(old)s to %(new)s: stages are passed"
                    " one at a time.",
                    project=self.display_name,
                    old=labels[old],
                    new=labels[new_stage],
                )
            )
        if new_stage == "granted":
            if not self._cluster_decision_is_adopted(self.cluster_decision_id):
                raise UserError(
                    self.env._(
                        "%(project)s can only be granted with an adopted board "
                        "decision about this project.",
                        project=self.display_name,
                    )
                )
        if new_stage in ("granted", "running"):
            self._cluster_check_shares()
        if new_stage == "final_reporting":
            self._cluster_check_final_report()

    def _cluster_check_final_report(self):
        self.ensure_one()
        warnings = self._cluster_cofinancing_data().get(self.id, {}).get("warnings", [])
        if warnings:
            raise UserError(
                self.env._(
                    "The final report of %(project)s is blocked:\n%(warnings)s",
                    project=self.display_name,
                    warnings="\n".join(warnings),
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _cluster_move(self, stage):
        self.check_access("write")
        for project in self:
            project.write({"cluster_stage": stage})
        return True

    def action_cluster_apply(self):
        return self._cluster_move("application")

    def action_cluster_grant(self):
        return self._cluster_move("granted")

    def action_cluster_start(self):
        return self._cluster_move("running")

    def action_final_report(self):
        return self._cluster_move("final_reporting")

    def action_cluster_close(self):
        return self._cluster_move("closed")

    def action_cluster_reset_idea(self):
        return self._cluster_move("idea")

    def action_cluster_request_decision(self):
        """Create the draft board decision to grant the project and open it."""
        self.ensure_one()
        self.check_access("write")
        if not self.is_joint_project or self.cluster_stage != "application":
            raise UserError(
                self.env._(
                    "A grant decision is asked for a joint project in the application " "stage."
                )
            )
        return self._cluster_request_decision(
            "cluster_decision_id",
            self.env._("Grant of joint project %(project)s", project=self.name),
        )

    def action_cluster_funder_report(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "cluster.funder.report",
            "view_mode": "form",
            "target": "new",
            "context": {"default_project_id": self.id},
        }
