# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.xlsx import (
    attach_for_download,
    attach_to_request,
    fetch_in_chunks,
    new_workbook,
    write_header,
    xlsx_bytes,
)


class ClusterFunderReport(models.TransientModel):
    """Write the funder report of a joint project as an XLSX attachment."""

    _name = "cluster.funder.report"
    _description = "Funder Report"

    project_id = fields.Many2one(
        "project.project", required=True, domain=[("is_joint_project", "=", True)]
    )
    grant_id = fields.Many2one("cluster.grant", domain="[('project_id', '=', project_id)]")
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")
    include_ledger = fields.Boolean(
        string="Ledger extract",
        default=True,
        help="Add every analytic line of the project's account in the period.",
    )
    attachment_id = fields.Many2one("ir.attachment", readonly=True)

    @api.onchange("grant_id")
    def _onchange_grant_id(self):
        if self.grant_id:
            self.date_from = self.grant_id.date_from
            self.date_to = self.grant_id.date_to

    def _cluster_check_export(self):
        self.project_id.check_access("read")
        if not self.env.user.has_group("cluster_base.cluster_base_group_user"):
            raise UserError(self.env._("Only cluster users can export funder reports."))

    def action_export(self):
        """Write the workbook now, in this request (the job calls the same code)."""
        self.ensure_one()
        self._cluster_check_export()
        self.attachment_id, action = attach_for_download(
            self,
            self.env._("Funder report %(project)s.xlsx", project=self.project_id.name),
            self._cluster_build_xlsx(),
        )
        return action

    def action_export_job(self):
        """The button: the workbook is written by a job on the export channel; the run's
        record shows its state and holds the file when it is done."""
        self.ensure_one()
        self._cluster_check_export()
        request = self.env["cluster.job.request"]._cluster_job_start(
            self,
            kind="funder_report",
            name=self.env._("Funder report %(project)s", project=self.project_id.name),
            channel="root.cluster.export",
            identity_key=(
                f"cluster.funder.report:{self.env.uid}:{self.project_id.id}:"
                f"{self.grant_id.id}:{self.date_from}:{self.date_to}:{self.include_ledger}"
            ),
        )
        return request.action_open_request()

    def _cluster_job_values(self):
        self.ensure_one()
        return {
            "project_id": self.project_id.id,
            "grant_id": self.grant_id.id,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "include_ledger": self.include_ledger,
        }

    def _cluster_job_perform(self, request):
        self.action_export()
        return attach_to_request(self.attachment_id, request)

    # ------------------------------------------------------------------
    def _cluster_line_domain(self):
        domain = [("account_id", "=", self.project_id.account_id.id)]
        if self.date_from:
            domain.append(("date", ">=", self.date_from))
        if self.date_to:
            domain.append(("date", "<=", self.date_to))
        return domain

    def _cluster_build_xlsx(self):
        """Build the workbook in a temp file with xlsxwriter's constant memory."""
        return xlsx_bytes(self._cluster_write_xlsx)

    def _cluster_write_xlsx(self, path):
        workbook, styles = new_workbook(path)
        self._cluster_sheet_summary(workbook, styles)
        self._cluster_sheet_hours(workbook, styles)
        self._cluster_sheet_costs(workbook, styles)
        self._cluster_sheet_cofinancing(workbook, styles)
        self._cluster_sheet_cash_received(workbook, styles)
        self._cluster_sheet_cash_open(workbook, styles)
        self._cluster_sheet_activities(workbook, styles)
        self._cluster_sheet_indicators(workbook, styles)
        if self.include_ledger:
            self._cluster_sheet_ledger(workbook, styles)
        workbook.close()

    def _cluster_sheet_summary(self, workbook, styles):
        project = self.project_id
        data = project._cluster_cofinancing_data(self.date_from, self.date_to).get(project.id, {})
        sheet = workbook.add_worksheet(self.env._("Summary"))
        sheet.set_column(0, 0, 32)
        sheet.set_column(1, 1, 40)
        rows = [
            (self.env._("Project"), project.name),
            (
                self.env._("Focus area"),
                dict(project._fields["cluster_focus_area"]._description_selection(self.env)).get(
                    project.cluster_focus_area, ""
                ),
            ),
            (
                self.env._("Programme priority"),
                project.cluster_programme_priority or "",
            ),
            (
                self.env._("Stage"),
                dict(project._fields["cluster_stage"]._description_selection(self.env))[
                    project.cluster_stage
                ],
            ),
            (
                self.env._("Funder"),
                self.grant_id.funder_id.name
                or ", ".join(project.cluster_grant_ids.funder_id.mapped("name")),
            ),
            (
                self.env._("Period from"),
                fields.Date.to_string(self.date_from or project.date_start) or "",
            ),
            (
                self.env._("Period to"),
                fields.Date.to_string(self.date_to or project.date) or "",
            ),
            (self.env._("Eligible cost"), data.get("eligible_cost", 0.0)),
            (self.env._("Cash costs"), data.get("cash_cost", 0.0)),
            (self.env._("In-kind value"), data.get("in_kind_value", 0.0)),
            (self.env._("In-kind hours"), data.get("in_kind_hours", 0.0)),
            (self.env._("Flat-rate indirect costs"), data.get("indirect_cost", 0.0)),
            (self.env._("Public financing"), data.get("public", 0.0)),
            (self.env._("Members' cash"), data.get("member_cash", 0.0)),
            (
                self.env._("Members' cash invoiced, not paid"),
                data.get("member_cash_open", 0.0),
            ),
            (self.env._("Public share (%)"), round(data.get("public_share", 0.0), 2)),
            *self._cluster_split_rows(data),
        ]
        for row, (label, value) in enumerate(rows):
            sheet.write(row, 0, label, styles["bold"])
            if isinstance(value, int | float):  # a project without hours sums to int 0
                sheet.write_number(row, 1, value, styles["money"])
            else:
                sheet.write_string(row, 1, value)
        for offset, warning in enumerate(data.get("warnings", [])):
            sheet.write(len(rows) + 1 + offset, 0, self.env._("Warning"), styles["bold"])
            sheet.write(len(rows) + 1 + offset, 1, warning)

    def _cluster_split_rows(self, data):
        """The four-way split of the period's actual financing, as summary rows."""
        split = data.get("split", {}).get("actual", {})
        return [
            (self.env._("Public cash"), split.get("public_cash", 0.0)),
            (self.env._("Public in-kind"), split.get("public_in_kind", 0.0)),
            (self.env._("Private cash"), split.get("private_cash", 0.0)),
            (self.env._("Private in-kind"), split.get("private_in_kind", 0.0)),
        ]

    def _cluster_sheet_hours(self, workbook, styles):
        sheet = workbook.add_worksheet(self.env._("Hours"))
        write_header(
            sheet,
            styles,
            [
                self.env._("Month"),
                self.env._("Firm"),
                self.env._("Person"),
                self.env._("Hour use"),
                self.env._("Hours"),
                self.env._("In-kind value"),
            ],
        )
        # the project's read access was checked; the hours of every firm are reported
        groups = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                self._cluster_line_domain() + [("project_id", "!=", False)],
                ["date:month", "cluster_member_id", "employee_id", "cluster_hour_use"],
                ["unit_amount:sum", "cluster_in_kind_value:sum"],
            )
        )
        use_labels = dict(
            self.env["account.analytic.line"]
            ._fields["cluster_hour_use"]
            ._description_selection(self.env)
        )
        groups.sort(key=lambda g: (g[0], g[1].name or "", g[2].name or ""))
        for row, (month, firm, employee, use, hours, value) in enumerate(groups, start=1):
            sheet.write_string(row, 0, month.strftime("%Y-%m"))
            sheet.write_string(row, 1, firm.name or "")
            sheet.write_string(row, 2, employee.name or "")
            sheet.write_string(row, 3, use_labels.get(use, ""))
            sheet.write_number(row, 4, hours)
            sheet.write_number(row, 5, value, styles["money"])

    def _cluster_sheet_costs(self, workbook, styles):
        sheet = workbook.add_worksheet(self.env._("Costs"))
        write_header(
            sheet,
            styles,
            [
                self.env._("Cost category"),
                self.env._("Planned"),
                self.env._("Actual"),
                self.env._("Variance"),
            ],
        )
        budget = self.project_id.cluster_budget_line_ids
        if self.date_from:
            budget = budget.filtered(lambda b: b.date_to >= self.date_from)
        if self.date_to:
            budget = budget.filtered(lambda b: b.date_from <= self.date_to)
        # planned: the budget lines touching the period; actual: the costs of the period
        totals = defaultdict(lambda: [0.0, 0.0])
        for line in budget:
            totals[line.category][0] += line.amount_planned
        for category, amount in self.project_id._cluster_actuals_by_category(
            self.date_from, self.date_to
        ).items():
            totals[category][1] += amount
        labels = (
            self.env["cluster.budget.line"]._fields["category"]._description_selection(self.env)
        )
        row = 1
        for key, label in labels:
            planned, actual = totals.get(key, (0.0, 0.0))
            sheet.write_string(row, 0, label)
            sheet.write_number(row, 1, planned, styles["money"])
            sheet.write_number(row, 2, actual, styles["money"])
            sheet.write_number(row, 3, planned - actual, styles["money"])
            row += 1
        sheet.write_string(row, 0, self.env._("Total"), styles["bold"])
        sheet.write_number(row, 1, sum(v[0] for v in totals.values()), styles["money"])
        sheet.write_number(row, 2, sum(v[1] for v in totals.values()), styles["money"])
        sheet.write_number(row, 3, sum(v[0] - v[1] for v in totals.values()), styles["money"])

    def _cluster_sheet_cofinancing(self, workbook, styles):
        project = self.project_id
        data = project._cluster_cofinancing_data(self.date_from, self.date_to).get(project.id, {})
        sheet = workbook.add_worksheet(self.env._("Co-financing"))
        write_header(
            sheet,
            styles,
            [
                self.env._("Source"),
                self.env._("Kind"),
                self.env._("Cash"),
                self.env._("In-kind"),
                self.env._("Public"),
                self.env._("Committed cash"),
                self.env._("Committed hours"),
                self.env._("Hours"),
                self.env._("Invoiced, not paid"),
            ],
        )
        row = 1
        for values in sorted(
            data.get("participants", {}).values(),
            key=lambda v: v["participant"].partner_id.name,
        ):
            participant = values["participant"]
            sheet.write_string(row, 0, participant.partner_id.name)
            sheet.write_string(row, 1, self.env._("Participant"))
            sheet.write_number(row, 2, values["cash"], styles["money"])
            sheet.write_number(row, 3, values["in_kind"], styles["money"])
            sheet.write_number(row, 4, 0.0, styles["money"])
            sheet.write_number(row, 5, participant.committed_cash, styles["money"])
            sheet.write_number(row, 6, participant.committed_hours)
            sheet.write_number(row, 7, values["hours"])
            sheet.write_number(row, 8, values["cash_open"], styles["money"])
            row += 1
        for values in data.get("grants", {}).values():
            grant = values["grant"]
            sheet.write_string(row, 0, grant.funder_id.name)
            sheet.write_string(row, 1, self.env._("Grant %(grant)s", grant=grant.name))
            sheet.write_number(row, 2, 0.0, styles["money"])
            sheet.write_number(row, 3, 0.0, styles["money"])
            sheet.write_number(row, 4, values["claimed"], styles["money"])
            row += 1
        sheet.write_string(row, 0, self.env._("Total"), styles["bold"])
        sheet.write_number(row, 2, data.get("member_cash", 0.0), styles["money"])
        sheet.write_number(row, 3, data.get("in_kind_value", 0.0), styles["money"])
        sheet.write_number(row, 4, data.get("public", 0.0), styles["money"])
        sheet.write_number(row, 8, data.get("member_cash_open", 0.0), styles["money"])

    def _cluster_member_payment_rows(self):
        """The project's invoice and payment rows of the period, participants only."""
        project = self.project_id
        firms = project.cluster_participant_ids.partner_id
        names = {firm.id: firm.name for firm in firms}
        # the project's read access was checked; its invoices' payments are reported
        rows = project.sudo()._cluster_member_payments(self.date_from, self.date_to)
        return [
            dict(row, firm=names[row["partner_id"]]) for row in rows if row["partner_id"] in names
        ]

    def _cluster_sheet_cash_received(self, workbook, styles):
        """Money received from the participating firms: each payment of the period
        reconciled with the project's customer invoices, for the project's share."""
        sheet = workbook.add_worksheet(self.env._("Cash received"))
        write_header(
            sheet,
            styles,
            [
                self.env._("Date"),
                self.env._("Firm"),
                self.env._("Invoice"),
                self.env._("Payment"),
                self.env._("Amount"),
            ],
        )
        rows = [r for r in self._cluster_member_payment_rows() if r["payment_date"]]
        rows.sort(key=lambda r: (r["payment_date"], r["firm"], r["move_id"]))
        total = 0.0
        row = 1
        for item in rows:
            sheet.write_string(row, 0, fields.Date.to_string(item["payment_date"]))
            sheet.write_string(row, 1, item["firm"])
            sheet.write_string(row, 2, item["move_name"] or "")
            sheet.write_string(row, 3, item["payment_name"] or "")
            sheet.write_number(row, 4, item["received"], styles["money"])
            total += item["received"]
            row += 1
        sheet.write_string(row, 0, self.env._("Total"), styles["bold"])
        sheet.write_number(row, 4, total, styles["money"])

    def _cluster_sheet_cash_open(self, workbook, styles):
        """The project's share of the participants' invoices still open at the end of
        the period: invoiced, not (yet) money received."""
        sheet = workbook.add_worksheet(self.env._("Invoiced, not paid"))
        write_header(
            sheet,
            styles,
            [
                self.env._("Invoice date"),
                self.env._("Firm"),
                self.env._("Invoice"),
                self.env._("Project share"),
                self.env._("Not paid"),
            ],
        )
        currency = self.project_id.currency_id
        rows = [r for r in self._cluster_member_payment_rows() if not currency.is_zero(r["open"])]
        total = 0.0
        row = 1
        for item in rows:
            sheet.write_string(row, 0, fields.Date.to_string(item["invoice_date"]) or "")
            sheet.write_string(row, 1, item["firm"])
            sheet.write_string(row, 2, item["move_name"] or "")
            sheet.write_number(row, 3, item["share"], styles["money"])
            sheet.write_number(row, 4, item["open"], styles["money"])
            total += item["open"]
            row += 1
        sheet.write_string(row, 0, self.env._("Total"), styles["bold"])
        sheet.write_number(row, 4, total, styles["money"])

    def _cluster_sheet_activities(self, workbook, styles):
        sheet = workbook.add_worksheet(self.env._("Activities"))
        write_header(
            sheet,
            styles,
            [
                self.env._("Activity"),
                self.env._("Type"),
                self.env._("Date"),
                self.env._("Women"),
                self.env._("Men"),
                self.env._("Other"),
                self.env._("Participant hours"),
            ],
        )
        events = self.env["event.event"].search(
            [("cluster_project_id", "=", self.project_id.id)], order="date_begin, id"
        )
        if self.date_from:
            events = events.filtered(lambda e: e.date_begin.date() >= self.date_from)
        if self.date_to:
            events = events.filtered(lambda e: e.date_begin.date() <= self.date_to)
        counts = defaultdict(lambda: defaultdict(int))
        hours = defaultdict(float)
        for event, gender, count, total in (
            self.env["event.registration"]
            .sudo()
            ._read_group(
                [("event_id", "in", events.ids), ("state", "!=", "cancel")],
                ["event_id", "cluster_gender"],
                ["__count", "cluster_hours:sum"],
            )
        ):
            counts[event.id][gender or "other"] += count
            hours[event.id] += total
        types = dict(events._fields["cluster_activity_type"]._description_selection(self.env))
        for row, event in enumerate(events, start=1):
            sheet.write_string(row, 0, event.name)
            sheet.write_string(row, 1, types.get(event.cluster_activity_type, ""))
            sheet.write_string(row, 2, fields.Date.to_string(event.date_begin.date()))
            sheet.write_number(row, 3, counts[event.id]["female"])
            sheet.write_number(row, 4, counts[event.id]["male"])
            sheet.write_number(row, 5, counts[event.id]["other"])
            sheet.write_number(row, 6, hours[event.id])

    def _cluster_sheet_indicators(self, workbook, styles):
        sheet = workbook.add_worksheet(self.env._("Indicators"))
        write_header(
            sheet,
            styles,
            [
                self.env._("Indicator"),
                self.env._("From"),
                self.env._("To"),
                self.env._("Target"),
                self.env._("Outcome"),
                self.env._("Evidence"),
            ],
        )
        indicators = self.project_id.cluster_indicator_ids
        if self.date_from:
            indicators = indicators.filtered(lambda i: i.date_to >= self.date_from)
        if self.date_to:
            indicators = indicators.filtered(lambda i: i.date_from <= self.date_to)
        kinds = dict(indicators._fields["kind"]._description_selection(self.env))
        for row, indicator in enumerate(indicators, start=1):
            sheet.write_string(row, 0, kinds[indicator.kind])
            sheet.write_string(row, 1, fields.Date.to_string(indicator.date_from))
            sheet.write_string(row, 2, fields.Date.to_string(indicator.date_to))
            sheet.write_number(row, 3, indicator.target)
            sheet.write_number(row, 4, indicator.outcome)
            sheet.write_string(row, 5, indicator.evidence or "")

    def _cluster_sheet_ledger(self, workbook, styles):
        """Every analytic line of the project's account, streamed in chunks.

        The project's read access was checked by ``action_export``; the lines are read
        with
        one SQL query (names joined in) and fetched in chunks, so memory stays flat and
        no
        ORM record is built per line.
        """
        sheet = workbook.add_worksheet(self.env._("Ledger"))
        write_header(
            sheet,
            styles,
            [
                self.env._("Date"),
                self.env._("Description"),
                self.env._("Person"),
                self.env._("Firm"),
                self.env._("Cost category"),
                self.env._("Hours"),
                self.env._("Amount"),
                self.env._("In-kind value"),
            ],
        )
        Line = self.env["account.analytic.line"]
        categories = dict(Line._fields["cluster_cost_category"]._description_selection(self.env))
        other = categories["other"]
        query = Line._cluster_ledger_query(
            self.project_id.account_id, self.date_from, self.date_to
        )
        self.env.flush_all()
        money = styles["money"]
        row = 1
        with fetch_in_chunks(self.env.cr, "cluster_funder_ledger", query) as chunks:
            for chunk in chunks:
                for _acc, day, name, person, firm, _use, category, hours, amount, in_kind in chunk:
                    sheet.write_string(row, 0, day.isoformat())
                    sheet.write_string(row, 1, name or "")
                    if person:
                        sheet.write_string(row, 2, person)
                    if firm:
                        sheet.write_string(row, 3, firm)
                    sheet.write_string(row, 4, categories.get(category, other))
                    sheet.write_number(row, 5, hours or 0.0)
                    sheet.write_number(row, 6, amount or 0.0, money)
                    sheet.write_number(row, 7, in_kind or 0.0, money)
                    row += 1
