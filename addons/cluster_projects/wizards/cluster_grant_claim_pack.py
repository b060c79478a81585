# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The claim pack: what an auditor of a payment claim asks for, in one ZIP.

``claim_pack.xlsx`` (the claim's figures, every cost line of its period with its voucher
and payment, the in-kind time per person and month with its value basis, the vouchers and
their files) and ``vouchers/`` with the files attached to the vouchers.
"""

import base64
import io
import re
import zipfile
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.xlsx import new_workbook, write_header, xlsx_bytes

# who may make and download a claim pack: those who read the claim and the vouchers
PACK_GROUPS = "account.group_account_invoice,account.group_account_readonly"
ZIP_MIMETYPE = "application/zip"


def _safe_name(name):
    """A file or folder name for the ZIP: no path separators, no control characters."""
    return re.sub(r"[\x00-\x1f/\\:*?\"<>|]+", "_", name or "").strip(" .") or "_"


class ClusterGrantClaimPack(models.TransientModel):
    """Build the claim pack of a payment claim (as a job on the export channel)."""

    _name = "cluster.grant.claim.pack"
    _description = "Payment Claim Pack"

    claim_id = fields.Many2one("cluster.grant.claim", ondelete="cascade")
    expected_move_ids = fields.Json(
        help="The vouchers of the claim's period when the pack was asked for."
    )

    @api.model_create_multi
    def create(self, vals_list):
        # the job builds the wizard again later: a claim deleted meanwhile is a message,
        # not a foreign-key error
        Claim = self.env["cluster.grant.claim"]
        for vals in vals_list:
            if vals.get("claim_id"):
                vals["claim_id"] = Claim.browse(vals["claim_id"]).exists().id
        return super().create(vals_list)

    # Checks -----------------------------------------------------------------------

    def _cluster_check_pack(self):
        """Who may make the pack, and whether the claim has anything to put in it."""
        claim = self.claim_id
        if not claim:
            raise UserError(self.env._("The claim was deleted before its pack was made."))
        claim.check_access("read")
        if not self.env.user.has_groups(PACK_GROUPS):
            raise AccessError(
                self.env._(
                    "Only users who may read the accounting vouchers can make or download "
                    "a claim pack."
                )
            )
        self.env["account.move"].check_access("read")
        if claim.state == "draft":
            raise UserError(
                self.env._(
                    "Submit claim %(claim)s first: its pack shows the in-kind values frozen "
                    "when it is submitted.",
                    claim=claim.name,
                )
            )
        if not claim.sudo().line_ids and not self._cluster_cost_lines():
            raise UserError(
                self.env._(
                    "Claim %(claim)s has nothing to put in a pack: no in-kind hours claimed "
                    "and no costs on the project in %(date_from)s to %(date_to)s.",
                    claim=claim.name,
                    date_from=claim.date_from,
                    date_to=claim.date_to,
                )
            )

    # Start and run ------------------------------------------------------------------

    def action_pack_job(self):
        """Enqueue the pack on the export channel; the run's record shows its state."""
        self.ensure_one()
        self._cluster_check_pack()
        self.expected_move_ids = self._cluster_cost_lines().move_line_id.move_id.ids
        claim = self.claim_id
        request = self.env["cluster.job.request"]._cluster_job_start(
            self,
            kind="claim_pack",
            name=self.env._("Claim pack %(claim)s", claim=claim.name),
            channel="root.cluster.export",
            identity_key=f"cluster.grant.claim.pack:{self.env.uid}:{claim.id}",
        )
        return request.action_open_request()

    def _cluster_job_values(self):
        self.ensure_one()
        return {"claim_id": self.claim_id.id, "expected_move_ids": self.expected_move_ids}

    def _cluster_job_perform(self, request):
        """The job: the pack, or the reason there is none, as the run's summary (bad
        input is a message to the user, never a failed job)."""
        try:
            self._cluster_check_pack()
            self._cluster_check_vouchers_unchanged()
            # reads the vouchers as the user: one they may not read is refused here
            content = self._cluster_build_zip()
        except (UserError, AccessError) as error:
            return error.args[0]
        attachment = self._cluster_attach_pack(content)
        request.write({"attachment_id": attachment.id, "cluster_job_document_count": 1})
        return self.env._("%(name)s is ready.", name=attachment.name)

    def _cluster_check_vouchers_unchanged(self):
        """A voucher deleted between asking and building: the pack would not be what
        the user saw; ask again."""
        expected = set(self.expected_move_ids or [])
        gone = expected - set(self.env["account.move"].sudo().browse(expected).exists().ids)
        if gone:
            raise UserError(
                self.env._(
                    "%(count)s voucher(s) of claim %(claim)s were deleted after the pack "
                    "was asked for. Check the project's costs and ask for the pack again.",
                    count=len(gone),
                    claim=self.claim_id.name,
                )
            )

    def _cluster_attach_pack(self, content):
        """The pack on the claim (its ``claim_pack`` file, readable only by those who
        may read vouchers); a new pack replaces the one before."""
        claim = self.claim_id
        name = self.env._("Claim pack %(claim)s.zip", claim=_safe_name(claim.name))
        # sudo: the rights were checked above; a reader of the claim can't write it
        claim_sudo = claim.sudo()
        claim_sudo.write({"claim_pack": base64.b64encode(content), "claim_pack_name": name})
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", claim._name),
                    ("res_id", "=", claim.id),
                    ("res_field", "=", "claim_pack"),
                ],
                limit=1,
            )
        )
        attachment.write({"name": name, "mimetype": ZIP_MIMETYPE})
        return attachment.with_env(self.env)

    # Data ------------------------------------------------------------------------

    def _cluster_cost_lines(self):
        """The cash costs of the claim's period on the project's analytic account, as
        the co-financing counts them (``_cluster_cofinancing_data``)."""
        claim = self.claim_id
        # sudo: the claim's read access was checked; the costs of every firm are shown
        return (
            self.env["account.analytic.line"]
            .sudo()
            .search(
                [
                    ("account_id", "=", claim.project_id.account_id.id),
                    ("amount", "<", 0),
                    ("category", "!=", "invoice"),
                    ("date", ">=", claim.date_from),
                    ("date", "<=", claim.date_to),
                    "|",
                    ("cluster_hour_use", "=", False),
                    ("cluster_hour_use", "!=", "in_kind"),
                ],
                order="date, id",
            )
        )

    def _cluster_self_billed(self, moves):
        """The self-billed vouchers among ``moves`` (the association wrote the
        supplier's invoice); extended where self-billing is kept."""
        return moves.browse()

    def _cluster_payments(self, moves):
        """``{move_id: (last payment date, payment references)}`` from the payments
        reconciled with each voucher's payable or receivable lines."""
        result = {}
        for move in moves:
            counterparts = move._get_reconciled_amls() - move.line_ids
            if counterparts:
                result[move.id] = (
                    max(counterparts.mapped("date")),
                    ", ".join(sorted(set(counterparts.move_id.mapped("name")))),
                )
        return result

    def _cluster_cost_rows(self):
        lines = self._cluster_cost_lines()
        moves = lines.move_line_id.move_id
        # the vouchers are read as the user: one they may not read stops the pack
        moves.check_access("read")
        moves = moves.sudo()
        self_billed = self._cluster_self_billed(moves)
        payments = self._cluster_payments(moves)
        rows = []
        for line in lines:
            move = line.move_line_id.move_id
            account = line.general_account_id
            paid_date, payment_ref = payments.get(move.id, (False, ""))
            rows.append(
                {
                    "voucher": move.name or "",
                    "account": account.code or "",
                    "account_name": account.name or "",
                    "date": line.date,
                    "description": line.name or "",
                    "amount": -line.amount,
                    "supplier": (move.partner_id or line.partner_id).name or "",
                    "self_billed": move in self_billed,
                    "paid_date": paid_date,
                    "payment_ref": payment_ref,
                }
            )
        return rows, moves

    def _cluster_time_rows(self):
        """The claim's frozen in-kind hours per firm, person, month and value basis."""
        groups = defaultdict(lambda: [0.0, 0.0])
        # sudo: the claim's rows are its audit trail, readable with the claim
        for row in self.claim_id.sudo().line_ids:
            key = (
                row.date.strftime("%Y-%m"),
                row.member_id.name or "",
                row.employee_id.name or "",
                row.basis or "",
                row.monthly_salary,
                row.payroll_pct,
                row.yearly_hours,
                row.hourly_rate,
            )
            groups[key][0] += row.hours
            groups[key][1] += row.value
        return [(*key, hours, value) for key, (hours, value) in sorted(groups.items())]

    def _cluster_voucher_files(self, moves):
        """``{move: attachments}`` of the vouchers, read as the user."""
        attachments = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "account.move"),
                ("res_id", "in", moves.ids),
                "|",
                ("res_field", "=", False),
                ("res_field", "=", "invoice_pdf_report_file"),
            ],
            order="res_id, id",
        )
        files = defaultdict(lambda: self.env["ir.attachment"])
        for attachment in attachments:
            files[attachment.res_id] |= attachment
        return files

    # Writing ------------------------------------------------------------------------

    def _cluster_voucher_document(self, move):
        """``(file name, content)`` of the document the suite itself issued for a
        voucher without a file (e.g. a self-billed bill's PDF), or ``False``: the voucher
        is listed as missing. Extended where the suite issues documents."""
        return False

    def _cluster_build_zip(self):
        cost_rows, moves = self._cluster_cost_rows()
        files = self._cluster_voucher_files(moves)
        entries = []  # (move, path in the ZIP or False, attachment or bytes)
        used = set()
        for move in moves.sorted(lambda m: (m.date, m.name or "", m.id)):
            folder = _safe_name(move.name)
            sources = [(attachment.name, attachment) for attachment in files.get(move.id, [])]
            if not sources:
                document = self._cluster_voucher_document(move)
                if not document:
                    entries.append((move, False, None))
                    continue
                sources = [document]
            for name, source in sources:
                path = f"vouchers/{folder}/{_safe_name(name)}"
                number = 1
                while path in used:
                    number += 1
                    path = f"vouchers/{folder}/{number}_{_safe_name(name)}"
                used.add(path)
                entries.append((move, path, source))
        workbook = xlsx_bytes(lambda path: self._cluster_write_xlsx(path, cost_rows, entries))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("claim_pack.xlsx", workbook)
            for _move, path, source in entries:
                if path:
                    content = source if isinstance(source, bytes) else source.raw
                    archive.writestr(path, content or b"")
        return buffer.getvalue()

    def _cluster_write_xlsx(self, path, cost_rows, entries):
        workbook, styles = new_workbook(path)
        self._cluster_sheet_claim(workbook, styles, cost_rows, entries)
        self._cluster_sheet_costs(workbook, styles, cost_rows)
        self._cluster_sheet_time(workbook, styles)
        self._cluster_sheet_vouchers(workbook, styles, entries)
        workbook.close()

    def _cluster_sheet_claim(self, workbook, styles, cost_rows, entries):
        claim = self.claim_id.sudo()
        grant = claim.grant_id
        bases = dict(grant._fields["indirect_basis"]._description_selection(self.env))
        missing = {move.id for move, path, _att in entries if not path}
        rows = [
            (self.env._("Claim"), claim.name),
            (self.env._("Grant"), grant.name),
            (self.env._("Funder"), grant.funder_id.name or ""),
            (self.env._("Project"), claim.project_id.name),
            (self.env._("Period from"), fields.Date.to_string(claim.date_from)),
            (self.env._("Period to"), fields.Date.to_string(claim.date_to)),
            (self.env._("Amount claimed"), claim.amount_claimed),
            (self.env._("Cash costs"), sum(r["amount"] for r in cost_rows)),
            (self.env._("In-kind hours"), claim.in_kind_hours),
            (self.env._("In-kind value"), claim.in_kind_value),
            (self.env._("Flat-rate indirect costs"), claim.period_indirect_cost),
            (self.env._("Indirect rate (%)"), grant.indirect_rate_pct),
            (self.env._("Indirect basis"), bases.get(grant.indirect_basis, "")),
            (self.env._("Public cash"), claim.period_public_cash),
            (self.env._("Public in-kind"), claim.period_public_in_kind),
            (self.env._("Private cash"), claim.period_private_cash),
            (self.env._("Private in-kind"), claim.period_private_in_kind),
            (self.env._("Vouchers"), len({move.id for move, _p, _a in entries})),
            (self.env._("Vouchers without a file"), len(missing)),
        ]
        sheet = workbook.add_worksheet(self.env._("Claim"))
        sheet.set_column(0, 0, 32)
        sheet.set_column(1, 1, 40)
        for row, (label, value) in enumerate(rows):
            sheet.write_string(row, 0, label, styles["bold"])
            if isinstance(value, int | float):
                sheet.write_number(row, 1, value, styles["money"])
            else:
                sheet.write_string(row, 1, value or "")

    def _cluster_sheet_costs(self, workbook, styles, cost_rows):
        sheet = workbook.add_worksheet(self.env._("Cost lines"))
        write_header(
            sheet,
            styles,
            [
                self.env._("Voucher"),
                self.env._("Account"),
                self.env._("Account name"),
                self.env._("Date"),
                self.env._("Description"),
                self.env._("Amount"),
                self.env._("Supplier"),
                self.env._("Self-billing"),
                self.env._("Paid date"),
                self.env._("Payment reference"),
            ],
        )
        yes = self.env._("Self-billing")
        row = 1
        for item in cost_rows:
            sheet.write_string(row, 0, item["voucher"])
            sheet.write_string(row, 1, item["account"])
            sheet.write_string(row, 2, item["account_name"])
            sheet.write_string(row, 3, fields.Date.to_string(item["date"]))
            sheet.write_string(row, 4, item["description"])
            sheet.write_number(row, 5, item["amount"], styles["money"])
            sheet.write_string(row, 6, item["supplier"])
            sheet.write_string(row, 7, yes if item["self_billed"] else "")
            sheet.write_string(row, 8, fields.Date.to_string(item["paid_date"]) or "")
            sheet.write_string(row, 9, item["payment_ref"])
            row += 1
        sheet.write_string(row, 0, self.env._("Total"), styles["bold"])
        sheet.write_number(row, 5, sum(r["amount"] for r in cost_rows), styles["money"])

    def _cluster_sheet_time(self, workbook, styles):
        sheet = workbook.add_worksheet(self.env._("In-kind time"))
        write_header(
            sheet,
            styles,
            [
                self.env._("Month"),
                self.env._("Firm"),
                self.env._("Person"),
                self.env._("Value basis"),
                self.env._("Monthly salary"),
                self.env._("Employer contributions (%)"),
                self.env._("Yearly hours"),
                self.env._("Hourly rate"),
                self.env._("Hours"),
                self.env._("Value"),
            ],
        )
        bases = dict(
            self.env["cluster.grant.claim.line"]._fields["basis"]._description_selection(self.env)
        )
        total_hours = total_value = 0.0
        row = 1
        for (
            month,
            firm,
            person,
            basis,
            salary,
            pct,
            yearly,
            rate,
            hours,
            value,
        ) in self._cluster_time_rows():
            sheet.write_string(row, 0, month)
            sheet.write_string(row, 1, firm)
            sheet.write_string(row, 2, person)
            sheet.write_string(row, 3, bases.get(basis, ""))
            sheet.write_number(row, 4, salary or 0.0, styles["money"])
            sheet.write_number(row, 5, pct or 0.0)
            sheet.write_number(row, 6, yearly or 0.0)
            sheet.write_number(row, 7, rate or 0.0)
            sheet.write_number(row, 8, hours)
            sheet.write_number(row, 9, value, styles["money"])
            total_hours += hours
            total_value += value
            row += 1
        sheet.write_string(row, 0, self.env._("Total"), styles["bold"])
        sheet.write_number(row, 8, total_hours)
        sheet.write_number(row, 9, total_value, styles["money"])

    def _cluster_sheet_vouchers(self, workbook, styles, entries):
        sheet = workbook.add_worksheet(self.env._("Vouchers"))
        write_header(
            sheet,
            styles,
            [
                self.env._("Voucher"),
                self.env._("Date"),
                self.env._("Supplier"),
                self.env._("File"),
            ],
        )
        missing = self.env._("No file attached: missing from the pack")
        for row, (move, path, _attachment) in enumerate(entries, start=1):
            sheet.write_string(row, 0, move.name or "")
            sheet.write_string(row, 1, fields.Date.to_string(move.date) or "")
            sheet.write_string(row, 2, move.partner_id.name or "")
            sheet.write_string(row, 3, path or missing)
