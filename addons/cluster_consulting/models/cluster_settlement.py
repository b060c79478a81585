# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

import psycopg2.errors
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL


class ClusterSettlement(models.Model):
    """A settlement run for a period: approved, not yet settled agreement hours become
    one draft vendor bill per lending firm and one draft customer invoice per buying
    member firm or outside customer. Every hour is linked to the document line that
    settles it (one bill line and at most one invoice line), so it is settled once.

    This file is the run itself; the cost-share invoices, netting, statements, jobs and
    line accounting extend the model in ``cluster_settlement_*.py``, the credit notes
    are the credit wizard's (``wizards/cluster_settlement_credit.py``).
    """

    _name = "cluster.settlement"
    _description = "Settlement Run"
    _inherit = ["mail.thread", "cluster.job.mixin"]
    _order = "date_from desc, id desc"

    name = fields.Char(string="Number", readonly=True, copy=False, default="/", index=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="From", required=True, tracking=True)
    date_to = fields.Date(string="To", required=True, tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Settled")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    move_ids = fields.One2many("account.move", "cluster_settlement_id", string="Documents")
    share_ids = fields.One2many("cluster.settlement.share", "settlement_id", string="Cost shares")
    balance_ids = fields.One2many(
        "cluster.settlement.report.balance", "settlement_id", string="Balance per firm"
    )
    bill_count = fields.Integer(compute="_compute_counts", string="Vendor bills")
    invoice_count = fields.Integer(compute="_compute_counts", string="Customer invoices")
    approved_hours = fields.Float(compute="_compute_reconciliation")
    billed_hours = fields.Float(compute="_compute_reconciliation")
    unbilled_hours = fields.Float(
        compute="_compute_reconciliation",
        help="Approved hours of the period that are on no vendor bill line; zero after a run.",
    )

    _sql_constraints = [
        # The Python check below names the other run, but two transactions creating runs
        # for the same month at once (a manager and the monthly cron, two managers) both
        # pass it: each one's snapshot lacks the other's row. PostgreSQL refuses the
        # second (range types have GiST support without any extension; LEAST/GREATEST
        # leave a reversed period to the Python check's message).
        (
            "period_no_overlap",
            "EXCLUDE USING gist (int4range(company_id, company_id, '[]') WITH &&, "
            "daterange(LEAST(date_from, date_to), GREATEST(date_from, date_to), '[]') "
            "WITH &&)",
            "The period overlaps another settlement run of the company; rerun that one "
            "instead.",
        ),
    ]

    @api.depends("move_ids.move_type")
    def _compute_counts(self):
        counts = defaultdict(int)
        for settlement, move_type, count in self.env["account.move"]._read_group(
            [("cluster_settlement_id", "in", self.ids)],
            ["cluster_settlement_id", "move_type"],
            ["__count"],
        ):
            counts[settlement, move_type] = count
        for settlement in self:
            settlement.bill_count = counts[settlement, "in_invoice"]
            settlement.invoice_count = counts[settlement, "out_invoice"]

    def _compute_reconciliation(self):
        Line = self.env["account.analytic.line"]
        for settlement in self:
            domain = settlement._get_hour_domain()
            [(approved,)] = Line._read_group(domain, [], ["unit_amount:sum"])
            [(billed,)] = Line._read_group(
                domain + [("cluster_bill_line_id", "!=", False)],
                [],
                ["unit_amount:sum"],
            )
            settlement.approved_hours = approved
            settlement.billed_hours = billed
            settlement.unbilled_hours = approved - billed

    @api.constrains("date_from", "date_to", "company_id")
    def _check_period(self):
        for settlement in self:
            if settlement.date_from > settlement.date_to:
                raise ValidationError(self.env._("The period must end after it starts."))
        overlapping = self.search(
            [
                ("id", "not in", self.ids),
                ("company_id", "in", self.company_id.ids),
                ("date_from", "<=", max(self.mapped("date_to"))),
                ("date_to", ">=", min(self.mapped("date_from"))),
            ]
        )
        for settlement in self:
            for other in overlapping:
                if (
                    other.company_id == settlement.company_id
                    and other.date_from <= settlement.date_to
                    and other.date_to >= settlement.date_from
                ):
                    raise ValidationError(
                        self.env._(
                            "The period overlaps settlement %(name)s (%(date_from)s – "
                            "%(date_to)s); rerun that one instead.",
                            name=other.name,
                            date_from=other.date_from,
                            date_to=other.date_to,
                        )
                    )

    @api.model
    def _cluster_check_no_overlap(self, vals):
        date_from = fields.Date.to_date(vals.get("date_from"))
        date_to = fields.Date.to_date(vals.get("date_to"))
        if not (date_from and date_to):
            return
        company_id = vals.get("company_id") or self.env.company.id
        other = self.sudo().search(
            [
                ("company_id", "=", company_id),
                ("date_from", "<=", max(date_from, date_to)),
                ("date_to", ">=", min(date_from, date_to)),
            ],
            limit=1,
        )
        if other:
            raise ValidationError(
                self.env._(
                    "The period overlaps settlement %(name)s (%(date_from)s – "
                    "%(date_to)s); rerun that one instead.",
                    name=other.name,
                    date_from=other.date_from,
                    date_to=other.date_to,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                date = fields.Date.to_date(vals.get("date_to")) or fields.Date.context_today(self)
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("cluster.settlement", sequence_date=date)
                    or "/"
                )
        for vals in vals_list:
            # the overlap this transaction can see is refused before the INSERT (no SQL
            # error); the exclusion constraint below catches a concurrent one
            self._cluster_check_no_overlap(vals)
        try:
            # the exclusion constraint is the last word on overlapping periods: probed
            # first with rows of our own, unlogged (the ORM's INSERT would log a
            # concurrent run's violation as an SQL error); its violation rolls back to
            # the savepoint and becomes a clean message; no logger is muted
            with self.env.cr.savepoint(flush=False):
                self._probe_insert(
                    "cluster_settlement",
                    [
                        {
                            "company_id": vals.get("company_id") or self.env.company.id,
                            "state": "draft",
                            "date_from": vals["date_from"],
                            "date_to": vals["date_to"],
                        }
                        for vals in vals_list
                        if vals.get("date_from") and vals.get("date_to")
                    ],
                )
                return super().create(vals_list)
        except psycopg2.errors.ExclusionViolation:
            # a run of an overlapping period was created at the same time
            raise ValidationError(
                self.env._(
                    "The period overlaps another settlement run of the company; rerun that "
                    "one instead."
                )
            ) from None

    @api.model
    def _probe_insert(self, table, rows):
        """Insert ``rows`` (dicts of column values) into ``table`` and delete them again,
        without logging a failure: a unique or exclusion constraint refuses them here
        with its psycopg2 error, which the caller turns into a message. Until the
        transaction ends, a concurrent insert of the same key waits on these rows, so
        the ORM's insert that follows cannot hit the constraint. No logger is muted (a
        process-wide mute is not thread-safe)."""
        if not rows:
            return
        columns = list(rows[0])
        query = SQL(
            "INSERT INTO %s (%s) VALUES %s RETURNING id",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(column) for column in columns),
            SQL(", ").join(
                SQL("(%s)", SQL(", ").join(SQL("%s", row[column]) for column in columns))
                for row in rows
            ),
        )
        cr = self.env.cr
        cr.execute(query, log_exceptions=False)
        ids = [row[0] for row in cr.fetchall()]
        cr.execute(SQL("DELETE FROM %s WHERE id = ANY(%s)", SQL.identifier(table), ids))

    @api.ondelete(at_uninstall=False)
    def _unlink_without_documents(self):
        if self.move_ids:
            raise UserError(self.env._("A settlement with documents cannot be deleted."))

    # Run ---------------------------------------------------------------------------

    def _get_hour_domain(self):
        self.ensure_one()
        return [
            ("agreement_id", "!=", False),
            ("cluster_hour_state", "=", "approved"),
            ("company_id", "=", self.company_id.id),
            ("date", ">=", self.date_from),
            ("date", "<=", self.date_to),
        ]

    def _get_candidate_domains(self):
        """The run's candidates, per kind of document line, as domains on
        ``account.analytic.line`` (written once: the lock, the sums and the links read
        them): ``bill``, the period's approved hours on no vendor bill line; ``invoice``,
        those a member firm or an outside customer buys that are on no customer invoice
        line.

        "On no line" is ``id NOT IN`` the links *of the period's hours*: a set PostgreSQL
        hashes once per statement whatever the size of the link table and whatever its
        statistics (a run and the bench data's generator link hours inside one
        transaction, before any ANALYZE), so the link statement's own inserts are never
        scanned again for each hour."""
        hours = self._get_hour_domain()
        period = self.env["account.analytic.line"].sudo()._search(hours)
        Link = self.env["cluster.hour.link"].sudo()

        def unlinked(kind):
            links = Link._search([("kind", "=", kind), ("hour_id", "in", period)])
            return ("id", "not in", links.subselect("hour_id"))

        # the agreements that sell their hours on, as ids rather than a join: without
        # statistics on the month's new hours PostgreSQL would scan the agreements once
        # for each hour
        sold = (
            self.env["cluster.agreement"]
            .sudo()
            .search([("buyer_kind", "in", ("member", "external"))])
            .ids
        )
        return {
            "bill": hours + [unlinked("bill")],
            "invoice": hours + [("agreement_id", "in", sold), unlinked("invoice")],
        }

    def _lock_candidate_hours(self):
        """Lock the approved hours of the period still to be billed or invoiced, and sum
        them per agreement.

        Returns ``(to_bill, to_invoice)``: ``{agreement: hours}`` of the hours on no vendor
        bill line, and of the hours a member firm or an outside customer buys that are on
        no customer invoice line.

        ``NOWAIT``: a second run on the same hours stops at once with a clear message
        instead of waiting and billing them again. The rows are locked in one statement
        (no id list goes back and forth) and summed by one ``_read_group`` per kind; the
        links of the run select the same rows by the same domains: in the transaction's
        snapshot (REPEATABLE READ) and under these locks, they are exactly the rows
        summed here.
        """
        self.ensure_one()
        Hour = self.env["account.analytic.line"].sudo()
        domains = self._get_candidate_domains()
        candidates = Hour._search(expression.OR(list(domains.values())))
        query = SQL(
            """
            SELECT COUNT(*) FROM (
                SELECT 1
                  FROM account_analytic_line line
                 WHERE line.id IN %(candidates)s
                   FOR NO KEY UPDATE OF line NOWAIT
            ) locked
            """,
            candidates=candidates.subselect(),
        )
        self.env.flush_query(query)
        try:
            with self.env.cr.savepoint(flush=False):
                # NOWAIT refused is an expected answer (another run holds the hours): this
                # one query is not logged as a bad one
                self.env.cr.execute(query, log_exceptions=False)
        except psycopg2.errors.LockNotAvailable:
            raise UserError(
                self.env._("Another settlement is running on these hours; try again in a moment.")
            ) from None
        to_bill, to_invoice = (
            {
                agreement.with_env(self.env): hours
                for agreement, hours in sorted(
                    Hour._read_group(domains[kind], ["agreement_id"], ["unit_amount:sum"]),
                    key=lambda row: row[0].id,
                )
            }
            for kind in ("bill", "invoice")
        )
        return to_bill, to_invoice

    def _get_products(self):
        hours = self.env.ref("cluster_consulting.product_product_cluster_expert_time")
        fee = self.env.ref("cluster_consulting.product_product_cluster_association_fee")
        return hours, fee

    def _check_self_billing(self, lenders):
        """The association writes the lenders' invoices (self-billing): each lending firm
        must carry its organisation number (or VAT number) on the bill."""
        missing = lenders.filtered(lambda p: not (p.company_registry or p.vat))
        if missing:
            raise UserError(
                self.env._(
                    "%(names)s has no organisation number: a self-billed invoice needs it.",
                    names=", ".join(missing.mapped("name")),
                )
            )

    def _check_partners(self, partners):
        missing = partners.filtered(
            lambda p: not p.property_account_receivable_id or not p.property_account_payable_id
        )
        if missing:
            raise UserError(
                self.env._(
                    "%(names)s has no receivable or payable account; set them before settling.",
                    names=", ".join(missing.mapped("name")),
                )
            )

    def _line_name(self, agreement, hours):
        return self.env._(
            "%(agreement)s: %(expert)s, %(hours)s h, %(date_from)s – %(date_to)s",
            agreement=agreement.name,
            expert=agreement.expert_id.name,
            hours=hours,
            date_from=self.date_from,
            date_to=self.date_to,
        )

    def action_run(self):
        """Create the documents for what is new in the period; a rerun adds only new hours."""
        if not self.env.user.has_group("cluster_base.cluster_base_group_manager"):
            raise AccessError(self.env._("Only a cluster manager can run a settlement."))
        self.env["account.move"].check_access("create")
        for settlement in self:
            settlement._run()
        return True

    def _run(self):
        self.ensure_one()
        to_bill, to_invoice = self._lock_candidate_hours()
        moves = self.env["account.move"]
        if to_bill or to_invoice:
            moves |= self._run_hours(to_bill, to_invoice)
        moves |= self._run_cost_shares()
        self.state = "done"
        return moves

    def _run_hours(self, to_bill, to_invoice):
        agreements = self.env["cluster.agreement"].union(*to_bill, *to_invoice)
        self._check_partners(
            agreements.filtered(lambda a: a in to_bill).lender_id
            | agreements.filtered(lambda a: a in to_invoice).buyer_id
        )
        self._check_self_billing(agreements.filtered(lambda a: a in to_bill).lender_id)
        hour_product, fee_product = self._get_products()
        # a savepoint: a failure below leaves no partial document and no linked hour
        with self.env.cr.savepoint():
            move_vals, plan = self._prepare_moves(to_bill, to_invoice, hour_product, fee_product)
            moves = self._create_run_moves(move_vals, plan, to_bill)
            self._clear_untaxed_tags(moves)
            self._link_hours(moves, plan)
        self.message_post(
            body=self.env._(
                "%(count)s documents created for %(hours)s hours.",
                count=len(moves),
                hours=sum(to_bill.values()),
            )
        )
        return moves

    def _create_run_moves(self, move_vals, plan, to_bill):
        """The run's bills and invoices from ``_prepare_moves``' values, in their order
        (``plan`` and ``to_bill`` let an override tell the hours of each)."""
        return self.env["account.move"].create(move_vals)

    def _prepare_moves(self, to_bill, to_invoice, hour_product, fee_product):
        """Values of the bills (per lender) and invoices (per buyer), and for each move the
        agreements of its hour lines in creation order."""
        by_lender = defaultdict(list)
        for agreement in to_bill:
            by_lender[agreement.lender_id].append(agreement)
        by_buyer = defaultdict(list)
        for agreement in to_invoice:
            by_buyer[agreement.buyer_id].append(agreement)
        move_vals, plan = [], []
        cache = {}
        for move_type, groups, hours_by_agreement in (
            ("in_invoice", by_lender, to_bill),
            ("out_invoice", by_buyer, to_invoice),
        ):
            for partner, partner_agreements in groups.items():
                agreements = sorted(partner_agreements, key=lambda a: a.id)
                vals = self._prepare_move_vals(move_type, partner)
                for agreement in agreements:
                    hours = hours_by_agreement[agreement]
                    lines = [self._prepare_hour_line_vals(agreement, hours, hour_product)]
                    if move_type == "out_invoice" and agreement.fee_percent:
                        lines.append(self._prepare_fee_line_vals(agreement, hours, fee_product))
                    for line in lines:
                        line.update(self._prepare_line_accounting(move_type, partner, line, cache))
                        line.update(self._expected_line_values(move_type, partner, line, cache))
                        vals["invoice_line_ids"].append(fields.Command.create(line))
                move_vals.append(vals)
                plan.append(agreements)
        return move_vals, plan

    def _prepare_move_vals(self, move_type, partner):
        """Values of the vendor bill (``in_invoice``) to a lending firm or the customer
        invoice (``out_invoice``) to a buyer of the run, without lines (as
        ``sale.order._prepare_invoice``)."""
        self.ensure_one()
        return {
            "move_type": move_type,
            "partner_id": partner.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "invoice_date": self.date_to,
            "ref": self.name,
            "cluster_settlement_id": self.id,
            # the association writes the lender's invoice (self-billing)
            "cluster_self_billed": move_type == "in_invoice",
            "invoice_line_ids": [],
        }

    def _prepare_hour_line_vals(self, agreement, hours, hour_product):
        """Values of the document line of ``hours`` of ``agreement`` at its hourly rate
        (as ``sale.order.line._prepare_invoice_line``); taxes and accounts are added by
        ``_prepare_line_accounting``."""
        self.ensure_one()
        line = {
            "product_id": hour_product.id,
            "name": self._line_name(agreement, hours),
            "quantity": hours,
            "price_unit": agreement.hourly_rate,
        }
        if agreement.project_id.account_id:
            line["analytic_distribution"] = {str(agreement.project_id.account_id.id): 100}
        return line

    def _prepare_fee_line_vals(self, agreement, hours, fee_product):
        """Values of the invoice line of the association's fee on ``hours`` of
        ``agreement``."""
        self.ensure_one()
        return {
            "product_id": fee_product.id,
            "name": self.env._(
                "Association fee %(percent)s %% on %(agreement)s",
                percent=agreement.fee_percent,
                agreement=agreement.name,
            ),
            "quantity": 1,
            "price_unit": self.currency_id.round(
                hours * agreement.hourly_rate * agreement.fee_percent / 100
            ),
        }

    def _link_hours(self, moves, plan):
        """Link the run's candidate hours to the hour lines of its documents (each
        agreement's bill line and invoice line), through the hours' link method: one
        statement for any number of hours."""
        hour_product = self._get_products()[0]
        lines_by_agreement = defaultdict(lambda: self.env["account.move.line"])
        for move, agreements in zip(moves, plan, strict=True):
            hour_lines = move.invoice_line_ids.filtered(
                lambda line: line.product_id == hour_product
            ).sorted("id")
            for agreement, aml in zip(agreements, hour_lines, strict=True):
                lines_by_agreement[agreement] |= aml
        self.env["account.analytic.line"]._cluster_link_documents(
            lines_by_agreement, domains=self._get_candidate_domains()
        )

    @api.model
    def _cron_settle_previous_month(self):
        """Scheduled action: settle last month (create the run, or rerun it)."""
        today = fields.Date.context_today(self)
        date_to = today.replace(day=1) - relativedelta(days=1)
        date_from = date_to.replace(day=1)
        settlement = self.search(
            [
                ("company_id", "=", self.env.company.id),
                ("date_from", "=", date_from),
                ("date_to", "=", date_to),
            ],
            limit=1,
        )
        if not settlement:
            settlement = self.create({"date_from": date_from, "date_to": date_to})
        # the same job as the button (nothing new is queued while one waits or runs)
        settlement._cluster_job_start_run()
        return settlement

    # Credit notes (cluster.settlement.credit) ---------------------------------------

    def action_credit_hours(self):
        self.ensure_one()
        self.check_access("read")  # callable over RPC: nothing for a caller without access
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit settled hours"),
            "res_model": "cluster.settlement.credit",
            "view_mode": "form",
            "target": "new",
            "context": {"default_settlement_id": self.id},
        }

    # Navigation ------------------------------------------------------------------

    def action_view_moves(self):
        self.ensure_one()
        self.check_access("read")  # callable over RPC: nothing for a caller without access
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Documents"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("cluster_settlement_id", "=", self.id)],
            "context": {"create": False},
        }
