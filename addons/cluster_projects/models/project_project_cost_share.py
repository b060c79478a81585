# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import psycopg2.errors

from odoo import api, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare


class ProjectProject(models.Model):
    """The participants' cash shares of a joint project's costs for a period, from the
    project's co-financing data (cost, public funding, participants' cost shares).

    What the shares are is decided here, where the projects, participants and grants
    live; cluster_consulting invoices them in its settlement runs and extends
    ``_cluster_share_excluded_costs`` with the costs a buyer pays instead. A firm's
    share of the public funding is checked here against its aid limits (maximum aid
    amount and intensity) when a claim or a cost share changes."""

    _inherit = "project.project"

    @api.model
    def _cluster_get_share_domain(self, company):
        """The joint projects whose costs their participants share (in ``company``)."""
        return [
            ("is_joint_project", "=", True),
            ("company_id", "in", (False, company.id)),
            ("account_id", "!=", False),
        ]

    def _cluster_share_excluded_costs(self, date_from, date_to):
        """``{analytic account id: cost}``: costs of these projects in the period that
        their participants do not share (someone else pays them). None here."""
        return {}

    def _cluster_cost_shares(self, date_from, date_to, currency):
        """The participants' cash shares of these projects for the period (see
        cluster_consulting's USAGE.md).

        Figures from the co-financing data of the period (a constant number of queries
        for any number of projects): cash cost minus the public funding claimed for the
        period, times each firm's cost share, rounded with ``currency``; the lead partner
        takes the rounding remainder so the shares sum to the members' part.

        Returns ``[(project, figures, [(participant, amount)])]`` for projects with a
        positive members' part; refuses projects whose cost shares don't sum to 100 %.
        """
        projects = self._cluster_share_candidates(date_from, date_to)
        if not projects:
            return []
        # the shares need the costs and the public funding, not the money received
        data = projects._cluster_cofinancing_data(date_from, date_to, member_cash=False)
        excluded = projects._cluster_share_excluded_costs(date_from, date_to)
        result, bad = [], []
        for project in projects:
            values = data.get(project.id)
            if not values:
                continue
            cost = currency.round(values["cash_cost"] - excluded.get(project.account_id.id, 0.0))
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
            amounts = self._cluster_split_share(base, participants, currency)
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

    def _cluster_share_candidates(self, date_from, date_to):
        """The projects of ``self`` whose share of the period can be other than nothing:
        those with a cash cost in the period, or a grant claim whose period ends in it (a
        correction claim alone can lower the public part). Two queries; the co-financing
        of the others is not worked out."""
        if not self:
            return self
        costs = self._cluster_read_cash_costs([("date", ">=", date_from), ("date", "<=", date_to)])
        claims = self._cluster_read_claims(
            [("date_to", ">=", date_from), ("date_to", "<=", date_to)]
        )
        accounts = {account_id for account_id, _category in costs}
        claimed = self.env["cluster.grant"].sudo().browse(claims).project_id
        return self.filtered(lambda p: p.account_id.id in accounts or p in claimed)

    @api.model
    def _cluster_split_share(self, base, participants, currency):
        """``[(participant, amount)]``: ``base`` split by the participants' cost shares,
        the lead partner first, taking the rounding remainder."""
        participants = sorted(participants, key=lambda p: (p.role != "lead", -p.cost_share, p.id))
        lead, others = participants[0], participants[1:]
        amounts = [(p, currency.round(base * p.cost_share / 100.0)) for p in others]
        amounts.insert(0, (lead, currency.round(base - sum(amount for _p, amount in amounts))))
        return amounts

    @api.model
    def _cluster_lock_share_participants(self, participants):
        """Lock the participants whose shares are invoiced: a second run at the same time
        stops at once with a message."""
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
                    "Another settlement is running on these cost shares; try again in a moment."
                )
            ) from None

    def _cluster_participant_aid(self, data):
        """``{participant_id: (aid, eligible)}``: each firm's cost share of the amounts
        claimed on public grants and of the eligible cost (no query)."""
        self.ensure_one()
        grants = data["grants"].values()
        public = sum(g["claimed"] for g in grants if g["grant"]._cluster_is_public())
        return {
            pid: (
                public * row["participant"].cost_share / 100.0,
                data["eligible_cost"] * row["participant"].cost_share / 100.0,
            )
            for pid, row in data["participants"].items()
        }

    def _cluster_check_aid_limits(self):
        """Refuse a claim or a cost share that takes a firm over its maximum aid amount
        or aid intensity, with the figures."""
        limited = self.sudo().cluster_participant_ids.filtered(
            lambda p: p.max_aid_amount or p.max_aid_intensity
        )
        if not limited:
            return
        data = limited.project_id._cluster_cofinancing_data()
        for participant in limited:
            project = participant.project_id
            if project.id not in data:
                continue
            aid, eligible = project._cluster_participant_aid(data[project.id])[participant.id]
            currency = project.currency_id
            if participant.max_aid_amount and (
                currency.compare_amounts(aid, participant.max_aid_amount) > 0
            ):
                raise ValidationError(
                    self.env._(
                        "%(firm)s would receive %(aid).2f of public funding in "
                        "%(project)s (its cost share of %(share).2f %% of the public "
                        "grants claimed); its maximum aid amount is %(max).2f.",
                        firm=participant.partner_id.display_name,
                        project=project.display_name,
                        aid=aid,
                        share=participant.cost_share,
                        max=participant.max_aid_amount,
                    )
                )
            intensity = aid / eligible * 100.0 if eligible else (100.0 if aid else 0.0)
            if participant.max_aid_intensity and (
                float_compare(intensity, participant.max_aid_intensity, precision_digits=2) > 0
            ):
                raise ValidationError(
                    self.env._(
                        "Public funding of %(aid).2f would cover %(intensity).2f %% of the "
                        "eligible cost %(eligible).2f of %(firm)s in %(project)s; its "
                        "maximum aid intensity is %(max).2f %%.",
                        firm=participant.partner_id.display_name,
                        project=project.display_name,
                        aid=aid,
                        intensity=intensity,
                        eligible=eligible,
                        max=participant.max_aid_intensity,
                    )
                )
