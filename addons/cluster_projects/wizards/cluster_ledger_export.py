# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import UserError

from ..tools.xlsx import (
    attach_for_download,
    attach_to_request,
    fetch_in_chunks,
    new_workbook,
    write_header,
    xlsx_bytes,
)


class ClusterLedgerExport(models.TransientModel):
    """The funders' ledger of the whole cluster (or of chosen joint projects) as XLSX.

    Built for a million lines: one summary row per project from the co-financing figures
    (a fixed number of grouped queries), then every analytic line streamed from a
    server-side cursor in chunks into xlsxwriter's constant-memory mode, written to a
    temporary file. No ORM record is built per line, so memory stays flat.
    """

    _name = "cluster.ledger.export"
    _description = "Cluster Ledger Export"

    project_ids = fields.Many2many(
        "project.project",
        string="Joint projects",
        domain=[("is_joint_project", "=", True)],
        help="Leave empty for every joint project of the cluster.",
    )
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")
    attachment_id = fields.Many2one("ir.attachment", readonly=True)

    def _cluster_check_export(self):
        if not self.env.user.has_group("cluster_base.cluster_base_group_user"):
            raise UserError(self.env._("Only cluster users can export funder reports."))
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise UserError(self.env._("The period must end after it starts."))
        projects = self._cluster_projects()
        projects.check_access("read")
        return projects

    def action_export(self):
        """Write the workbook now, in this request (the job calls the same code)."""
        self.ensure_one()
        projects = self._cluster_check_export()
        content = xlsx_bytes(lambda path: self._cluster_write_xlsx(path, projects))
        self.attachment_id, action = attach_for_download(
            self, self.env._("Cluster ledger.xlsx"), content
        )
        return action

    def action_export_job(self):
        """The button: the workbook is written by a job on the export channel; the run's
        record shows its state and holds the file when it is done."""
        self.ensure_one()
        self._cluster_check_export()
        request = self.env["cluster.job.request"]._cluster_job_start(
            self,
            kind="ledger_export",
            name=self.env._("Cluster ledger"),
            channel="root.cluster.export",
            identity_key=(
                f"cluster.ledger.export:{self.env.uid}:{sorted(self.project_ids.ids)}:"
                f"{self.date_from}:{self.date_to}"
            ),
        )
        return request.action_open_request()

    def _cluster_job_values(self):
        self.ensure_one()
        return {
            "project_ids": [fields.Command.set(self.project_ids.ids)],
            "date_from": self.date_from,
            "date_to": self.date_to,
        }

    def _cluster_job_perform(self, request):
        self.action_export()
        return attach_to_request(self.attachment_id, request)

    def _cluster_projects(self):
        """The chosen joint projects, or every joint project the user can read."""
        if self.project_ids:
            return self.project_ids.filtered("is_joint_project")
        return self.env["project.project"].search([("is_joint_project", "=", True)])

    def _cluster_write_xlsx(self, path, projects):
        workbook, styles = new_workbook(path)
        self._cluster_sheet_projects(workbook, styles, projects)
        self._cluster_sheet_ledger(workbook, styles, projects)
        workbook.close()

    def _cluster_sheet_projects(self, workbook, styles, projects):
        sheet = workbook.add_worksheet(self.env._("Projects"))
        write_header(
            sheet,
            styles,
            [
                self.env._("Project"),
                self.env._("Eligible cost"),
                self.env._("Cash costs"),
                self.env._("In-kind value"),
                self.env._("In-kind hours"),
                self.env._("Public financing"),
                self.env._("Members' cash"),
                self.env._("Public share (%)"),
            ],
        )
        data = projects._cluster_cofinancing_data(self.date_from, self.date_to)
        money = styles["money"]
        for row, project in enumerate(projects.sorted(lambda p: (p.name, p.id)), start=1):
            values = data.get(project.id, {})
            sheet.write_string(row, 0, project.name)
            sheet.write_number(row, 1, values.get("eligible_cost", 0.0), money)
            sheet.write_number(row, 2, values.get("cash_cost", 0.0), money)
            sheet.write_number(row, 3, values.get("in_kind_value", 0.0), money)
            sheet.write_number(row, 4, values.get("in_kind_hours", 0.0))
            sheet.write_number(row, 5, values.get("public", 0.0), money)
            sheet.write_number(row, 6, values.get("member_cash", 0.0), money)
            sheet.write_number(row, 7, round(values.get("public_share", 0.0), 2))

    def _cluster_sheet_ledger(self, workbook, styles, projects):
        """Every analytic line of the projects' accounts, streamed in chunks.

        The projects were read as the user (``check_access``); their lines are read with
        one SQL query (names joined in) through a server-side cursor.
        """
        sheet = workbook.add_worksheet(self.env._("Ledger"))
        write_header(
            sheet,
            styles,
            [
                self.env._("Project"),
                self.env._("Date"),
                self.env._("Description"),
                self.env._("Person"),
                self.env._("Firm"),
                self.env._("Hour use"),
                self.env._("Cost category"),
                self.env._("Hours"),
                self.env._("Amount"),
                self.env._("In-kind value"),
            ],
        )
        accounts = projects.account_id
        if not accounts:
            return
        Line = self.env["account.analytic.line"]
        categories = dict(Line._fields["cluster_cost_category"]._description_selection(self.env))
        uses = dict(Line._fields["cluster_hour_use"]._description_selection(self.env))
        other = categories["other"]
        project_names = {project.account_id.id: project.name for project in projects}
        query = Line._cluster_ledger_query(accounts, self.date_from, self.date_to)
        self.env.flush_all()
        money = styles["money"]
        row = 1
        with fetch_in_chunks(self.env.cr, "cluster_ledger_export", query) as chunks:
            for chunk in chunks:
                for account, day, name, person, firm, use, category, hours, amount, value in chunk:
                    sheet.write_string(row, 0, project_names[account])
                    sheet.write_string(row, 1, day.isoformat())
                    sheet.write_string(row, 2, name or "")
                    if person:
                        sheet.write_string(row, 3, person)
                    if firm:
                        sheet.write_string(row, 4, firm)
                    if use:
                        sheet.write_string(row, 5, uses[use])
                    sheet.write_string(row, 6, categories.get(category, other))
                    sheet.write_number(row, 7, hours or 0.0)
                    sheet.write_number(row, 8, amount or 0.0, money)
                    sheet.write_number(row, 9, value or 0.0, money)
                    row += 1
