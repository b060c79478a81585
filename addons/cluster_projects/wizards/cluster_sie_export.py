# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""SIE4 export of the association's books, with the joint projects as objects.

The file is built from a fixed number of queries, whatever the number of vouchers:
``_read_group`` for the balances, one ``search_fetch`` for the posted moves of the
period, one for their journal items per chunk of 1,000 vouchers, plus the chart and
the project objects.
"""

import base64
import re
from collections import defaultdict
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.modules.module import get_manifest
from odoo.osv import expression
from odoo.tools import split_every

from ..tools.sie import Bare, SieAmount, SieWriter

# Dimension 6 is reserved for "Projekt" in the SIE standard (the name is part of the
# format, not a user-facing label: it stays Swedish whatever the user's language).
SIE_PROJECT_DIMENSION = 6
SIE_PROJECT_DIMENSION_NAME = "Projekt"
# Vouchers whose journal items are read (and dropped from the cache) at a time.
SIE_CHUNK_SIZE = 1000
# Odoo account type -> SIE account type (Tillgång, Skuld, Kostnad, Intäkt).
SIE_ACCOUNT_TYPES = {
    "asset": "T",
    "liability": "S",
    "equity": "S",
    "income": "I",
    "expense": "K",
}


def _cents(amount):
    return int(Decimal(repr(amount or 0.0)).scaleb(2).quantize(Decimal(1), ROUND_HALF_UP))


def _amount(cents):
    return SieAmount(Decimal(cents).scaleb(-2))


class ClusterSieExport(models.TransientModel):
    _name = "cluster.sie.export"
    _description = "SIE4 export"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    date_from = fields.Date(
        string="From",
        compute="_compute_dates",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    date_to = fields.Date(
        string="To",
        compute="_compute_dates",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    sie_file = fields.Binary(string="SIE file", readonly=True, attachment=True)
    sie_filename = fields.Char(string="File name", readonly=True)

    @api.depends("company_id")
    def _compute_dates(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            if not wizard.company_id:
                continue
            year = wizard.company_id.compute_fiscalyear_dates(today)
            wizard.date_from = year["date_from"]
            wizard.date_to = year["date_to"]

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from and wizard.date_to and wizard.date_from > wizard.date_to:
                raise ValidationError(
                    self.env._("The SIE export must start on or before its end date.")
                )

    # -- action ---------------------------------------------------------------------
    def _cluster_check_export(self):
        if not self.env.user.has_group("cluster_base.cluster_base_group_manager"):
            raise AccessError(self.env._("Only cluster managers can export the books as SIE."))
        self.check_access("write")

    def action_export(self):
        """Write the SIE4 file of the period and hand it to the browser (the job calls
        the same code)."""
        self.ensure_one()
        self._cluster_check_export()
        content = self.with_company(self.company_id)._sie_generate()
        filename = self._sie_filename()
        self.write({"sie_file": base64.b64encode(content), "sie_filename": filename})
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/sie_file/{filename}" "?download=true",
            "target": "download",
        }

    def action_export_job(self):
        """The button: the file is written by a job on the export channel; the run's
        record shows its state and holds the file when it is done."""
        self.ensure_one()
        self._cluster_check_export()
        request = self.env["cluster.job.request"]._cluster_job_start(
            self,
            kind="sie_export",
            name=self.env._(
                "SIE4 export %(date_from)s – %(date_to)s",
                date_from=self.date_from,
                date_to=self.date_to,
            ),
            channel="root.cluster.export",
            identity_key=(
                f"cluster.sie.export:{self.company_id.id}:{self.date_from}:{self.date_to}"
            ),
        )
        return request.action_open_request()

    def _cluster_job_values(self):
        self.ensure_one()
        return {
            "company_id": self.company_id.id,
            "date_from": self.date_from,
            "date_to": self.date_to,
        }

    def _cluster_job_perform(self, request):
        self.action_export()
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.sie_filename,
                "raw": base64.b64decode(self.sie_file),
                "mimetype": "text/plain",
                "res_model": request._name,
                "res_id": request.id,
            }
        )
        request.write({"attachment_id": attachment.id, "cluster_job_document_count": 1})
        return self.env._("%(name)s is ready.", name=attachment.name)

    # -- file -----------------------------------------------------------------------
    def _sie_generate(self):
        """Return the SIE4 file of the wizard's company and period as CP437 bytes."""
        self.ensure_one()
        self.env["account.move.line"].check_access("read")
        movements = self._sie_balances_between(self.date_from, self.date_to)
        accounts = self._sie_accounts(list(movements))
        objects = self._sie_objects()
        prev_from, prev_to = self._sie_previous_year()

        writer = SieWriter()
        self._sie_write_header(writer, prev_from, prev_to)
        for account in accounts.values():
            writer.record("#KONTO", Bare(account["code"]), account["name"])
        for account in accounts.values():
            if account["ktyp"]:
                writer.record("#KTYP", Bare(account["code"]), Bare(account["ktyp"]))
        writer.record("#DIM", SIE_PROJECT_DIMENSION, SIE_PROJECT_DIMENSION_NAME)
        for code, name in sorted(objects["names"].items()):
            writer.record("#OBJEKT", SIE_PROJECT_DIMENSION, code, name)
        self._sie_write_balances(writer, accounts, movements, prev_from, prev_to, objects)
        vouchers = self._sie_vouchers()
        for chunk in split_every(SIE_CHUNK_SIZE, vouchers):
            lines_by_move = self._sie_lines([voucher["id"] for voucher in chunk])
            for voucher in chunk:
                transactions = self._sie_transactions(
                    voucher, lines_by_move[voucher["id"]], accounts, objects
                )
                writer.voucher(
                    voucher["series"],
                    voucher["number"],
                    voucher["date"],
                    voucher["text"],
                    transactions,
                    reg_date=voucher["reg_date"],
                )
        return writer.to_bytes()

    def _sie_filename(self):
        digits = re.sub(r"\D", "", self._sie_orgnr()) or "sie"
        year = self.company_id.compute_fiscalyear_dates(self.date_from)
        if (year["date_from"], year["date_to"]) == (self.date_from, self.date_to):
            period = str(self.date_to.year)
        else:
            period = f"{self.date_from:%Y%m%d}-{self.date_to:%Y%m%d}"
        return f"{digits}_{period}.se"

    def _sie_orgnr(self):
        """Organisation number ``NNNNNN-NNNN`` (company registry, else Swedish VAT)."""
        company = self.company_id
        digits = re.sub(r"\D", "", company.company_registry or "")
        if not digits and (company.vat or "").upper().startswith("SE"):
            digits = re.sub(r"\D", "", company.vat)[:10]
        return f"{digits[:6]}-{digits[6:]}" if len(digits) == 10 else digits

    def _sie_previous_year(self):
        """Start and end of the fiscal year before the one the period starts in."""
        company = self.company_id
        year_start = company.compute_fiscalyear_dates(self.date_from)["date_from"]
        prev_to = year_start - timedelta(days=1)
        return company.compute_fiscalyear_dates(prev_to)["date_from"], prev_to

    def _sie_write_header(self, writer, prev_from, prev_to):
        company = self.company_id
        partner = company.partner_id
        writer.record("#FLAGGA", 0)
        writer.record(
            "#PROGRAM",
            "Odoo cluster_projects",
            get_manifest("cluster_projects")["version"],
        )
        writer.record("#FORMAT", Bare("PC8"))
        writer.record("#GEN", fields.Date.context_today(self), self.env.user.login)
        writer.record("#SIETYP", 4)
        orgnr = self._sie_orgnr()
        if orgnr:
            writer.record("#ORGNR", orgnr)
        postal = " ".join(filter(None, [partner.zip, partner.city]))
        street = ", ".join(filter(None, [partner.street, partner.street2]))
        writer.record("#ADRESS", partner.name or "", street, postal, partner.phone or "")
        writer.record("#FNAMN", company.name)
        writer.record("#RAR", 0, self.date_from, self.date_to)
        writer.record("#RAR", -1, prev_from, prev_to)
        writer.record("#KPTYP", Bare("BAS2014"))
        writer.record("#VALUTA", Bare(company.currency_id.name))

    # -- chart and objects ----------------------------------------------------------
    def _sie_accounts(self, used_account_ids=()):
        """Account id -> dict(code, name, ktyp, is_balance, is_result, is_unaffected),
        by code: the company's chart, and any other account the period's entries use."""
        Account = self.env["account.account"].with_context(active_test=False)
        domain = Account._check_company_domain(self.company_id)
        if used_account_ids:
            domain = expression.OR([domain, [("id", "in", list(used_account_ids))]])
        accounts = Account.search_fetch(domain, ["code", "name", "account_type"], order="code, id")
        result = {}
        for account in accounts:
            kind = account.account_type.split("_")[0]
            result[account.id] = {
                "code": account.code,
                "name": account.name,
                "ktyp": SIE_ACCOUNT_TYPES.get(kind),
                "is_balance": kind in ("asset", "liability", "equity"),
                "is_result": kind in ("income", "expense"),
                "is_unaffected": account.account_type == "equity_unaffected",
            }
        return result

    def _sie_object_projects(self):
        """Projects written as SIE objects: the joint projects with an analytic account.

        Read as superuser on purpose: the object list is metadata of the books (project
        names and their analytic accounts); a file that depended on which projects the
        exporting user follows would put amounts on the wrong objects.
        """
        projects = self.env["project.project"].sudo().with_context(active_test=False)
        company = self.company_id or self.env.company
        domain = [
            ("account_id", "!=", False),
            ("company_id", "in", [False, company.id]),
        ]
        if "is_joint_project" in projects._fields:
            domain.append(("is_joint_project", "=", True))
        return projects.search_fetch(domain, ["name", "account_id"], order="id")

    def _sie_objects(self):
        """Object codes and names, and the analytic account id -> object code map."""
        by_account = defaultdict(list)
        for project in self._sie_object_projects():
            by_account[project.account_id].append(project.name)
        codes, names = {}, {}
        for analytic, project_names in by_account.items():
            code = analytic.code or str(analytic.id)
            if code in names:
                code = f"{code}-{analytic.id}"
            codes[analytic.id] = code
            names[code] = ", ".join(project_names)
        return {"codes": codes, "names": names}

    # -- balances -------------------------------------------------------------------
    def _sie_balances_between(self, date_from, date_to):
        """Account id -> cents of the posted lines dated in [date_from, date_to]."""
        domain = [
            ("company_id", "=", self.company_id.id),
            ("parent_state", "=", "posted"),
            ("account_id", "!=", False),  # no section or note lines
        ]
        if date_from:
            domain.append(("date", ">=", date_from))
        if date_to:
            domain.append(("date", "<=", date_to))
        groups = self.env["account.move.line"]._read_group(domain, ["account_id"], ["balance:sum"])
        return {account.id: _cents(balance) for account, balance in groups if balance}

    def _sie_write_balances(self, writer, accounts, movements, prev_from, prev_to, objects):
        """#IB/#UB (and #OIB/#OUB per project) for balance accounts and #RES for result
        accounts, years 0 and -1.

        Odoo Community books no closing entry: the result of earlier years stays on the
        result accounts. Like Odoo's balance sheet, the export carries it on the
        unaffected-earnings account, so each year's #IB sums to zero and
        #UB + #RES sum to zero.
        """
        before_prev = self._sie_balances_between(None, prev_from - timedelta(days=1))
        prev_year = self._sie_balances_between(prev_from, prev_to)
        gap_start = prev_to + timedelta(days=1)
        gap = {}
        if gap_start < self.date_from:
            gap = self._sie_balances_between(gap_start, self.date_from - timedelta(days=1))
        years = {
            -1: (before_prev, prev_year),
            0: (
                {a: before_prev.get(a, 0) + prev_year.get(a, 0) + gap.get(a, 0) for a in accounts},
                movements,
            ),
        }
        records = {"#IB": [], "#UB": [], "#OIB": [], "#OUB": [], "#RES": []}
        for year in (0, -1):
            opening, moves = years[year]
            earlier_result = sum(
                c for a, c in opening.items() if accounts.get(a, {}).get("is_result")
            )
            for account_id, account in accounts.items():
                code = Bare(account["code"])
                if account["is_balance"]:
                    ib = opening.get(account_id, 0)
                    if account["is_unaffected"]:
                        ib += earlier_result
                    ub = ib + moves.get(account_id, 0)
                    if ib:
                        records["#IB"].append((year, code, _amount(ib)))
                    if ub:
                        records["#UB"].append((year, code, _amount(ub)))
                elif account["is_result"] and moves.get(account_id):
                    records["#RES"].append((year, code, _amount(moves[account_id])))
        object_balances = self._sie_object_balances(accounts, objects, prev_from, prev_to)
        for (label, year, account_id, obj), cents in sorted(
            object_balances.items(),
            key=lambda item: (-item[0][1], accounts[item[0][2]]["code"], item[0][3]),
        ):
            if cents:
                code = Bare(accounts[account_id]["code"])
                records[label].append((year, code, obj, _amount(cents)))
        for label, rows in records.items():
            for row in rows:
                writer.record(label, *row)

    def _sie_object_balances(self, accounts, objects, prev_from, prev_to):
        """``(label, year, account id, object list) -> cents`` for #OIB/#OUB: the
        project shares of the balance accounts' journal items, split as for #TRANS
        (so #OUB - #OIB is the sum of the year's #TRANS on that account and object)."""
        balance_ids = [a for a, account in accounts.items() if account["is_balance"]]
        lines = self.env["account.move.line"].search_fetch(
            [
                ("company_id", "=", self.company_id.id),
                ("parent_state", "=", "posted"),
                ("account_id", "in", balance_ids),
                ("analytic_distribution", "!=", False),
                ("date", "<=", self.date_to),
            ],
            ["account_id", "date", "balance", "analytic_distribution"],
        )
        limits = (
            ("#OIB", -1, lambda date: date < prev_from),
            ("#OUB", -1, lambda date: date <= prev_to),
            ("#OIB", 0, lambda date: date < self.date_from),
            ("#OUB", 0, lambda date: True),
        )
        result = defaultdict(int)
        for line in lines:
            parts = self._sie_split(
                _cents(line.balance), line.analytic_distribution, objects["codes"]
            )
            for code, cents in parts:
                if not code:
                    continue
                obj = ((SIE_PROJECT_DIMENSION, code),)
                for label, year, applies in limits:
                    if applies(line.date):
                        result[(label, year, line.account_id.id, obj)] += cents
        return result

    # -- vouchers -------------------------------------------------------------------
    def _sie_vouchers(self):
        """The posted moves of the period as voucher dicts, in file order."""
        period = [("date", ">=", self.date_from), ("date", "<=", self.date_to)]
        moves = self.env["account.move"].search_fetch(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "posted"),
                *period,
            ],
            [
                "name",
                "ref",
                "date",
                "create_date",
                "journal_id",
                "sequence_prefix",
                "sequence_number",
            ],
            order="date, sequence_prefix, sequence_number, id",
        )
        moves.journal_id.fetch(["code"])
        vouchers = []  # plain dicts: the moves can leave the cache
        for move in moves:
            prefix = move.sequence_prefix or ""
            series = prefix.split("/")[0].strip() or move.journal_id.code
            name = move.name or ""
            long_number = re.sub(
                r"\D", "", name[len(series) :] if name.startswith(series) else name
            )
            vouchers.append(
                {
                    "id": move.id,
                    "series": series,
                    "number": move.sequence_number,
                    "long_number": long_number or str(move.sequence_number),
                    "date": move.date,
                    "reg_date": move.create_date.date(),
                    "text": ", ".join(filter(None, [name, move.ref])),
                }
            )
        # Journals that restart their numbers every month (bills, miscellaneous
        # entries) or calendar year repeat a number within one export: such a series is
        # numbered with all the digits of the entry's name (BILL/2026/11/0001 ->
        # 2026110001).
        seen = defaultdict(set)
        clashing = set()
        for voucher in vouchers:
            if voucher["number"] in seen[voucher["series"]]:
                clashing.add(voucher["series"])
            seen[voucher["series"]].add(voucher["number"])
        for voucher in vouchers:
            if voucher["series"] in clashing:
                voucher["number"] = voucher["long_number"]
        return vouchers

    def _sie_lines(self, move_ids):
        """Move id -> its journal items as dicts (account, cents, distribution, name).

        Read per chunk of moves, and the chunk's records are dropped from the cache
        afterwards, so a large fiscal year does not hold every journal item in memory.
        """
        lines = self.env["account.move.line"].search_fetch(
            [("move_id", "in", move_ids), ("account_id", "!=", False)],
            ["move_id", "account_id", "balance", "analytic_distribution", "name"],
            order="move_id, id",
        )
        lines_by_move = defaultdict(list)
        for line in lines:
            lines_by_move[line.move_id.id].append(
                {
                    "account_id": line.account_id.id,
                    "cents": _cents(line.balance),
                    "distribution": line.analytic_distribution or {},
                    "name": line.name or "",
                }
            )
        lines.invalidate_recordset()
        return lines_by_move

    def _sie_transactions(self, move, lines, accounts, objects):
        """``#TRANS`` tuples of one voucher: a line split on several projects gives one
        transaction per project (and one for the share on no project)."""
        transactions = []
        for line in lines:
            code = accounts[line["account_id"]]["code"]
            for obj, cents in self._sie_split(
                line["cents"], line["distribution"], objects["codes"]
            ):
                if cents:
                    objs = [(SIE_PROJECT_DIMENSION, obj)] if obj else []
                    transactions.append((code, objs, _amount(cents), move["date"], line["name"]))
        return transactions

    @api.model
    def _sie_split(self, cents, distribution, object_codes):
        """Split ``cents`` over the project objects of an analytic distribution.

        Returns ``[(object code or None, cents), ...]`` summing exactly to ``cents``:
        each part is the difference of the rounded cumulative shares, so no cent is lost
        or created and every voucher still balances to 0.00.
        """
        shares = {}
        for key, percent in distribution.items():
            for analytic_id in key.split(","):
                code = object_codes.get(int(analytic_id))
                if code:
                    shares[code] = shares.get(code, 0.0) + float(percent)
                    break
        total = sum(shares.values())
        if not shares or not cents:
            return [(None, cents)]
        parts = sorted(shares.items())
        if total < 100.0 - 1e-6:
            parts.append((None, 100.0 - total))
        scale = max(total, 100.0)
        result, done, cumulated = [], 0, Decimal(0)
        for index, (code, percent) in enumerate(parts):
            cumulated += Decimal(repr(percent))
            if index == len(parts) - 1:
                upto = cents
            else:
                exact = Decimal(cents) * cumulated / Decimal(repr(scale))
                upto = int(exact.quantize(Decimal(1), ROUND_HALF_UP))
            result.append((code, upto - done))
            done = upto
        return result
