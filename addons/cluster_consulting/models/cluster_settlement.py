# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

import psycopg2.errors
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_compare


class ClusterSettlement(models.Model):
    """A settlement run for a period: approved, not yet settled agreement hours become
    one draft vendor bill per lending firm and one draft customer invoice per buying
    member firm or outside customer. Every hour is linked to the document line that
    settles it (one bill line and at most one invoice line), so it is settled once.
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

    def _get_hour_domain(self, unsettled=False):
        self.ensure_one()
        return self.env["account.analytic.line"]._cluster_settlement_domain(
            self.company_id, self.date_from, self.date_to, unsettled=unsettled
        )

    def _lock_candidate_hours(self):
        """Lock the approved hours of the period still to be billed or invoiced, and sum
        them per agreement in the same statement.

        Returns ``(to_bill, to_invoice)``: ``{agreement: hours}`` of the hours on no vendor
        bill line, and of the hours a member firm or an outside customer buys that are on
        no customer invoice line.

        ``NOWAIT``: a second run on the same hours stops at once with a clear message
        instead of waiting and billing them again. The rows are locked and summed in one
        pass (no id list goes back and forth); the link ``UPDATE`` of the run selects the
        same rows by the same conditions: in the transaction's snapshot (REPEATABLE READ)
        and under these locks, they are exactly the rows summed here.
        """
        self.ensure_one()
        self.env["account.analytic.line"].flush_model()
        self.env["cluster.agreement"].flush_model(["buyer_kind"])
        query = SQL(
            """
            WITH hour AS MATERIALIZED (
                SELECT line.agreement_id,
                       line.unit_amount,
                       line.cluster_bill_line_id IS NULL AS to_bill,
                       line.cluster_invoice_line_id IS NULL AS to_invoice
                  FROM account_analytic_line line
                 WHERE %(where)s
                   FOR NO KEY UPDATE OF line NOWAIT
            )
            SELECT hour.agreement_id,
                   COALESCE(SUM(hour.unit_amount) FILTER (WHERE hour.to_bill), 0),
                   COALESCE(SUM(hour.unit_amount) FILTER (WHERE hour.to_invoice
                        AND agreement.buyer_kind IN ('member', 'external')), 0),
                   BOOL_OR(hour.to_bill),
                   BOOL_OR(hour.to_invoice AND agreement.buyer_kind IN ('member', 'external'))
              FROM hour
              JOIN cluster_agreement agreement ON agreement.id = hour.agreement_id
             GROUP BY hour.agreement_id
             ORDER BY hour.agreement_id
            """,
            where=self._get_hour_where("line"),
        )
        try:
            with self.env.cr.savepoint(flush=False):
                # NOWAIT refused is an expected answer (another run holds the hours): this
                # one query is not logged as a bad one
                self.env.cr.execute(query, log_exceptions=False)
                rows = self.env.cr.fetchall()
        except psycopg2.errors.LockNotAvailable:
            raise UserError(
                self.env._("Another settlement is running on these hours; try again in a moment.")
            ) from None
        # one recordset, so the agreements' fields are read for all of them at once
        agreements = self.env["cluster.agreement"].browse([row[0] for row in rows])
        to_bill, to_invoice = {}, {}
        for agreement, row in zip(agreements, rows, strict=True):
            if row[3]:
                to_bill[agreement] = row[1]
            if row[4]:
                to_invoice[agreement] = row[2]
        return to_bill, to_invoice

    def _get_hour_where(self, alias):
        """SQL condition on ``alias`` (account_analytic_line): the approved agreement hours
        of the period still to be billed or invoiced (the run's candidates)."""
        self.ensure_one()
        return self.env["account.analytic.line"]._cluster_domain_sql(
            self._get_hour_domain(unsettled=True), alias
        )

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
            moves = self.env["account.move"].create(move_vals)
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
                lines = []
                for agreement in sorted(partner_agreements, key=lambda a: a.id):
                    hours = hours_by_agreement[agreement]
                    line = {
                        "product_id": hour_product.id,
                        "name": self._line_name(agreement, hours),
                        "quantity": hours,
                        "price_unit": agreement.hourly_rate,
                    }
                    if agreement.project_id.account_id:
                        line["analytic_distribution"] = {
                            str(agreement.project_id.account_id.id): 100
                        }
                    line.update(self._prepare_line_accounting(move_type, partner, line, cache))
                    line.update(self._expected_line_values(move_type, partner, line, cache))
                    lines.append(fields.Command.create(line))
                    if move_type == "out_invoice" and agreement.fee_percent:
                        fee_line = {
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
                        fee_line.update(
                            self._prepare_line_accounting(move_type, partner, fee_line, cache)
                        )
                        fee_line.update(
                            self._expected_line_values(move_type, partner, fee_line, cache)
                        )
                        lines.append(fields.Command.create(fee_line))
                move_vals.append(
                    {
                        "move_type": move_type,
                        "partner_id": partner.id,
                        "company_id": self.company_id.id,
                        "currency_id": self.currency_id.id,
                        "invoice_date": self.date_to,
                        "ref": self.name,
                        "cluster_settlement_id": self.id,
                        # the association writes the lender's invoice (self-billing)
                        "cluster_self_billed": move_type == "in_invoice",
                        "invoice_line_ids": lines,
                    }
                )
                plan.append(sorted(partner_agreements, key=lambda a: a.id))
        return move_vals, plan

    def _get_fiscal_position(self, partner, cache):
        if ("fiscal_position", partner.id) not in cache:
            delivery = partner.browse(partner.address_get(["delivery"])["delivery"])
            cache["fiscal_position", partner.id] = (
                self.env["account.fiscal.position"]
                .with_company(self.company_id)
                ._get_fiscal_position(partner, delivery=delivery)
            )
        return cache["fiscal_position", partner.id]

    def _get_line_taxes(self, move_type, partner, product, cache):
        """The taxes of a new line of ``product`` on an invoice (``out_invoice``) or bill
        (``in_invoice``) to ``partner``: the product's taxes of the company, as taxes on
        services (``res.company._cluster_services_taxes``: Swedish VAT on services, not on
        goods), mapped by the partner's fiscal position."""
        key = ("taxes", move_type, partner.id, product.id)
        if key not in cache:
            company = self.company_id
            product_taxes = (
                product.taxes_id if move_type == "out_invoice" else product.supplier_taxes_id
            )
            taxes = product_taxes.filtered_domain(
                self.env["account.tax"]._check_company_domain(company)
            )._filter_taxes_by_company(company)
            taxes = company._cluster_services_taxes(taxes)
            fiscal_position = self._get_fiscal_position(partner, cache)
            if taxes and fiscal_position:
                taxes = fiscal_position.map_tax(taxes)
            cache[key] = taxes
        return cache[key]

    def _prepare_line_accounting(self, move_type, partner, line, cache):
        """Taxes and, for the hours on a bill, the account of a new line: given at
        creation, so Odoo's defaults from the product (taxes on goods, the goods purchase
        account) do not apply."""
        product = self.env["product.product"].browse(line["product_id"])
        taxes = self._get_line_taxes(move_type, partner, product, cache)
        values = {"tax_ids": [fields.Command.set(taxes.ids)]}
        if move_type == "in_invoice":
            if "expert_time_account" not in cache:
                cache["expert_time_account"] = self.company_id._cluster_expert_time_account()
            account = cache["expert_time_account"]
            fiscal_position = self._get_fiscal_position(partner, cache)
            if account and fiscal_position:
                account = fiscal_position.map_account(account)
            if account:
                values["account_id"] = account.id
        return values

    def _expected_line_values(self, move_type, partner, line, cache):
        """The tax tags and signed amounts Odoo's tax synchronisation gives a new product
        line of an invoice (``out_invoice``) or bill (``in_invoice``) in the company
        currency, computed with Odoo's own tax engine (``compute_all``).

        Given at creation, they spare the synchronisation two writes per line (the tax
        tags and amounts, then the balance), which made each line cost several
        milliseconds and grew with the lines of the move. They are only the expected
        values: the synchronisation still computes every line and writes those that
        differ (taxes mapped otherwise, global rounding, cash-basis tags), so the
        documents are the same as without them. Lines whose product has no tax of the
        company are left to Odoo.
        """
        company = self.company_id
        if self.currency_id != company.currency_id:
            return {}
        product = self.env["product.product"].browse(line["product_id"])
        key = (move_type, partner.id, product.id)
        if key not in cache:
            taxes = self._get_line_taxes(move_type, partner, product, cache)
            # the base tags depend on the taxes only; for taxes excluded from the price
            # (percent or fixed), the line's amount is its rounded price x quantity
            simple = all(
                not tax.price_include and tax.amount_type in ("percent", "fixed") for tax in taxes
            )
            tags = []
            if taxes:
                tags = taxes.compute_all(1.0, currency=self.currency_id, product=product)
                tags = tags["base_tags"]
            cache[key] = (taxes, tags, simple)
        taxes, tags, simple = cache[key]
        if not taxes:
            return {}
        if simple:
            amount = self.currency_id.round(line["price_unit"] * line["quantity"])
        else:
            result = taxes.compute_all(
                line["price_unit"],
                currency=self.currency_id,
                quantity=line["quantity"],
                product=product,
                partner=partner,
            )
            amount, tags = result["total_excluded"], result["base_tags"]
        if move_type == "out_invoice":
            amount = -amount
        return {
            "tax_tag_ids": [fields.Command.set(tags)],
            "amount_currency": amount,
            "balance": amount,
        }

    def _clear_untaxed_tags(self, moves):
        """A document whose lines all end up without tax keeps the amounts given at
        creation and is not synchronised: if Odoo mapped the taxes away where
        ``_expected_line_values`` expected some, drop the tags it gave, as Odoo would
        have set none."""
        untaxed = moves.filtered(
            lambda m: not m.invoice_line_ids.tax_ids and m.invoice_line_ids.tax_tag_ids
        )
        if untaxed:
            untaxed.invoice_line_ids.tax_tag_ids = [fields.Command.clear()]

    def _link_hours(self, moves, plan):
        """Link every hour to its document lines with one UPDATE: each row is written
        once, with its vendor bill line and its customer invoice line together."""
        hour_product = self._get_products()[0]
        links = defaultdict(lambda: [None, None])
        for move, agreements in zip(moves, plan, strict=True):
            hour_lines = move.invoice_line_ids.filtered(
                lambda line: line.product_id == hour_product
            ).sorted("id")
            index = 0 if move.move_type == "in_invoice" else 1
            for agreement, aml in zip(agreements, hour_lines, strict=True):
                links[agreement.id][index] = aml.id
        self.env["account.analytic.line"]._cluster_link_documents(
            links, self._get_hour_domain(unsettled=True)
        )

    # Cost shares ------------------------------------------------------------------

    def _get_share_product(self):
        return self.env.ref("cluster_consulting.product_product_cluster_cost_share")

    def _get_share_projects(self):
        return self.env["project.project"].search(
            [
                ("is_joint_project", "=", True),
                ("company_id", "in", (False, self.company_id.id)),
                ("account_id", "!=", False),
            ]
        )

    def _get_resold_costs(self, accounts):
        """Cost lines of the period that are vendor bill lines of bought-out hours the run
        sells on to a member firm or an outside customer: the buyer pays them, so the
        participants don't. ``{account_id: cost}`` in one query."""
        self.env["account.analytic.line"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT cost.account_id, -SUM(cost.amount)
                  FROM account_analytic_line cost
                 WHERE cost.account_id = ANY(%(accounts)s)
                   AND cost.date BETWEEN %(date_from)s AND %(date_to)s
                   AND cost.amount < 0
                   AND cost.cluster_hour_use IS NULL
                   AND cost.move_line_id IS NOT NULL
                   AND EXISTS (
                        SELECT 1
                          FROM account_analytic_line hour
                          JOIN cluster_agreement agreement
                            ON agreement.id = hour.agreement_id
                         WHERE hour.cluster_bill_line_id = cost.move_line_id
                           AND agreement.buyer_kind IN ('member', 'external')
                   )
                 GROUP BY cost.account_id
                """,
                accounts=accounts.ids,
                date_from=self.date_from,
                date_to=self.date_to,
            )
        )
        return dict(self.env.cr.fetchall())

    def _compute_cost_shares(self):
        """The participants' cash shares of the period, per project (see USAGE.md).

        Figures from cluster_projects' co-financing data for the period (a constant number
        of queries for any number of projects): cash cost minus the public funding claimed
        for the period, times each firm's cost share, rounded with the currency; the lead
        partner takes the rounding remainder so the shares sum to the members' part.

        Returns ``[(project, figures, [(participant, amount)])]`` for projects with a
        positive members' part.
        """
        self.ensure_one()
        projects = self._get_share_projects()
        if not projects:
            return []
        data = projects._cluster_cofinancing_data(self.date_from, self.date_to)
        resold = self._get_resold_costs(projects.account_id)
        currency = self.currency_id
        result, bad = [], []
        for project in projects:
            values = data.get(project.id)
            if not values:
                continue
            cost = currency.round(values["cash_cost"] - resold.get(project.account_id.id, 0.0))
            public = currency.round(values["public"])
            base = currency.round(cost - public)
            if currency.compare_amounts(base, 0.0) <= 0:
                continue
            participants = [
                item["participant"]
                for item in values["participants"].values()
                if item["participant"].cost_share
            ]
            total_share = sum(p.cost_share for p in participants)
            if float_compare(total_share, 100.0, precision_digits=2) != 0:
                bad.append(
                    self.env._(
                        "%(project)s: the cost shares sum to %(total).2f %%",
                        project=project.display_name,
                        total=total_share,
                    )
                )
                continue
            participants.sort(key=lambda p: (p.role != "lead", -p.cost_share, p.id))
            lead, others = participants[0], participants[1:]
            amounts = [(p, currency.round(base * p.cost_share / 100.0)) for p in others]
            amounts.insert(0, (lead, currency.round(base - sum(amount for _p, amount in amounts))))
            figures = {"cost": cost, "public": public, "base": base}
            result.append((project, figures, amounts))
        if bad:
            raise UserError(
                self.env._(
                    "Cost shares can't be invoiced: they must sum to 100 %%.\n%(projects)s",
                    projects="\n".join(bad),
                )
            )
        return result

    def _lock_share_participants(self, participants):
        """Lock the participants to invoice: a second run at the same time stops."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        """
                        SELECT id FROM cluster_project_participant
                         WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE NOWAIT
                        """,
                        participants.ids,
                    ),
                    log_exceptions=False,
                )
        except psycopg2.errors.LockNotAvailable:
            raise UserError(
                self.env._(
                    "Another settlement is running on these cost shares; try again in a " "moment."
                )
            ) from None

    def _share_line_name(self, project, participant, figures):
        return self.env._(
            "Cost share %(share).2f %% of %(project)s, %(date_from)s – %(date_to)s "
            "(cash cost %(cost).2f, public funding %(public).2f)",
            share=participant.cost_share,
            project=project.name,
            date_from=self.date_from,
            date_to=self.date_to,
            cost=figures["cost"],
            public=figures["public"],
        )

    def _run_cost_shares(self):
        """Invoice the participants' cash shares of the period that have no active share
        yet: one draft invoice per firm, one line per project."""
        self.ensure_one()
        plan = self._compute_cost_shares()
        if not plan:
            return self.env["account.move"]
        Participant = self.env["cluster.project.participant"]
        self._lock_share_participants(
            Participant.union(*(p for _pr, _f, amounts in plan for p, _a in amounts))
        )
        existing = {
            (project.id, partner.id)
            for project, partner in self.env["cluster.settlement.share"]._read_group(
                [
                    ("project_id", "in", [project.id for project, _f, _a in plan]),
                    ("date_from", "=", self.date_from),
                    ("state", "=", "invoiced"),
                ],
                ["project_id", "partner_id"],
            )
        }
        by_partner = {}
        for project, figures, amounts in plan:
            for participant, amount in amounts:
                partner = participant.partner_id
                if (project.id, partner.id) in existing:
                    continue
                if self.currency_id.is_zero(amount):
                    continue
                by_partner.setdefault(partner, []).append((project, figures, participant, amount))
        if not by_partner:
            return self.env["account.move"]
        partners = self.env["res.partner"].union(*by_partner)
        self._check_partners(partners)
        product = self._get_share_product()
        # a cost share pays for the association's services: Swedish VAT on services
        tax = self.company_id._cluster_services_taxes(self.company_id.account_sale_tax_id)
        move_vals, rows = [], []
        for partner, items in by_partner.items():
            items.sort(key=lambda item: item[0].id)
            move_vals.append(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "company_id": self.company_id.id,
                    "currency_id": self.currency_id.id,
                    "invoice_date": self.date_to,
                    "ref": self.env._("Cost shares %(name)s", name=self.name),
                    "cluster_settlement_id": self.id,
                    "invoice_line_ids": [
                        fields.Command.create(
                            {
                                "product_id": product.id,
                                "name": self._share_line_name(project, participant, figures),
                                "quantity": 1.0,
                                "price_unit": amount,
                                "tax_ids": [fields.Command.set(tax.ids)],
                                # the share is the project's income: on its analytic
                                # account (a share project always has one)
                                "analytic_distribution": {str(project.account_id.id): 100},
                            }
                        )
                        for project, figures, participant, amount in items
                    ],
                }
            )
            rows.append(items)
        try:
            # a run from an old snapshot hits the shares' unique index (probed unlogged
            # below): rolled back to the savepoint and answered cleanly
            with self.env.cr.savepoint():
                moves = self.env["account.move"].create(move_vals)
                share_vals = []
                for move, items in zip(moves, rows, strict=True):
                    lines = move.invoice_line_ids.sorted("id")
                    for line, (project, figures, participant, amount) in zip(
                        lines, items, strict=True
                    ):
                        share_vals.append(
                            {
                                "settlement_id": self.id,
                                "project_id": project.id,
                                "partner_id": participant.partner_id.id,
                                "company_id": self.company_id.id,
                                "currency_id": self.currency_id.id,
                                "date_from": self.date_from,
                                "date_to": self.date_to,
                                "cost_amount": figures["cost"],
                                "public_amount": figures["public"],
                                "base_amount": figures["base"],
                                "cost_share": participant.cost_share,
                                "amount": amount,
                                "move_line_id": line.id,
                                "move_id": move.id,
                            }
                        )
                # a run from an older snapshot that committed these shares meanwhile:
                # the unique index refuses them here, unlogged
                self._probe_insert(
                    "cluster_settlement_share",
                    [
                        {
                            key: vals[key]
                            for key in (
                                "settlement_id",
                                "project_id",
                                "partner_id",
                                "company_id",
                                "currency_id",
                                "move_line_id",
                                "date_from",
                                "date_to",
                            )
                        }
                        | {"state": "invoiced"}
                        for vals in share_vals
                    ],
                )
                # sudo: shares are written by the run only (its rights checked in
                # action_run); managers read them but never edit them by hand
                self.env["cluster.settlement.share"].sudo().create(share_vals)
                self.env.flush_all()
        except psycopg2.errors.UniqueViolation:
            raise UserError(
                self.env._(
                    "Another settlement has just invoiced these cost shares; reload and "
                    "rerun to see what is left."
                )
            ) from None
        self.message_post(
            body=self.env._("%(count)s cost-share invoices created.", count=len(moves))
        )
        return moves

    def _credit_shares(self, shares, reason):
        """Credit notes for exactly these posted shares; they are freed for a rerun."""
        self.ensure_one()
        shares = shares.filtered(lambda s: s.settlement_id == self and s.state == "invoiced")
        if not shares:
            raise UserError(
                self.env._("None of these cost shares is invoiced by %(name)s.", name=self.name)
            )
        if shares.move_id.filtered(lambda m: m.state != "posted"):
            raise UserError(
                self.env._(
                    "Some of these cost shares are on a draft invoice: edit or cancel the "
                    "draft instead of crediting it."
                )
            )
        by_move = {}
        for share in shares.sorted("id"):
            by_move.setdefault(share.move_id, []).append(share)
        refunds = self.env["account.move"].create(
            [
                {
                    "move_type": "out_refund",
                    "partner_id": move.partner_id.id,
                    "company_id": move.company_id.id,
                    "currency_id": move.currency_id.id,
                    "invoice_date": fields.Date.context_today(self),
                    "reversed_entry_id": move.id,
                    "ref": self.env._(
                        "Credit of %(name)s: %(reason)s", name=move.name, reason=reason
                    ),
                    "cluster_settlement_id": self.id,
                    "invoice_line_ids": [
                        fields.Command.create(
                            {
                                "product_id": share.move_line_id.product_id.id,
                                "name": self.env._(
                                    "Credit of %(line)s: %(reason)s",
                                    line=share.move_line_id.name,
                                    reason=reason,
                                ),
                                "quantity": share.move_line_id.quantity,
                                "price_unit": share.move_line_id.price_unit,
                                "tax_ids": [fields.Command.set(share.move_line_id.tax_ids.ids)],
                                "analytic_distribution": (
                                    share.move_line_id.analytic_distribution
                                ),
                            }
                        )
                        for share in move_shares
                    ],
                }
                for move, move_shares in by_move.items()
            ]
        )
        shares._cluster_release("credited")
        self.message_post(
            body=self.env._(
                "%(count)s cost shares credited: %(reason)s",
                count=len(shares),
                reason=reason,
            )
        )
        return refunds

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

    # Statements ------------------------------------------------------------------

    def action_send_statements(self):
        """Queue the net statement (PDF) of each firm to its signatories.

        The mails are queued records of this transaction: they go out after the commit
        (by the mail queue), and a retried transaction queues them once.
        """
        if not self.env.user.has_group("cluster_base.cluster_base_group_manager"):
            raise AccessError(self.env._("Only a cluster manager can send statements."))
        self.env.flush_all()
        template = self.env.ref("cluster_consulting.mail_template_cluster_statement")
        mails = self.env["mail.mail"]
        for balance in self.balance_ids:
            signatories = balance.partner_id.child_ids.filtered(
                lambda p: p.cluster_is_signatory and p.email
            )
            if not signatories:
                continue
            # the template renders the subject, the body and the statement PDF in the
            # firm's language; the mail waits in Odoo's mail queue for the commit
            mail_id = template.sudo().send_mail(
                balance.id,
                email_values={
                    "recipient_ids": [fields.Command.set(signatories.ids)],
                    "model": self._name,
                    "res_id": balance.settlement_id.id,
                },
            )
            mails |= self.env["mail.mail"].sudo().browse(mail_id)
        for settlement in self:
            settlement.message_post(
                body=self.env._("%(count)s statements queued.", count=len(mails))
            )
        return True

    # Netting ---------------------------------------------------------------------

    def action_net_balances(self):
        """Net each firm's open receivable against its open payable, so the firm pays or
        receives one amount: one posted journal entry per firm of the settlement,
        reconciled with the open items it nets. The open items are the ledger's
        (``res.partner._cluster_open_balance``), the figure of the net statement."""
        if not self.env.user.has_group("cluster_base.cluster_base_group_manager"):
            raise AccessError(self.env._("Only a cluster manager can net balances."))
        self.env["account.move"].check_access("create")
        entries = self.env["account.move"]
        for settlement in self:
            entries |= settlement._net_balances()
        if not entries:
            return True
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Netting entries"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", entries.ids)],
        }

    def _get_statement_domain(self):
        """Documents the settlement's period created for a firm (information on its net
        statement): this settlement's invoices, bills and credit notes, and the
        membership fee invoices (cluster_base) of the period."""
        self.ensure_one()
        return [
            "|",
            ("cluster_settlement_id", "=", self.id),
            "&",
            "&",
            ("cluster_settlement_id", "=", False),
            ("cluster_move_kind", "!=", False),
            "&",
            "&",
            ("company_id", "=", self.company_id.id),
            ("invoice_date", ">=", self.date_from),
            ("invoice_date", "<=", self.date_to),
        ]

    def _get_netting_firms(self):
        """The firms whose open items the netting of this settlement nets: the firms of
        its net statements."""
        self.ensure_one()
        self.env.flush_all()
        self.invalidate_recordset(["balance_ids"])
        return self.balance_ids.partner_id.commercial_partner_id

    @staticmethod
    def _allocate_netting(lines, amount, sign, currency):
        """Spread ``amount`` over the accounts of ``lines`` whose open total (residual
        times ``sign``) is positive: ``{account: amount}``."""
        by_account = defaultdict(float)
        for line in lines:
            by_account[line.account_id] += sign * line.amount_residual
        allocation = {}
        for account in sorted(by_account, key=lambda a: a.id):
            if currency.compare_amounts(amount, 0.0) <= 0:
                break
            part = currency.round(min(amount, by_account[account]))
            if currency.compare_amounts(part, 0.0) > 0:
                allocation[account] = part
                amount = currency.round(amount - part)
        return allocation

    def _net_balances(self):
        self.ensure_one()
        journal = self.env["account.journal"].search(
            [("type", "=", "general"), ("company_id", "=", self.company_id.id)], limit=1
        )
        if not journal:
            raise UserError(self.env._("The company has no miscellaneous journal for netting."))
        currency = self.currency_id
        firms = self._get_netting_firms()
        open_balance = firms._cluster_open_balance(self.company_id)
        amounts = {}
        for firm in firms:
            values = open_balance[firm]
            amount = currency.round(min(values["receivable"], -values["payable"]))
            if currency.compare_amounts(amount, 0.0) > 0:
                amounts[firm] = amount
        if not amounts:
            return self.env["account.move"]
        to_net = self.env["res.partner"].union(*amounts)
        open_lines = to_net._cluster_open_items(self.company_id)
        by_firm = defaultdict(lambda: self.env["account.move.line"])
        for line in open_lines:
            by_firm[line.partner_id.commercial_partner_id] |= line
        name = self.env._("Netting %(name)s", name=self.name)
        move_vals, plans = [], []
        for firm, amount in amounts.items():
            lines = by_firm[firm]
            receivable = lines.filtered(lambda line: line.account_type == "asset_receivable")
            payable = lines - receivable
            credits = self._allocate_netting(receivable, amount, 1, currency)
            debits = self._allocate_netting(payable, amount, -1, currency)
            line_vals = [
                fields.Command.create(
                    {"name": name, "account_id": account.id, "partner_id": firm.id, "debit": part}
                )
                for account, part in debits.items()
            ] + [
                fields.Command.create(
                    {"name": name, "account_id": account.id, "partner_id": firm.id, "credit": part}
                )
                for account, part in credits.items()
            ]
            move_vals.append(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": self.date_to,
                    "ref": name,
                    "cluster_settlement_id": self.id,
                    "line_ids": line_vals,
                }
            )
            plans.append(lines)
        entries = self.env["account.move"].create(move_vals)
        entries.action_post()
        for entry, lines in zip(entries, plans, strict=True):
            for account in entry.line_ids.account_id:
                (
                    entry.line_ids.filtered(lambda line, a=account: line.account_id == a)
                    | lines.filtered(lambda line, a=account: line.account_id == a)
                ).reconcile()
        self.message_post(body=self.env._("%(count)s netting entries posted.", count=len(entries)))
        return entries

    # Credit notes ----------------------------------------------------------------

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

    def _credit_hours(self, hours, reason):
        """Create the credit notes for ``hours`` and free exactly these hours."""
        self.ensure_one()
        hours = hours.sudo().filtered(
            lambda h: h.cluster_bill_line_id.move_id.cluster_settlement_id == self
            or h.cluster_invoice_line_id.move_id.cluster_settlement_id == self
        )
        if not hours:
            raise UserError(
                self.env._("None of these hours is settled by %(name)s.", name=self.name)
            )
        origin_lines = hours.cluster_bill_line_id | hours.cluster_invoice_line_id
        if origin_lines.move_id.filtered(lambda m: m.state != "posted"):
            raise UserError(
                self.env._(
                    "Some of these hours are on a draft document: edit or cancel the draft "
                    "instead of crediting it."
                )
            )
        credited = defaultdict(float)
        for hour in hours:
            for aml in hour.cluster_bill_line_id | hour.cluster_invoice_line_id:
                credited[aml] += hour.unit_amount
        by_move = defaultdict(list)
        for aml in sorted(credited, key=lambda line: line.id):
            by_move[aml.move_id].append(aml)
        fee_product = self._get_products()[1]
        move_vals = []
        for move, amls in by_move.items():
            lines = []
            for aml in amls:
                qty = credited[aml]
                lines.append(
                    fields.Command.create(
                        {
                            "product_id": aml.product_id.id,
                            "name": self.env._(
                                "Credit %(hours)s h of %(line)s: %(reason)s",
                                hours=qty,
                                line=aml.name,
                                reason=reason,
                            ),
                            "quantity": qty,
                            "price_unit": aml.price_unit,
                            "account_id": aml.account_id.id,
                            "tax_ids": [fields.Command.set(aml.tax_ids.ids)],
                            "analytic_distribution": aml.analytic_distribution,
                        }
                    )
                )
                agreement = hours.filtered(
                    lambda h, aml=aml: aml in (h.cluster_invoice_line_id | h.cluster_bill_line_id)
                ).agreement_id[:1]
                if move.move_type == "out_invoice" and agreement.fee_percent:
                    fee_line = move.invoice_line_ids.filtered(
                        lambda line: line.product_id == fee_product
                    )[:1]
                    lines.append(
                        fields.Command.create(
                            {
                                "product_id": fee_product.id,
                                "name": self.env._(
                                    "Credit of the association fee on %(hours)s h",
                                    hours=qty,
                                ),
                                "quantity": 1,
                                "price_unit": self.currency_id.round(
                                    qty * aml.price_unit * agreement.fee_percent / 100
                                ),
                                "tax_ids": [fields.Command.set(fee_line.tax_ids.ids)],
                            }
                        )
                    )
            move_vals.append(
                {
                    "move_type": "in_refund" if move.move_type == "in_invoice" else "out_refund",
                    "partner_id": move.partner_id.id,
                    "company_id": move.company_id.id,
                    "currency_id": move.currency_id.id,
                    "invoice_date": fields.Date.context_today(self),
                    "reversed_entry_id": move.id,
                    "ref": self.env._(
                        "Credit of %(name)s: %(reason)s", name=move.name, reason=reason
                    ),
                    "cluster_settlement_id": self.id,
                    "cluster_self_billed": move.cluster_self_billed,
                    "invoice_line_ids": lines,
                }
            )
        with self.env.cr.savepoint():
            refunds = self.env["account.move"].create(move_vals)
            hours._cluster_free_documents()
        self.message_post(
            body=self.env._(
                "%(hours)s hours credited (%(count)s credit notes): %(reason)s",
                hours=sum(hours.mapped("unit_amount")),
                count=len(refunds),
                reason=reason,
            )
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit notes"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", refunds.ids)],
        }

    # Background jobs (OCA queue_job) ---------------------------------------------------

    cluster_job_progress_total = fields.Float(string="Hours to settle")
    cluster_job_progress_done = fields.Float(string="Hours settled")

    def _check_can_run(self):
        if not self.env.user.has_group("cluster_base.cluster_base_group_manager"):
            raise AccessError(self.env._("Only a cluster manager can run a settlement."))

    def action_run_job(self):
        """The button: the run as a job on the money channel (one money run at a time,
        in the order asked); answers at once, the form shows the job's state."""
        self._check_can_run()
        self.env["account.move"].check_access("create")
        busy = self.filtered(lambda s: s._cluster_job_busy())
        for settlement in self - busy:
            settlement._cluster_job_start_run()
        if busy:
            return self._cluster_job_queued_action(
                self.env._(
                    "%(names)s is already queued or running; you are notified when it ends.",
                    names=", ".join(busy.mapped("name")),
                )
            )
        return self._cluster_job_queued_action(
            self.env._("The settlement runs in the background; you are notified when it ends.")
        )

    def _cluster_job_start_run(self):
        """Enqueue the run unless one is already waiting or running for this settlement:
        a settlement asked twice before its job ran is settled by one job."""
        self.ensure_one()
        if self._cluster_job_busy():
            return False
        return self._cluster_job_enqueue(
            "_cluster_job_run",
            channel="root.cluster.money",
            description=self.env._("Settlement %(name)s", name=self.name),
            identity_key=f"cluster.settlement.run:{self.id}",
            total=self.unbilled_hours,
        )

    def _cluster_job_run(self):
        """The job: the same run as ``action_run``. A retried or repeated job settles
        nothing twice (the run only takes hours on no document line, under row locks,
        and a failed try is rolled back whole)."""
        settlement = self.exists()
        if not settlement:
            return self.env._("The settlement was deleted before its job started.")
        settlement.ensure_one()
        before = settlement.move_ids
        hours_before = settlement.unbilled_hours
        settlement.action_run()
        self.env.flush_all()
        settlement.invalidate_recordset(["move_ids", "unbilled_hours", "billed_hours"])
        made = settlement.move_ids - before
        settlement.write(
            {
                "cluster_job_progress_total": hours_before,
                "cluster_job_progress_done": hours_before - settlement.unbilled_hours,
                "cluster_job_document_count": len(made),
            }
        )
        message = self.env._(
            "Settlement %(name)s: %(count)s documents made, %(done)s of %(todo)s hours "
            "settled.",
            name=settlement.name,
            count=len(made),
            done=settlement.cluster_job_progress_done,
            todo=hours_before,
        )
        settlement._cluster_job_notify(message)
        return message

    def action_send_statements_job(self):
        """The button: the statements are rendered and queued by a job (money channel,
        after any run of this settlement asked before)."""
        if not self.env.user.has_group("cluster_base.cluster_base_group_manager"):
            raise AccessError(self.env._("Only a cluster manager can send statements."))
        busy = self.filtered(lambda s: s._cluster_job_busy())
        if busy:
            raise UserError(
                self.env._(
                    "A run of %(names)s is queued or running: send the statements when it "
                    "has ended.",
                    names=", ".join(busy.mapped("name")),
                )
            )
        # the balances are an SQL view over the documents: read them from the database
        self.env.flush_all()
        self.invalidate_recordset(["balance_ids"])
        for settlement in self:
            settlement._cluster_job_enqueue(
                "_cluster_job_send_statements",
                channel="root.cluster.money",
                description=self.env._("Statements of %(name)s", name=settlement.name),
                identity_key=f"cluster.settlement.statements:{settlement.id}",
                total=len(settlement.balance_ids),
            )
        return self._cluster_job_queued_action(
            self.env._(
                "The statements are made in the background; you are notified when "
                "they are queued for sending."
            )
        )

    def _cluster_job_send_statements(self):
        settlement = self.exists()
        if not settlement:
            return self.env._("The settlement was deleted before its job started.")
        self.env.flush_all()
        settlement.invalidate_recordset(["balance_ids"])
        Mail = self.env["mail.mail"].sudo()
        domain = [("model", "=", self._name), ("res_id", "=", settlement.id)]
        before = Mail.search_count(domain)
        settlement.action_send_statements()
        count = Mail.search_count(domain) - before
        settlement.write({"cluster_job_progress_done": count, "cluster_job_document_count": count})
        message = self.env._(
            "Settlement %(name)s: %(count)s statements queued for sending.",
            name=settlement.name,
            count=count,
        )
        settlement._cluster_job_notify(message)
        return message

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
