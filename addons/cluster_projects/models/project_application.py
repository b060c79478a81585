# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import models

from .cluster_budget_line import BUDGET_CATEGORIES


class ProjectProject(models.Model):
    _inherit = "project.project"

    def _cluster_application_version(self):
        """The budget an application shows by default: the latest applied version, else
        the version in force."""
        self.ensure_one()
        applied = self.env["cluster.budget.version"].search(
            [("project_id", "=", self.id), ("kind", "=", "applied")], order="number desc", limit=1
        )
        return applied or self.cluster_budget_version_id

    def _cluster_application_data(self, version):
        """The figures of an application to the funder, shared by its XLSX and its PDF.

        The budget is the lines of ``version`` per cost type and year (a line counts in
        the year it starts); the co-financing plan is ``_cluster_plan`` on that budget.
        """
        self.ensure_one()
        self.check_access("read")
        currency = self.currency_id
        roles = dict(
            self.env["cluster.project.participant"]
            ._fields["role"]
            ._description_selection(self.env)
        )
        kinds = dict(
            self.env["cluster.indicator"]._fields["kind"]._description_selection(self.env)
        )
        years, budget, year_totals = self._cluster_application_budget(version)
        cost = currency.round(sum(year_totals))
        grants = self.cluster_grant_ids
        participants = self.env["cluster.project.participant"].search(
            [("project_id", "=", self.id)]
        )
        plan = self._cluster_plan(cost, list(grants), list(participants))
        return {
            "project": self,
            "version": version,
            "currency": currency,
            "participants": [
                {
                    "firm": participant.partner_id.display_name,
                    "role": roles.get(participant.role, ""),
                    "cost_share": participant.cost_share,
                    "committed_cash": participant.committed_cash,
                    "committed_hours": participant.committed_hours,
                    "committed_value": currency.round(participant._cluster_committed_value()),
                }
                for participant in participants
            ],
            "years": years,
            "budget": budget,
            "year_totals": year_totals,
            "cost": cost,
            "grants": [
                {
                    "funder": grant.funder_id.display_name,
                    "name": grant.name,
                    "amount": grant.amount_granted,
                }
                for grant in grants
            ],
            "plan": plan,
            "activities": [
                {
                    "name": event.name,
                    "date_begin": event.date_begin.date() if event.date_begin else False,
                    "date_end": event.date_end.date() if event.date_end else False,
                }
                for event in self.env["event.event"].search(
                    [("cluster_project_id", "=", self.id)], order="date_begin, id"
                )
            ],
            "indicators": [
                {
                    "kind": kinds.get(indicator.kind, ""),
                    "date_from": indicator.date_from,
                    "date_to": indicator.date_to,
                    "target": indicator.target,
                }
                for indicator in self.cluster_indicator_ids
            ],
        }

    def _cluster_application_budget(self, version):
        """``(years, rows, year totals)``: the lines of ``version`` per cost type and
        year (a line counts in the year it starts), rounded with the currency."""
        self.ensure_one()
        currency = self.currency_id
        categories = dict(
            self.env["cluster.budget.line"]._fields["category"]._description_selection(self.env)
        )
        amounts = defaultdict(float)
        for line in version.line_ids:
            amounts[line.category, line.date_from.year] += line.amount_planned
        years = sorted({year for _category, year in amounts})
        budget = []
        for category, _label in BUDGET_CATEGORIES:
            per_year = [currency.round(amounts.get((category, year), 0.0)) for year in years]
            if any(per_year):
                budget.append(
                    {
                        "category": categories[category],
                        "amounts": per_year,
                        "total": currency.round(sum(per_year)),
                    }
                )
        year_totals = [
            currency.round(sum(row["amounts"][i] for row in budget)) for i in range(len(years))
        ]
        return years, budget, year_totals

    def action_cluster_application(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Application"),
            "res_model": "cluster.application.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_project_id": self.id},
        }
