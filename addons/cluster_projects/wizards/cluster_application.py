# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.xlsx import attach_for_download, new_workbook, write_header, xlsx_bytes


class ClusterApplicationWizard(models.TransientModel):
    """The application to the funder (*ansökan*) of a joint project, as XLSX or PDF."""

    _name = "cluster.application.wizard"
    _description = "Application to the funder"

    project_id = fields.Many2one(
        "project.project", required=True, domain=[("is_joint_project", "=", True)]
    )
    version_id = fields.Many2one(
        "cluster.budget.version",
        string="Budget version",
        domain="[('project_id', '=', project_id)]",
        compute="_compute_version_id",
        store=True,
        readonly=False,
    )
    attachment_id = fields.Many2one("ir.attachment", readonly=True)

    @api.depends("project_id")
    def _compute_version_id(self):
        for wizard in self:
            wizard.version_id = (
                wizard.project_id._cluster_application_version() if wizard.project_id else False
            )

    def _cluster_data(self):
        self.ensure_one()
        if not self.env.user.has_group("cluster_base.cluster_base_group_user"):
            raise UserError(self.env._("Only cluster users can draft applications."))
        if self.version_id and self.version_id.project_id != self.project_id:
            raise UserError(
                self.env._(
                    "Budget version %(version)s is not a version of %(project)s.",
                    version=self.version_id.name,
                    project=self.project_id.display_name,
                )
            )
        if not self.version_id:
            raise UserError(
                self.env._(
                    "%(project)s has no budget: enter its budget before the application.",
                    project=self.project_id.display_name,
                )
            )
        return self.project_id._cluster_application_data(self.version_id)

    def action_export_xlsx(self):
        data = self._cluster_data()
        self.attachment_id, action = attach_for_download(
            self,
            self.env._("Application %(project)s.xlsx", project=self.project_id.name),
            xlsx_bytes(lambda path: self._cluster_write_xlsx(path, data)),
        )
        return action

    def action_print_pdf(self):
        self._cluster_data()  # the same checks before the report
        return self.env.ref("cluster_projects.action_report_cluster_application").report_action(
            self.project_id, data={"version_id": self.version_id.id}
        )

    def _cluster_write_xlsx(self, path, data):
        workbook, styles = new_workbook(path)
        self._cluster_sheet_participants(workbook, styles, data)
        self._cluster_sheet_budget(workbook, styles, data)
        self._cluster_sheet_financing(workbook, styles, data)
        self._cluster_sheet_activities(workbook, styles, data)
        workbook.close()

    def _cluster_sheet_participants(self, workbook, styles, data):
        """The participants, their roles, cost shares and commitments."""
        _ = self.env._
        money = styles["money"]
        sheet = workbook.add_worksheet(_("Participants"))
        write_header(
            sheet,
            styles,
            [
                _("Firm"),
                _("Role"),
                _("Cost share (%)"),
                _("Committed cash"),
                _("Committed in-kind hours"),
                _("Committed in-kind value"),
            ],
        )
        for row, participant in enumerate(data["participants"], start=1):
            sheet.write(row, 0, participant["firm"])
            sheet.write(row, 1, participant["role"])
            sheet.write_number(row, 2, participant["cost_share"])
            sheet.write_number(row, 3, participant["committed_cash"], money)
            sheet.write_number(row, 4, participant["committed_hours"])
            sheet.write_number(row, 5, participant["committed_value"], money)

    def _cluster_sheet_budget(self, workbook, styles, data):
        """The budget per cost type and year."""
        _ = self.env._
        money = styles["money"]
        sheet = workbook.add_worksheet(_("Budget"))
        years = data["years"]
        write_header(sheet, styles, [_("Cost type"), *map(str, years), _("Total")])
        row = 0
        for row, line in enumerate(data["budget"], start=1):
            sheet.write(row, 0, line["category"])
            for col, amount in enumerate(line["amounts"], start=1):
                sheet.write_number(row, col, amount, money)
            sheet.write_number(row, len(years) + 1, line["total"], money)
        row += 1
        sheet.write(row, 0, _("Total"), styles["bold"])
        for col, amount in enumerate(data["year_totals"], start=1):
            sheet.write_number(row, col, amount, money)
        sheet.write_number(row, len(years) + 1, data["cost"], money)

    def _cluster_sheet_financing(self, workbook, styles, data):
        """The co-financing plan, each grant and each commitment."""
        _ = self.env._
        money = styles["money"]
        sheet = workbook.add_worksheet(_("Financing"))
        write_header(sheet, styles, [_("Financing"), _("Amount")])
        plan = data["plan"]
        rows = [
            (_("Planned cost"), plan["cost"]),
            (_("Public funding (grants)"), plan["public"]),
            (_("Private funding (commitments)"), plan["private"]),
            (_("Financing gap"), plan["gap"]),
        ]
        rows += [
            (
                _("Grant %(name)s (%(funder)s)", name=grant["name"], funder=grant["funder"]),
                grant["amount"],
            )
            for grant in data["grants"]
        ]
        rows += [
            (
                _("Commitment of %(firm)s", firm=participant["firm"]),
                participant["committed_cash"] + participant["committed_value"],
            )
            for participant in data["participants"]
        ]
        for row, (label, amount) in enumerate(rows, start=1):
            sheet.write(row, 0, label)
            sheet.write_number(row, 1, amount, money)
        for offset, warning in enumerate(plan["warnings"], start=len(rows) + 2):
            sheet.write(offset, 0, warning)

    def _cluster_sheet_activities(self, workbook, styles, data):
        """The activities and the indicators with their targets."""
        _ = self.env._
        date_style = workbook.add_format({"num_format": "yyyy-mm-dd"})
        sheet = workbook.add_worksheet(_("Activities"))
        write_header(sheet, styles, [_("Activity"), _("Start"), _("End")])
        for row, activity in enumerate(data["activities"], start=1):
            sheet.write(row, 0, activity["name"])
            for col, key in ((1, "date_begin"), (2, "date_end")):
                if activity[key]:
                    sheet.write_datetime(
                        row, col, fields.Datetime.to_datetime(activity[key]), date_style
                    )

        sheet = workbook.add_worksheet(_("Indicators"))
        write_header(sheet, styles, [_("Indicator"), _("From"), _("To"), _("Target")])
        for row, indicator in enumerate(data["indicators"], start=1):
            sheet.write(row, 0, indicator["kind"])
            sheet.write_datetime(
                row, 1, fields.Datetime.to_datetime(indicator["date_from"]), date_style
            )
            sheet.write_datetime(
                row, 2, fields.Datetime.to_datetime(indicator["date_to"]), date_style
            )
            sheet.write_number(row, 3, indicator["target"])


class ReportClusterApplication(models.AbstractModel):
    _name = "report.cluster_projects.report_cluster_application"
    _description = "Application to the funder (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        projects = self.env["project.project"].browse(docids)
        version_id = (data or {}).get("version_id")
        applications = []
        for project in projects:
            version = (
                self.env["cluster.budget.version"].browse(version_id)
                if version_id
                else project._cluster_application_version()
            )
            if version.project_id != project:
                raise UserError(
                    self.env._(
                        "%(project)s has no such budget version.", project=project.display_name
                    )
                )
            applications.append(project._cluster_application_data(version))
        return {
            "doc_ids": docids,
            "doc_model": "project.project",
            "docs": projects,
            "applications": applications,
        }
