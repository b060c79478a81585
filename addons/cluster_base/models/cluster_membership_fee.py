# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from datetime import date

from dateutil.relativedelta import relativedelta
from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class ClusterMembership(models.Model):
    """The annual fees of memberships: the yearly run, its cron and payment reminders."""

    _inherit = "cluster.membership"

    @api.model
    def _fee_period(self, year):
        return date(year, 1, 1), date(year, 12, 31)

    @api.model
    def _get_fee_run_domain(self, year, membership_types=None):
        domain = [
            ("state", "=", "active"),
            ("membership_type_id.fee_product_id", "!=", False),
            ("company_id", "=", self.env.company.id),
            "|",
            ("date_admission", "=", False),
            ("date_admission", "<=", date(year, 12, 31)),
        ]
        if membership_types:
            domain.append(("membership_type_id", "in", membership_types.ids))
        return domain

    @api.model
    def _run_annual_fees(
        self, year, membership_types=None, invoice_date=None, post=None, progress=None
    ):
        """Invoice the annual fee of ``year`` to every active member that has none yet.

        Idempotent: a membership with a (not cancelled) fee line for the year is skipped,
        and a partial unique index on the fee lines refuses a second one even from a
        concurrent run.

        ``progress`` (a job's report, ``cluster.job.mixin._cluster_job_report_progress``)
        is called with the memberships done and the invoices made after each group of
        about a tenth of the memberships to invoice; without it, one group.
        """
        candidates = self.search(self._get_fee_run_domain(year, membership_types))
        if not candidates:
            return self.env["account.move"]
        try:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM cluster_membership WHERE id IN %s FOR NO KEY UPDATE NOWAIT",
                    tuple(candidates.ids),
                )
            )
        except pg_errors.LockNotAvailable as exc:
            raise UserError(
                self.env._("Another fee run is in progress. Try again in a moment.")
            ) from exc
        self._release_reversed_fee_lines(candidates, year)
        invoiced = {
            membership.id
            for [membership] in self.env["membership.membership_line"]
            .sudo()
            ._read_group(
                [
                    ("cluster_membership_id", "in", candidates.ids),
                    ("cluster_fee_year", "=", year),
                    ("date_cancel", "=", False),
                ],
                ["cluster_membership_id"],
            )
        }
        todo = candidates.filtered(lambda m: m.id not in invoiced)
        if not todo:
            return self.env["account.move"]
        invoice_date = invoice_date or fields.Date.context_today(self)
        post = self._post_invoices() if post is None else post
        if not progress:
            moves = todo._invoice_annual_fees(year, invoice_date, post)
        else:
            moves = self.env["account.move"]
            step = self.env["cluster.job.mixin"]._cluster_job_progress_step(len(todo))
            for start in range(0, len(todo), step):
                moves |= todo[start : start + step]._invoice_annual_fees(year, invoice_date, post)
                progress(min(start + step, len(todo)), documents=len(moves))
        _logger.info("Annual fee run %s: %s invoices", year, len(moves))
        return moves

    def _invoice_annual_fees(self, year, invoice_date, post):
        """The fee invoices of these memberships (none invoiced for ``year`` yet) and
        their fee lines; posted and sent when ``post``."""
        moves = self.env["account.move"].create(
            [m._prepare_fee_move_vals(year, invoice_date) for m in self]
        )
        date_from, date_to = self._fee_period(year)
        MembershipLine = self.env["membership.membership_line"].sudo()
        lines = MembershipLine.search([("account_invoice_line", "in", moves.invoice_line_ids.ids)])
        by_move = {line.account_invoice_line.move_id: line for line in lines}
        missing = []
        for move in moves:
            vals = {
                "cluster_membership_id": move.cluster_membership_id.id,
                "cluster_fee_year": year,
                "date_from": date_from,
                "date_to": date_to,
            }
            if move in by_move:
                by_move[move].write(vals)
            else:
                # the fee product is not (or no longer) a membership product: Odoo's
                # membership app made no line, make it here so that the year is taken
                invoice_line = move.invoice_line_ids[:1]
                missing.append(
                    {
                        **vals,
                        "partner": move.partner_id.id,
                        "membership_id": invoice_line.product_id.id,
                        "member_price": invoice_line.price_unit,
                        "date": invoice_date,
                        "account_invoice_line": invoice_line.id,
                    }
                )
        if missing:
            MembershipLine.create(missing)
        if post:
            moves.action_post()
            if self._send_invoices():
                moves._cluster_send_mail("fee")
        return moves

    @api.model
    def _release_reversed_fee_lines(self, memberships, year):
        """A fee invoice wholly reversed by a credit note frees its year for a new one."""
        lines = (
            self.env["membership.membership_line"]
            .sudo()
            .search(
                [
                    ("cluster_membership_id", "in", memberships.ids),
                    ("cluster_fee_year", "=", year),
                    ("date_cancel", "=", False),
                    ("account_invoice_id.payment_state", "=", "reversed"),
                ]
            )
        )
        lines.write({"date_cancel": fields.Date.context_today(self)})
        return lines

    def _fee_months(self, year):
        """Months of ``year`` the fee covers: 12, or from the month of admission when the
        type pro-rates the first year."""
        self.ensure_one()
        admission = self.date_admission
        if self.membership_type_id.fee_prorated and admission and admission.year == year:
            return 12 - admission.month + 1
        return 12

    def _prepare_fee_move_vals(self, year, invoice_date):
        self.ensure_one()
        product = self.membership_type_id.fee_product_id
        # a fee pays for the association's services: Swedish VAT on services
        taxes = self.company_id._cluster_services_taxes(
            product.taxes_id.filtered_domain(
                self.env["account.tax"]._check_company_domain(self.company_id)
            )
        )
        months = self._fee_months(year)
        if months == 12:
            label = self.env._(
                "Annual fee %(year)s, %(type)s", year=year, type=self.membership_type_id.name
            )
        else:
            label = self.env._(
                "Annual fee %(year)s, %(type)s, %(months)s of 12 months from admission",
                year=year,
                type=self.membership_type_id.name,
                months=months,
            )
        return {
            "move_type": "out_invoice",
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "invoice_date": invoice_date,
            "cluster_membership_id": self.id,
            "cluster_move_kind": "fee",
            "invoice_origin": self.name,
            "invoice_line_ids": [
                fields.Command.create(
                    {
                        "product_id": product.id,
                        "name": label,
                        "quantity": 1,
                        "price_unit": self.currency_id.round(product.lst_price * months / 12),
                        "tax_ids": [fields.Command.set(taxes.ids)],
                    }
                )
            ],
        }

    @api.model
    def _cron_annual_fee_run(self):
        """Scheduled action: the year's fee run of each company, enqueued as the same job
        as the wizard's button (a run already queued for the year is not asked again)."""
        year = fields.Date.context_today(self).year
        requests = self.env["cluster.job.request"]
        for company in self.env["res.company"].search([("active", "=", True)]):
            wizard = (
                self.env["cluster.fee.run"]
                .with_company(company)
                .with_context(allowed_company_ids=company.ids)
                .create({"year": year})
            )
            requests |= wizard._cluster_job_start_run()
        return requests

    @api.model
    def _get_reminder_days(self):
        value = (
            self.env["ir.config_parameter"].sudo().get_param("cluster_base.reminder_days", "30")
        )
        try:
            return max(int(value), 0)
        except ValueError:
            return 30

    @api.model
    def _cron_fee_reminders(self):
        """Schedule a reminder activity for every unpaid cluster invoice past the delay."""
        limit_date = fields.Date.context_today(self) - relativedelta(
            days=self._get_reminder_days()
        )
        moves = self.env["account.move"].search(
            [
                ("cluster_membership_id", "!=", False),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("invoice_date_due", "<=", limit_date),
                ("cluster_reminder_date", "=", False),
            ]
        )
        activity_type = self.env.ref("cluster_base.mail_activity_type_fee_reminder")
        today = fields.Date.context_today(self)
        activity_vals = []
        model_id = self.env["ir.model"]._get_id("cluster.membership")
        for move in moves:
            membership = move.cluster_membership_id
            activity_vals.append(
                {
                    "res_model_id": model_id,
                    "res_id": membership.id,
                    "activity_type_id": activity_type.id,
                    "summary": self.env._("Unpaid invoice %(move)s", move=move.name),
                    "note": self.env._(
                        "Invoice %(move)s of %(amount)s %(currency)s due %(date)s is not paid.",
                        move=move.name,
                        amount=move.amount_residual,
                        currency=move.currency_id.name,
                        date=move.invoice_date_due,
                    ),
                    "user_id": (membership.user_id or self.env.user).id,
                    "date_deadline": today,
                }
            )
        self.env["mail.activity"].create(activity_vals)
        moves.write({"cluster_reminder_date": today})
        if self._send_invoices():
            moves._cluster_send_mail("reminder")
        return moves

    def _demo_register_payments(self, kind):
        """Demo data only: pay the posted invoices of ``kind`` of these memberships in full."""
        moves = self.move_ids.filtered(
            lambda m: m.cluster_move_kind == kind
            and m.state == "posted"
            and m.payment_state in ("not_paid", "partial")
        )
        if not moves:
            return False
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=moves.ids
        ).create({"group_payment": False})._create_payments()
        return True
