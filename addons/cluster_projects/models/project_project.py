# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare

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


SPLIT_KEYS = ("public_cash", "public_in_kind", "private_cash", "private_in_kind")


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
    # Co-financing (not stored; computed by _cluster_cofinancing_data in a constant
    # number of queries)
    cluster_cash_cost = fields.Monetary(
        string="Cash costs",
        compute="_compute_cluster_cofinancing",
        groups=INTERNAL,
    )
    cluster_in_kind_hours = fields.Float(
        string="In-kind hours",
        compute="_compute_cluster_cofinancing",
        groups=INTERNAL,
    )
    cluster_in_kind_value = fields.Monetary(
        string="In-kind value",
        compute="_compute_cluster_cofinancing",
        groups=INTERNAL,
    )
    cluster_indirect_cost = fields.Monetary(
        string="Flat-rate indirect costs",
        compute="_compute_cluster_cofinancing",
        help="The grant's flat rate of direct staff costs or of all direct costs: an "
        "eligible cost of its own, never booked in the ledger.",
        groups=INTERNAL,
    )
    cluster_eligible_cost = fields.Monetary(
        string="Eligible cost",
        compute="_compute_cluster_cofinancing",
        groups=INTERNAL,
    )
    cluster_public_financing = fields.Monetary(
        string="Public financing",
        compute="_compute_cluster_cofinancing",
        groups=INTERNAL,
    )
    cluster_member_cash = fields.Monetary(
        string="Members' cash",
        compute="_compute_cluster_cofinancing",
        help="Money received from the participating firms: payments reconciled with the "
        "project's customer invoices (its share of each invoice), by payment date.",
        groups=INTERNAL,
    )
    cluster_member_cash_open = fields.Monetary(
        string="Members' cash invoiced, not paid",
        compute="_compute_cluster_cofinancing",
        help="The project's share of the participating firms' customer invoices still "
        "open (not paid, not credited).",
        groups=INTERNAL,
    )
    cluster_public_share = fields.Float(
        string="Public share (%)",
        compute="_compute_cluster_cofinancing",
        groups=INTERNAL,
    )
    cluster_cofinancing_warning = fields.Text(
        string="Co-financing warnings",
        compute="_compute_cluster_cofinancing",
        groups=INTERNAL,
    )
    # Co-financing plan: the budget against the grants and the commitments
    cluster_plan_cost = fields.Monetary(
        string="Planned cost",
        compute="_compute_cluster_cofinancing",
        groups=INTERNAL,
    )
    cluster_plan_public = fields.Monetary(
        string="Granted public funding",
        compute="_compute_cluster_cofinancing",
        groups=INTERNAL,
    )
    cluster_plan_private = fields.Monetary(
        string="Committed private funding",
        compute="_compute_cluster_cofinancing",
        help="Committed cash plus committed in-kind hours, valued with the same rule as "
        "logged hours (agreed hourly value, or the committed person's or the firm's "
        "average monthly salary).",
        groups=INTERNAL,
    )
    cluster_plan_gap = fields.Monetary(
        string="Financing gap",
        compute="_compute_cluster_cofinancing",
        help="Planned cost minus granted and committed funding.",
        groups=INTERNAL,
    )
    cluster_plan_warning = fields.Text(
        string="Co-financing plan warnings",
        compute="_compute_cluster_cofinancing",
        groups=INTERNAL,
    )

    # The split a funder asks for: public/private x cash/in-kind, planned and actual
    # (see _cluster_financing_items)
    cluster_public_cash_plan = fields.Monetary(
        string="Public cash (planned)",
        compute="_compute_cluster_cofinancing",
        groups=INTERNAL,
    )
    cluster_public_in_kind_plan = fields.Monetary(
        string="Public in-kind (planned)",
        compute="_compute_cluster_cofinancing",
        groups=INTERNAL,
    )
    cluster_private_cash_plan = fields.Monetary(
        string="Private cash (planned)",
        compute="_compute_cluster_cofinancing",
        groups=INTERNAL,
    )
    cluster_private_in_kind_plan = fields.Monetary(
        string="Private in-kind (planned)",
        compute="_compute_cluster_cofinancing",
        groups=INTERNAL,
    )
    cluster_public_cash_actual = fields.Monetary(
        string="Public cash (actual)",
        compute="_compute_cluster_cofinancing",
        groups=INTERNAL,
    )
    cluster_public_in_kind_actual = fields.Monetary(
        string="Public in-kind (actual)",
        compute="_compute_cluster_cofinancing",
        groups=INTERNAL,
    )
    cluster_private_cash_actual = fields.Monetary(
        string="Private cash (actual)",
        compute="_compute_cluster_cofinancing",
        groups=INTERNAL,
    )
    cluster_private_in_kind_actual = fields.Monetary(
        string="Private in-kind (actual)",
        compute="_compute_cluster_cofinancing",
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

    def _compute_cluster_cofinancing(self):
        data = self._cluster_cofinancing_data()
        for project in self:
            values = data.get(project.id, {})
            project.cluster_cash_cost = values.get("cash_cost", 0.0)
            project.cluster_in_kind_hours = values.get("in_kind_hours", 0.0)
            project.cluster_in_kind_value = values.get("in_kind_value", 0.0)
            project.cluster_eligible_cost = values.get("eligible_cost", 0.0)
            project.cluster_indirect_cost = values.get("indirect_cost", 0.0)
            project.cluster_public_financing = values.get("public", 0.0)
            project.cluster_member_cash = values.get("member_cash", 0.0)
            project.cluster_member_cash_open = values.get("member_cash_open", 0.0)
            project.cluster_public_share = values.get("public_share", 0.0)
            project.cluster_cofinancing_warning = "\n".join(values.get("warnings", [])) or False
            plan = values.get("plan", {})
            project.cluster_plan_cost = plan.get("cost", 0.0)
            project.cluster_plan_public = plan.get("public", 0.0)
            project.cluster_plan_private = plan.get("private", 0.0)
            project.cluster_plan_gap = plan.get("gap", 0.0)
            project.cluster_plan_warning = "\n".join(plan.get("warnings", [])) or False
            for kind in ("plan", "actual"):
                split = values.get("split", {}).get(kind, {})
                for key in SPLIT_KEYS:
                    project[f"cluster_{key}_{kind}"] = split.get(key, 0.0)

    # ------------------------------------------------------------------
    # Co-financing
    # ------------------------------------------------------------------
    def _cluster_cofinancing_data(self, date_from=None, date_to=None):
        """Co-financing of the joint projects in ``self``, in constant queries.

        With ``date_from``/``date_to``, only analytic lines of that period and payment
        claims
        whose period ends in it are counted (a payment-claim pack for a period).

        Eligible cost = cash costs (negative analytic amounts that are not in-kind
        hours, sign reversed) + valued in-kind hours (a claimed hour at the value its
        claim froze). Financing = public (amounts claimed on the grants) + members'
        cash (money received: payments reconciled with the project's customer invoices
        to participating firms, by payment date, see ``_cluster_member_payments``) +
        in-kind. ``member_cash_open`` is what those invoices still have open at the end
        of the period.

        Returns ``{project_id: {...}}`` with totals, ``grants`` and ``participants``
        dicts.
        """
        projects = self.filtered(lambda p: p.id and p.is_joint_project)
        if not projects:
            return {}
        Line = self.env["account.analytic.line"].sudo()
        accounts = projects.account_id
        period = []
        if date_from:
            period.append(("date", ">=", date_from))
        if date_to:
            period.append(("date", "<=", date_to))
        claim_period = [("date_to" if c[0] == "date" else c[0], c[1], c[2]) for c in period]
        in_kind = defaultdict(lambda: (0.0, 0.0))  # (account, firm) -> (hours, value)
        cash_cost = defaultdict(float)
        cash_by_category = defaultdict(float)  # (account, cost category) -> cash cost
        received = defaultdict(float)  # (account, partner) -> money received
        still_open = defaultdict(float)  # (account, partner) -> invoiced, not paid
        if accounts:
            for account, member, hours, value in Line._read_group(
                [
                    ("account_id", "in", accounts.ids),
                    ("cluster_hour_use", "=", "in_kind"),
                    *period,
                ],
                ["account_id", "cluster_member_id"],
                ["unit_amount:sum", "cluster_in_kind_value:sum"],
            ):
                in_kind[account.id, member.id] = (hours, value)
            for account, category, amount in Line._read_group(
                [
                    ("account_id", "in", accounts.ids),
                    ("amount", "<", 0),
                    # a customer credit note (e.g. of a cost share) is less money
                    # received, not a cost of the project
                    ("category", "!=", "invoice"),
                    *period,
                    "|",
                    ("cluster_hour_use", "=", False),
                    ("cluster_hour_use", "!=", "in_kind"),
                ],
                ["account_id", "cluster_cost_category"],
                ["amount:sum"],
            ):
                cash_cost[account.id] -= amount
                cash_by_category[account.id, category] -= amount
            for row in projects._cluster_member_payments(date_from, date_to):
                key = (row["account_id"], row["partner_id"])
                received[key] += row["received"]
                still_open[key] += row["open"]
        claims = {
            grant.id: (claimed, got)
            for grant, claimed, got in self.env["cluster.grant.claim"]
            .sudo()
            ._read_group(
                [("project_id", "in", projects.ids), *claim_period],
                ["grant_id"],
                ["amount_claimed:sum", "amount_received:sum"],
            )
        }
        planned_cost = dict(
            self.env["cluster.budget.line"]
            .sudo()
            ._read_group(
                # the budget in force (the latest approved version), not every version
                [("project_id", "in", projects.ids), ("version_id.is_in_force", "=", True)],
                ["project_id"],
                ["amount_planned:sum"],
            )
        )
        grants_by_project = defaultdict(list)
        for grant in self.env["cluster.grant"].sudo().search([("project_id", "in", projects.ids)]):
            grants_by_project[grant.project_id.id].append(grant)
        participants_by_project = defaultdict(list)
        for participant in (
            self.env["cluster.project.participant"]
            .sudo()
            .search([("project_id", "in", projects.ids)])
        ):
            participants_by_project[participant.project_id.id].append(participant)

        result = {}
        for project in projects:
            account_id = project.account_id.id
            currency = project.currency_id
            in_kind_hours = sum(h for (acc, _m), (h, _v) in in_kind.items() if acc == account_id)
            in_kind_value = sum(v for (acc, _m), (_h, v) in in_kind.items() if acc == account_id)
            direct = cash_cost.get(account_id, 0.0) + in_kind_value
            # direct staff costs: in-kind hours and the association's own staff (cash)
            staff = cash_by_category.get((account_id, "association_staff"), 0.0) + in_kind_value
            # flat-rate indirect costs: a line of its own, never in the ledger; with
            # several grants allowing one, the highest
            indirect = project._cluster_indirect_cost(grants_by_project[project.id], staff, direct)
            eligible = direct + indirect
            warnings = []
            participants = {}
            member_cash = member_cash_open = 0.0
            for participant in participants_by_project[project.id]:
                hours, value = in_kind.get((account_id, participant.partner_id.id), (0.0, 0.0))
                cash = received.get((account_id, participant.partner_id.id), 0.0)
                cash_open = still_open.get((account_id, participant.partner_id.id), 0.0)
                member_cash += cash
                member_cash_open += cash_open
                behind_cash = currency.compare_amounts(cash, participant.committed_cash) < 0
                behind_hours = (
                    float_compare(hours, participant.committed_hours, precision_digits=2) < 0
                )
                participants[participant.id] = {
                    "participant": participant,
                    "hours": hours,
                    "in_kind": value,
                    "cash": cash,
                    "cash_open": cash_open,
                    "behind": behind_cash or behind_hours,
                }
                # commitments are due once the project runs: warn from then on
                late = project.cluster_stage in ("running", "final_reporting", "closed")
                if late and behind_cash:
                    warnings.append(
                        self.env._(
                            "%(firm)s has paid %(cash).2f of %(committed).2f committed" " cash.",
                            firm=participant.partner_id.display_name,
                            cash=cash,
                            committed=participant.committed_cash,
                        )
                    )
                if late and behind_hours:
                    warnings.append(
                        self.env._(
                            "%(firm)s has logged %(hours).2f of %(committed).2f "
                            "committed in-kind hours.",
                            firm=participant.partner_id.display_name,
                            hours=hours,
                            committed=participant.committed_hours,
                        )
                    )
            grants = {}
            public = 0.0
            for grant in grants_by_project[project.id]:
                claimed, got = claims.get(grant.id, (0.0, 0.0))
                public += claimed
                share = claimed / eligible * 100.0 if eligible else (100.0 if claimed else 0.0)
                over = float_compare(share, grant.max_public_share, precision_digits=2) > 0
                grants[grant.id] = {
                    "grant": grant,
                    "claimed": claimed,
                    "received": got,
                    "share": share,
                    "over_max": over,
                    "max_allowed": eligible * grant.max_public_share / 100.0,
                }
                if over:
                    warnings.append(
                        self.env._(
                            "Grant %(grant)s finances %(share).2f %% of eligible cost;"
                            " its maximum is %(max).2f %%.",
                            grant=grant.name,
                            share=share,
                            max=grant.max_public_share,
                        )
                    )
            split = {
                "actual": project._cluster_financing_split(
                    project._cluster_financing_items_actual(
                        grants, participants, in_kind, account_id
                    )
                ),
                "plan": project._cluster_financing_split(
                    project._cluster_financing_items_plan(
                        grants_by_project[project.id], participants_by_project[project.id]
                    )
                ),
            }
            public_total = split["actual"]["public_cash"] + split["actual"]["public_in_kind"]
            warnings += project._cluster_intensity_warnings(
                public_total, eligible, grants_by_project[project.id]
            )
            result[project.id] = {
                "split": split,
                "public_total": public_total,
                "plan": project._cluster_plan(
                    planned_cost.get(project, 0.0),
                    grants_by_project[project.id],
                    participants_by_project[project.id],
                ),
                "cash_cost": cash_cost.get(account_id, 0.0),
                "in_kind_hours": in_kind_hours,
                "in_kind_value": in_kind_value,
                "direct_cost": direct,
                "staff_cost": staff,
                "indirect_cost": indirect,
                "eligible_cost": eligible,
                "public": public,
                "member_cash": member_cash,
                "member_cash_open": member_cash_open,
                # aid intensity: all public financing (public grants and the cash and
                # in-kind of public bodies) over eligible cost
                "public_share": public_total / eligible * 100.0 if eligible else 0.0,
                "participants": participants,
                "grants": grants,
                "warnings": warnings,
            }
        return result

    def _cluster_member_payments(self, date_from=None, date_to=None):
        """Money received from the project's customer invoices, in one query.

        The project's customer invoices are the posted customer invoices and credit
        notes with lines on its analytic account; the project's share of one is its
        analytic amount (untaxed). A payment (any entry reconciled with the invoice's
        receivable that is not itself an invoice or credit note: a bank payment, a
        netting entry) counts as received on its own date, for the project's share of
        the amount it pays: share x paid / invoice total. What an invoice still has open
        on ``date_to`` (payments and credit notes reconciled until then deducted) is
        ``open``. Returns one dict per invoice and reconciliation (or per unpaid
        invoice): ``account_id, partner_id, move_id, move_name, invoice_date, share,
        payment_date, payment_name, received, open``.
        """
        accounts = self.account_id
        if not accounts:
            return []
        date_from, date_to = date_from or None, date_to or None  # a wizard's empty date
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH share AS (
                    SELECT aal.account_id, move.id AS move_id, SUM(aal.amount) AS amount
                      FROM account_analytic_line aal
                      JOIN account_move_line aml ON aml.id = aal.move_line_id
                      JOIN account_move move ON move.id = aml.move_id
                     WHERE aal.account_id = ANY(%(accounts)s)
                       AND move.move_type IN ('out_invoice', 'out_refund')
                       AND move.state = 'posted'
                       AND (%(date_to)s::date IS NULL OR move.date <= %(date_to)s::date)
                     GROUP BY aal.account_id, move.id
                ),
                part AS (
                    SELECT term.move_id, other.date, other_move.name,
                           other_move.move_type IN ('out_invoice', 'out_refund') AS credit,
                           partial.amount
                      FROM account_move_line term
                      JOIN account_partial_reconcile partial
                        ON partial.debit_move_id = term.id
                      JOIN account_move_line other ON other.id = partial.credit_move_id
                      JOIN account_move other_move ON other_move.id = other.move_id
                     WHERE term.move_id IN (SELECT move_id FROM share)
                       AND term.display_type = 'payment_term'
                     UNION ALL
                    SELECT term.move_id, other.date, other_move.name,
                           other_move.move_type IN ('out_invoice', 'out_refund') AS credit,
                           partial.amount
                      FROM account_move_line term
                      JOIN account_partial_reconcile partial
                        ON partial.credit_move_id = term.id
                      JOIN account_move_line other ON other.id = partial.debit_move_id
                      JOIN account_move other_move ON other_move.id = other.move_id
                     WHERE term.move_id IN (SELECT move_id FROM share)
                       AND term.display_type = 'payment_term'
                )
                SELECT share.account_id, move.commercial_partner_id, move.id, move.name,
                       move.invoice_date, share.amount::float8,
                       ABS(move.amount_total_signed)::float8,
                       part.date, part.name, part.credit, part.amount::float8
                  FROM share
                  JOIN account_move move ON move.id = share.move_id
             LEFT JOIN part ON part.move_id = share.move_id
                 ORDER BY move.invoice_date, move.id, part.date, part.name
                """,
                accounts=accounts.ids,
                date_to=date_to,
            )
        )
        fetched = self.env.cr.fetchall()
        currency = self.env.company.currency_id
        rows, settled, first = [], defaultdict(float), {}
        for (
            account_id,
            partner_id,
            move_id,
            move_name,
            invoice_date,
            share,
            total,
            paid_date,
            paid_name,
            credit,
            amount,
        ) in fetched:
            if not total:
                continue
            row = {
                "account_id": account_id,
                "partner_id": partner_id,
                "move_id": move_id,
                "move_name": move_name,
                "invoice_date": invoice_date,
                "share": share,
                "payment_date": False,
                "payment_name": False,
                "received": 0.0,
                "open": 0.0,
            }
            if paid_date and (not date_to or paid_date <= date_to):
                settled[account_id, move_id] += amount
                if not credit and (not date_from or paid_date >= date_from):
                    row.update(
                        payment_date=paid_date,
                        payment_name=paid_name,
                        received=currency.round(share * amount / total),
                    )
            rows.append(row)
            first.setdefault((account_id, move_id), (row, share, total))
        # what each invoice still has open on date_to, on its first row
        for key, (row, share, total) in first.items():
            row["open"] = currency.round(share * (total - settled.get(key, 0.0)) / total)
        return rows

    # ------------------------------------------------------------------
    # The four-way split (public/private x cash/in-kind) as items
    # ------------------------------------------------------------------
    def _cluster_financing_items_actual(self, grants, participants, in_kind, account_id):
        """The actual financing as items ``{"id", "public", "cash", "amount"}``: amounts
        claimed on each grant (public unless its funder is private), each participant's
        cash received and the in-kind value of every firm's hours (public when the firm
        is a public body). No query; override to add items."""
        self.ensure_one()
        items = [
            {
                "id": f"grant_{data['grant'].id}",
                "public": data["grant"]._cluster_is_public(),
                "cash": True,
                "amount": data["claimed"],
            }
            for data in grants.values()
        ]
        for data in participants.values():
            items.append(
                {
                    "id": f"participant_cash_{data['participant'].id}",
                    "public": data["participant"].partner_id.cluster_is_public_body,
                    "cash": True,
                    "amount": data["cash"],
                }
            )
        members = self.env["res.partner"].browse(
            [member for (acc, member) in in_kind if acc == account_id]
        )
        for member in members:
            items.append(
                {
                    "id": f"in_kind_{member.id}",
                    "public": member.cluster_is_public_body,
                    "cash": False,
                    "amount": in_kind[account_id, member.id][1],
                }
            )
        return items

    def _cluster_financing_items_plan(self, grants, participants):
        """The planned financing as items: amounts granted and each participant's
        committed cash and committed in-kind value. No query; override to add items."""
        self.ensure_one()
        items = [
            {
                "id": f"grant_{grant.id}",
                "public": grant._cluster_is_public(),
                "cash": True,
                "amount": grant.amount_granted,
            }
            for grant in grants
        ]
        for participant in participants:
            public = participant.partner_id.cluster_is_public_body
            items += [
                {
                    "id": f"participant_cash_{participant.id}",
                    "public": public,
                    "cash": True,
                    "amount": participant.committed_cash,
                },
                {
                    "id": f"participant_in_kind_{participant.id}",
                    "public": public,
                    "cash": False,
                    "amount": participant._cluster_committed_value(),
                },
            ]
        return items

    def _cluster_financing_split(self, items):
        """Sum financing items into ``{public_cash, public_in_kind, private_cash,
        private_in_kind}``."""
        split = dict.fromkeys(SPLIT_KEYS, 0.0)
        for item in items:
            key = "{}_{}".format(
                "public" if item["public"] else "private",
                "cash" if item["cash"] else "in_kind",
            )
            split[key] += item["amount"]
        return split

    def _cluster_indirect_cost(self, grants, staff_cost, direct_cost):
        """The flat-rate indirect costs of the project: the highest its grants allow."""
        return max(
            (g._cluster_indirect_cost(staff_cost, direct_cost) for g in grants), default=0.0
        )

    def _cluster_intensity_warnings(self, public_total, eligible, grants):
        """The aid intensity check on the public total (no query)."""
        self.ensure_one()
        warnings = []
        public_grants = [g for g in grants if g._cluster_is_public()]
        max_intensity = max((g.max_public_share for g in public_grants), default=None)
        intensity = public_total / eligible * 100.0 if eligible else 0.0
        if (
            max_intensity is not None
            and float_compare(intensity, max_intensity, precision_digits=2) > 0
        ):
            warnings.append(
                self.env._(
                    "Public financing (public grants and the contributions of public "
                    "bodies) of %(public).2f is %(share).2f %% of the eligible cost "
                    "%(eligible).2f; the aid intensity allowed is %(max).2f %%.",
                    public=public_total,
                    share=intensity,
                    eligible=eligible,
                    max=max_intensity,
                )
            )
        return warnings

    def _cluster_plan(self, cost, grants, participants):
        """The co-financing plan: budget against grants and commitments (no query)."""
        self.ensure_one()
        currency = self.currency_id
        public = sum(grant.amount_granted for grant in grants)
        # committed hours valued with the rule that values logged hours
        private = sum(p.committed_cash + p._cluster_committed_value() for p in participants)
        warnings = []
        for grant in grants:
            allowed = cost * grant.max_public_share / 100.0
            if currency.compare_amounts(grant.amount_granted, allowed) > 0:
                warnings.append(
                    self.env._(
                        "Grant %(grant)s of %(amount).2f is more than %(max).2f %% "
                        "of the planned cost (%(allowed).2f).",
                        grant=grant.name,
                        amount=grant.amount_granted,
                        max=grant.max_public_share,
                        allowed=allowed,
                    )
                )
        for participant in participants:
            missing = participant.committed_hours and participant._cluster_missing_salary(
                participant.committed_employee_id
            )
            if missing:
                warnings.append(missing)
        gap = cost - public - private
        if cost and currency.compare_amounts(gap, 0.0) > 0:
            warnings.append(
                self.env._(
                    "The planned cost is %(gap).2f more than the granted and committed "
                    "funding.",
                    gap=gap,
                )
            )
        return {
            "cost": cost,
            "public": public,
            "private": private,
            "gap": gap,
            "warnings": warnings,
        }

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

    def _cluster_demo_member_cash(self, items):
        """Demo data only: invoice each ``(firm id, amount, date, paid on)`` on the
        project's analytic account, post it and pay it in full on ``paid on`` (if set).
        Runs once: a project that already has these demo invoices is left alone."""
        self.ensure_one()
        ref = "Demo: kontant insats"
        Move = self.env["account.move"]
        if Move.search_count([("ref", "=", ref), ("move_type", "=", "out_invoice")], limit=1):
            return False
        for firm_id, amount, day, paid_on in items:
            invoice = Move.create(
                {
                    "move_type": "out_invoice",
                    "partner_id": firm_id,
                    "invoice_date": day,
                    "ref": ref,
                    "invoice_line_ids": [
                        fields.Command.create(
                            {
                                "name": self.env._(
                                    "Cash contribution %(project)s", project=self.name
                                ),
                                "quantity": 1.0,
                                "price_unit": amount,
                                "tax_ids": [fields.Command.clear()],
                                "analytic_distribution": {str(self.account_id.id): 100},
                            }
                        )
                    ],
                }
            )
            invoice.action_post()
            if paid_on:
                self.env["account.payment.register"].with_context(
                    active_model="account.move", active_ids=invoice.ids
                ).create({"payment_date": paid_on})._create_payments()
        return True

    def action_cluster_funder_report(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "cluster.funder.report",
            "view_mode": "form",
            "target": "new",
            "context": {"default_project_id": self.id},
        }
