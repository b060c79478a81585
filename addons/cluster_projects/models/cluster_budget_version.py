# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

IN_FORCE_KINDS = ("granted", "amendment")


class ClusterBudgetVersion(models.Model):
    """One version of a joint project's budget: as applied for, as granted, or an
    amendment the funder approved.

    The version *in force* is the latest approved granted budget or amendment (by the
    funder's approval date, then number); before any approval it is the project's latest
    version. Actuals are compared with it; earlier versions stay readable, and an
    approved version is never edited again (a change is a new amendment).
    """

    _name = "cluster.budget.version"
    _description = "Joint Project Budget Version"
    _order = "project_id, number desc"

    name = fields.Char(compute="_compute_name", store=True)
    project_id = fields.Many2one(
        "project.project",
        required=True,
        ondelete="cascade",
        index=True,
        domain=[("is_joint_project", "=", True)],
    )
    company_id = fields.Many2one(related="project_id.company_id", store=True)
    currency_id = fields.Many2one(related="project_id.currency_id")
    kind = fields.Selection(
        [("applied", "Applied"), ("granted", "Granted"), ("amendment", "Amendment")],
        required=True,
        default="granted",
    )
    number = fields.Integer(readonly=True, copy=False, help="Running number within the project.")
    date = fields.Date(required=True, default=fields.Date.context_today)
    funder_ref = fields.Char(string="Funder reference", copy=False)
    approved_on = fields.Date(
        string="Approved by the funder on", copy=False, help="The date of the funder's approval."
    )
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved")],
        default="draft",
        required=True,
        copy=False,
        index=True,
    )
    note = fields.Text()
    line_ids = fields.One2many("cluster.budget.line", "version_id", string="Lines", copy=True)
    amount_planned = fields.Monetary(
        string="Planned total", compute="_compute_amount_planned", currency_field="currency_id"
    )
    is_in_force = fields.Boolean(
        string="In force", compute="_compute_is_in_force", store=True, index=True
    )

    _sql_constraints = [
        ("number_uniq", "unique(project_id, number)", "A budget version number is unique."),
    ]

    @api.depends("kind", "number")
    def _compute_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for version in self:
            version.name = f"{kinds.get(version.kind, '')} {version.number}"

    @api.depends("line_ids.amount_planned")
    def _compute_amount_planned(self):
        totals = dict(
            self.env["cluster.budget.line"]
            .sudo()
            ._read_group([("version_id", "in", self.ids)], ["version_id"], ["amount_planned:sum"])
        )
        for version in self:
            version.amount_planned = (
                totals.get(version, 0.0)
                if version.id
                else sum(version.line_ids.mapped("amount_planned"))
            )

    @api.depends(
        "project_id.cluster_budget_version_ids.state",
        "project_id.cluster_budget_version_ids.kind",
        "project_id.cluster_budget_version_ids.approved_on",
        "project_id.cluster_budget_version_ids.number",
    )
    def _compute_is_in_force(self):
        in_force = self.project_id.sudo()._cluster_budget_version_in_force()
        for version in self:
            version.is_in_force = in_force.get(version.project_id.id) == version

    @api.model_create_multi
    def create(self, vals_list):
        next_number = defaultdict(int)
        project_ids = {vals.get("project_id") for vals in vals_list}
        for project, number in self.sudo()._read_group(
            [("project_id", "in", list(project_ids))], ["project_id"], ["number:max"]
        ):
            next_number[project.id] = number or 0
        for vals in vals_list:
            next_number[vals.get("project_id")] += 1
            vals["number"] = next_number[vals.get("project_id")]
        return super().create(vals_list)

    def write(self, vals):
        self._cluster_check_draft()
        return super().write(vals)

    def unlink(self):
        self._cluster_check_draft()
        return super().unlink()

    def _cluster_check_draft(self):
        approved = self.filtered(lambda v: v.state == "approved")
        if approved:
            raise UserError(
                self.env._(
                    "Budget version %(version)s of %(project)s is approved by the funder and "
                    "can't be changed: create a new amendment.",
                    version=approved[0].name,
                    project=approved[0].project_id.display_name,
                )
            )

    def action_approve(self):
        for version in self:
            if version.state != "draft":
                raise UserError(
                    self.env._(
                        "Budget version %(version)s is already approved.", version=version.name
                    )
                )
            if not version.approved_on or (
                version.kind in IN_FORCE_KINDS and not version.funder_ref
            ):
                raise UserError(
                    self.env._(
                        "Enter the funder's approval date and reference of budget version "
                        "%(version)s of %(project)s before approving it.",
                        version=version.name,
                        project=version.project_id.display_name,
                    )
                )
        self.write({"state": "approved"})
        return True

    def action_new_amendment(self):
        """A draft amendment copying this version, lines included."""
        self.ensure_one()
        if self.state != "approved":
            raise UserError(self.env._("Only an approved budget version can be amended."))
        amendment = self.copy(
            {"kind": "amendment", "date": fields.Date.context_today(self), "note": False}
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": amendment.id,
            "views": [(False, "form")],
        }

    @api.model
    def _cluster_create_missing_versions(self):
        """Put every budget line without a version into a draft "granted" version of its
        project (the migration to versioned budgets; SQL for the lines)."""
        self.env.cr.execute(
            "SELECT DISTINCT project_id FROM cluster_budget_line WHERE version_id IS NULL"
        )
        project_ids = [row[0] for row in self.env.cr.fetchall()]
        if not project_ids:
            return self.browse()
        # the project's draft version: one data files may have created during the update
        # (new budget lines load before the post-migrations), else a new "granted" one
        drafts = self.env["project.project"].browse(project_ids)._cluster_budget_draft_version()
        versions = self.browse([drafts[project_id].id for project_id in project_ids])
        for version in versions:
            self.env.cr.execute(
                "UPDATE cluster_budget_line SET version_id = %s "
                "WHERE project_id = %s AND version_id IS NULL",
                (version.id, version.project_id.id),
            )
        self.env["cluster.budget.line"].invalidate_model(["version_id"])
        versions.invalidate_recordset(["line_ids"])
        return versions
