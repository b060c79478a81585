# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import fields, models
from odoo.tools import float_compare

from .project_project import INTERNAL

SPLIT_KEYS = ("public_cash", "public_in_kind", "private_cash", "private_in_kind")


def _cofinancing(field_type, string, help=None):
    """A co-financing figure: not stored, computed with all the others by
    ``_compute_cluster_cofinancing``, read by association users only."""
    return field_type(
        string=string, compute="_compute_cluster_cofinancing", groups=INTERNAL, help=help
    )


class ProjectProject(models.Model):
    """The co-financing of a joint project: its eligible cost and who finances it.

    ``_cluster_cofinancing_data`` builds the figures of any number of projects in a
    constant number of queries, from items others extend, as ``project``'s
    ``_get_profitability_items`` is extended by ``sale_timesheet`` and
    ``project_purchase``: ``_cluster_cofinancing_reads`` runs the batch queries (an
    extension adds its own key), and each project's figures come from
    ``_cluster_cofinancing_costs``, ``_cluster_cofinancing_participants``,
    ``_cluster_cofinancing_grants``, the four-way split's ``_cluster_financing_items_*``
    and ``_cluster_plan``.
    """

    _inherit = "project.project"

    # Co-financing (not stored; computed by _cluster_cofinancing_data in a constant
    # number of queries)
    cluster_cash_cost = _cofinancing(fields.Monetary, "Cash costs")
    cluster_in_kind_hours = _cofinancing(fields.Float, "In-kind hours")
    cluster_in_kind_value = _cofinancing(fields.Monetary, "In-kind value")
    cluster_indirect_cost = _cofinancing(
        fields.Monetary,
        "Flat-rate indirect costs",
        help="The grant's flat rate of direct staff costs or of all direct costs: an "
        "eligible cost of its own, never booked in the ledger.",
    )
    cluster_eligible_cost = _cofinancing(fields.Monetary, "Eligible cost")
    cluster_public_financing = _cofinancing(fields.Monetary, "Public financing")
    cluster_member_cash = _cofinancing(
        fields.Monetary,
        "Members' cash",
        help="Money received from the participating firms: payments reconciled with the "
        "project's customer invoices (its share of each invoice), by payment date.",
    )
    cluster_member_cash_open = _cofinancing(
        fields.Monetary,
        "Members' cash invoiced, not paid",
        help="The project's share of the participating firms' customer invoices still "
        "open (not paid, not credited).",
    )
    cluster_public_share = _cofinancing(fields.Float, "Public share (%)")
    cluster_cofinancing_warning = _cofinancing(fields.Text, "Co-financing warnings")
    # Co-financing plan: the budget against the grants and the commitments
    cluster_plan_cost = _cofinancing(fields.Monetary, "Planned cost")
    cluster_plan_public = _cofinancing(fields.Monetary, "Granted public funding")
    cluster_plan_private = _cofinancing(
        fields.Monetary,
        "Committed private funding",
        help="Committed cash plus committed in-kind hours, valued with the same rule as "
        "logged hours (agreed hourly value, or the committed person's or the firm's "
        "average monthly salary).",
    )
    cluster_plan_gap = _cofinancing(
        fields.Monetary,
        "Financing gap",
        help="Planned cost minus granted and committed funding.",
    )
    cluster_plan_warning = _cofinancing(fields.Text, "Co-financing plan warnings")

    # The split a funder asks for: public/private x cash/in-kind, planned and actual
    # (see _cluster_financing_items)
    cluster_public_cash_plan = _cofinancing(fields.Monetary, "Public cash (planned)")
    cluster_public_in_kind_plan = _cofinancing(fields.Monetary, "Public in-kind (planned)")
    cluster_private_cash_plan = _cofinancing(fields.Monetary, "Private cash (planned)")
    cluster_private_in_kind_plan = _cofinancing(fields.Monetary, "Private in-kind (planned)")
    cluster_public_cash_actual = _cofinancing(fields.Monetary, "Public cash (actual)")
    cluster_public_in_kind_actual = _cofinancing(fields.Monetary, "Public in-kind (actual)")
    cluster_private_cash_actual = _cofinancing(fields.Monetary, "Private cash (actual)")
    cluster_private_in_kind_actual = _cofinancing(fields.Monetary, "Private in-kind (actual)")

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
    def _cluster_cofinancing_data(self, date_from=None, date_to=None, member_cash=True):
        """Co-financing of the joint projects in ``self``, in constant queries.

        With ``date_from``/``date_to``, only analytic lines of that period and payment
        claims whose period ends in it are counted (a payment-claim pack for a period).

        Eligible cost = cash costs (negative analytic amounts that are not in-kind
        hours, sign reversed) + valued in-kind hours (a claimed hour at the value its
        claim froze) + the flat-rate indirect costs. Financing = public (amounts claimed
        on the grants) + members' cash (money received: payments reconciled with the
        project's customer invoices to participating firms, by payment date, see
        ``_cluster_member_payments``) + in-kind. ``member_cash_open`` is what those
        invoices still have open at the end of the period. ``member_cash=False`` skips
        reading the payments (members' cash and what is open are then 0), for callers
        that need only the costs and the public funding (the cost shares).

        Returns ``{project_id: {...}}`` with totals, ``grants`` and ``participants``
        dicts: ``_cluster_cofinancing_reads`` reads, then each project's items.
        """
        projects = self.filtered(lambda p: p.id and p.is_joint_project)
        if not projects:
            return {}
        reads = projects._cluster_cofinancing_reads(date_from, date_to, member_cash=member_cash)
        return {project.id: project._cluster_cofinancing_values(reads) for project in projects}

    def _cluster_cofinancing_reads(self, date_from=None, date_to=None, member_cash=True):
        """The batch reads the co-financing items of ``self`` (joint projects) use, one
        query each whatever the number of projects. Override to add a key."""
        period = []
        if date_from:
            period.append(("date", ">=", date_from))
        if date_to:
            period.append(("date", "<=", date_to))
        reads = {
            "in_kind": {},  # (account, firm) -> (hours, value)
            "cash_by_category": defaultdict(float),  # (account, cost category) -> cost
            "received": defaultdict(float),  # (account, partner) -> money received
            "still_open": defaultdict(float),  # (account, partner) -> invoiced, not paid
        }
        if self.account_id:
            reads["in_kind"] = self._cluster_read_in_kind(period)
            reads["cash_by_category"] = self._cluster_read_cash_costs(period)
            payments = self._cluster_member_payments(date_from, date_to) if member_cash else []
            for row in payments:
                key = (row["account_id"], row["partner_id"])
                reads["received"][key] += row["received"]
                reads["still_open"][key] += row["open"]
        reads["claims"] = self._cluster_read_claims(
            [("date_to" if c[0] == "date" else c[0], c[1], c[2]) for c in period]
        )
        reads["planned_cost"] = dict(
            self.env["cluster.budget.line"]
            .sudo()
            ._read_group(
                # the budget in force (the latest approved version), not every version
                [("project_id", "in", self.ids), ("version_id.is_in_force", "=", True)],
                ["project_id"],
                ["amount_planned:sum"],
            )
        )
        reads["grants"] = defaultdict(list)
        for grant in self.env["cluster.grant"].sudo().search([("project_id", "in", self.ids)]):
            reads["grants"][grant.project_id.id].append(grant)
        reads["participants"] = defaultdict(list)
        Participant = self.env["cluster.project.participant"].sudo()
        for participant in Participant.search([("project_id", "in", self.ids)]):
            reads["participants"][participant.project_id.id].append(participant)
        return reads

    def _cluster_read_in_kind(self, period):
        """``{(account id, firm id): (hours, value)}`` of the in-kind hours."""
        return {
            (account.id, member.id): (hours, value)
            for account, member, hours, value in self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("account_id", "in", self.account_id.ids),
                    ("cluster_hour_use", "=", "in_kind"),
                    *period,
                ],
                ["account_id", "cluster_member_id"],
                ["unit_amount:sum", "cluster_in_kind_value:sum"],
            )
        }

    def _cluster_read_cash_costs(self, period):
        """``{(account id, cost category): cost}`` of the cash costs (not in-kind)."""
        costs = defaultdict(float)
        for account, category, amount in (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("account_id", "in", self.account_id.ids),
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
            )
        ):
            costs[account.id, category] -= amount
        return costs

    def _cluster_read_claims(self, claim_period):
        """``{grant id: (claimed, received)}`` of the claims whose period ends in it."""
        return {
            grant.id: (claimed, got)
            for grant, claimed, got in self.env["cluster.grant.claim"]
            .sudo()
            ._read_group(
                [("project_id", "in", self.ids), *claim_period],
                ["grant_id"],
                ["amount_claimed:sum", "amount_received:sum"],
            )
        }

    def _cluster_cofinancing_values(self, reads):
        """The co-financing figures of one project from ``reads`` (no query)."""
        self.ensure_one()
        costs = self._cluster_cofinancing_costs(reads)
        participants, warnings = self._cluster_cofinancing_participants(reads)
        grants, grant_warnings = self._cluster_cofinancing_grants(reads, costs["eligible_cost"])
        grant_list = reads["grants"][self.id]
        split = {
            "actual": self._cluster_financing_split(
                self._cluster_financing_items_actual(
                    grants, participants, reads["in_kind"], self.account_id.id
                )
            ),
            "plan": self._cluster_financing_split(
                self._cluster_financing_items_plan(grant_list, reads["participants"][self.id])
            ),
        }
        public_total = split["actual"]["public_cash"] + split["actual"]["public_in_kind"]
        eligible = costs["eligible_cost"]
        return {
            **costs,
            "split": split,
            "public_total": public_total,
            "plan": self._cluster_plan(
                reads["planned_cost"].get(self, 0.0), grant_list, reads["participants"][self.id]
            ),
            "public": sum(g["claimed"] for g in grants.values()),
            "member_cash": sum(p["cash"] for p in participants.values()),
            "member_cash_open": sum(p["cash_open"] for p in participants.values()),
            # aid intensity: all public financing (public grants and the cash and
            # in-kind of public bodies) over eligible cost
            "public_share": public_total / eligible * 100.0 if eligible else 0.0,
            "participants": participants,
            "grants": grants,
            "warnings": warnings
            + grant_warnings
            + self._cluster_intensity_warnings(public_total, eligible, grant_list),
        }

    def _cluster_cofinancing_costs(self, reads):
        """Cash cost, in-kind hours and value, direct and staff cost, the flat-rate
        indirect costs and the eligible cost of one project (no query)."""
        self.ensure_one()
        account_id = self.account_id.id
        in_kind = [v for (acc, _m), v in reads["in_kind"].items() if acc == account_id]
        in_kind_value = sum(value for _hours, value in in_kind)
        cash_cost = sum(
            cost for (acc, _c), cost in reads["cash_by_category"].items() if acc == account_id
        )
        direct = cash_cost + in_kind_value
        # direct staff costs: in-kind hours and the association's own staff (cash)
        staff = reads["cash_by_category"].get((account_id, "association_staff"), 0.0)
        staff += in_kind_value
        # flat-rate indirect costs: a line of its own, never in the ledger; with
        # several grants allowing one, the highest
        indirect = self._cluster_indirect_cost(reads["grants"][self.id], staff, direct)
        return {
            "cash_cost": cash_cost,
            "in_kind_hours": sum(hours for hours, _value in in_kind),
            "in_kind_value": in_kind_value,
            "direct_cost": direct,
            "staff_cost": staff,
            "indirect_cost": indirect,
            "eligible_cost": direct + indirect,
        }

    def _cluster_cofinancing_participants(self, reads):
        """``({participant id: figures}, warnings)``: each firm's hours, in-kind value,
        cash received and open, and whether it is behind its commitments (no query)."""
        self.ensure_one()
        account_id = self.account_id.id
        currency = self.currency_id
        # commitments are due once the project runs: warn from then on
        late = self.cluster_stage in ("running", "final_reporting", "closed")
        participants, warnings = {}, []
        for participant in reads["participants"][self.id]:
            key = (account_id, participant.partner_id.id)
            hours, value = reads["in_kind"].get(key, (0.0, 0.0))
            cash = reads["received"].get(key, 0.0)
            behind_cash = currency.compare_amounts(cash, participant.committed_cash) < 0
            behind_hours = (
                float_compare(hours, participant.committed_hours, precision_digits=2) < 0
            )
            participants[participant.id] = {
                "participant": participant,
                "hours": hours,
                "in_kind": value,
                "cash": cash,
                "cash_open": reads["still_open"].get(key, 0.0),
                "behind": behind_cash or behind_hours,
            }
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
        return participants, warnings

    def _cluster_cofinancing_grants(self, reads, eligible):
        """``({grant id: figures}, warnings)``: claimed and received on each grant, its
        share of ``eligible`` cost against its maximum public share (no query)."""
        self.ensure_one()
        grants, warnings = {}, []
        for grant in reads["grants"][self.id]:
            claimed, got = reads["claims"].get(grant.id, (0.0, 0.0))
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
        return grants, warnings

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
