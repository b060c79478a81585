# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import math
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

COMPUTED_KINDS = {"participants_women", "participants_men", "firms", "competence_hours"}


class ClusterIndicator(models.Model):
    """A target and its outcome for one project and period.

    Participants by gender and competence hours come from the registrations of the
    project's competence activities in the period (cancelled ones excluded);
    participating
    firms from the project's participants. New jobs, new firms and new market contracts
    are
    entered by hand with evidence.
    """

    _name = "cluster.indicator"
    _inherit = ["cluster.finite.mixin", "cluster.project.audit.mixin"]
    _cluster_non_negative_fields = ("target", "outcome_manual")
    _cluster_audit_fields = ("kind", "date_from", "date_to", "target", "outcome_manual")
    _description = "Joint Project Indicator"
    _order = "project_id, date_from, kind"

    company_id = fields.Many2one(related="project_id.company_id", store=True)
    kind = fields.Selection(
        [
            ("participants_women", "Participants (women)"),
            ("participants_men", "Participants (men)"),
            ("firms", "Participating firms"),
            ("new_jobs", "New jobs"),
            ("new_firms", "New firms established"),
            ("new_market_contracts", "New market contracts"),
            ("competence_hours", "Hours of competence development"),
        ],
        required=True,
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    target = fields.Float()
    is_computed = fields.Boolean(compute="_compute_outcome", string="Computed")
    outcome_manual = fields.Float(string="Entered outcome")
    outcome = fields.Float(compute="_compute_outcome")
    evidence = fields.Text(
        help="What proves the entered outcome (contracts, registrations, letters)."
    )
    evidence_attachment_ids = fields.Many2many("ir.attachment", string="Evidence files")

    _sql_constraints = [
        (
            "period_order",
            "CHECK(date_from <= date_to)",
            "An indicator period must end after it starts.",
        ),
        (
            "target_positive",
            "CHECK(target >= 0 AND outcome_manual >= 0)",
            "Targets and outcomes can't be negative.",
        ),
    ]

    @api.depends("kind", "project_id", "date_from", "date_to", "outcome_manual")
    def _compute_outcome(self):
        computed = self._cluster_computed_outcomes()
        for indicator in self:
            indicator.is_computed = indicator.kind in COMPUTED_KINDS
            if indicator.is_computed:
                indicator.outcome = computed.get(indicator.id, 0.0)
            else:
                indicator.outcome = indicator.outcome_manual

    def _cluster_computed_outcomes(self):
        indicators = self.filtered(
            lambda i: i.id and i.kind in COMPUTED_KINDS and i.date_from and i.date_to
        )
        if not indicators:
            return {}
        date_min = min(indicators.mapped("date_from"))
        date_max = max(indicators.mapped("date_to"))
        rows = (
            self.env["event.registration"]
            .sudo()
            ._read_group(
                [
                    ("cluster_project_id", "in", indicators.project_id.ids),
                    ("state", "!=", "cancel"),
                    (
                        "event_id.date_begin",
                        ">=",
                        fields.Datetime.to_datetime(date_min),
                    ),
                    (
                        "event_id.date_begin",
                        "<",
                        fields.Datetime.to_datetime(date_max) + timedelta(days=1),
                    ),
                ],
                ["cluster_project_id", "event_id", "cluster_gender"],
                ["__count", "cluster_hours:sum"],
            )
        )
        by_project = defaultdict(list)
        for project, event, gender, count, hours in rows:
            by_project[project.id].append((event.date_begin.date(), gender, count, hours))
        result = {}
        for indicator in indicators:
            rows_in = [
                r
                for r in by_project[indicator.project_id.id]
                if indicator.date_from <= r[0] <= indicator.date_to
            ]
            if indicator.kind == "participants_women":
                result[indicator.id] = sum(r[2] for r in rows_in if r[1] == "female")
            elif indicator.kind == "participants_men":
                result[indicator.id] = sum(r[2] for r in rows_in if r[1] == "male")
            elif indicator.kind == "competence_hours":
                result[indicator.id] = sum(r[3] for r in rows_in)
            elif indicator.kind == "firms":
                result[indicator.id] = len(indicator.project_id.cluster_participant_ids)
        return result

    @api.constrains("target", "outcome_manual")
    def _check_values(self):
        for indicator in self:
            for value in (indicator.target, indicator.outcome_manual):
                if not math.isfinite(value or 0.0) or value < 0:
                    raise ValidationError(
                        self.env._("Targets and outcomes must be finite and zero or more.")
                    )

    def _cluster_audit_label(self):
        self.ensure_one()
        kind = dict(self._fields["kind"]._description_selection(self.env))
        return self.env._(
            "Indicator %(kind)s %(start)s–%(end)s",
            kind=kind.get(self.kind, ""),
            start=self.date_from,
            end=self.date_to,
        )
