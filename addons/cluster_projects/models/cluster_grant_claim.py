# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import math
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import split_every

from .cluster_project_participant import MONEY_GROUPS

# hours frozen per batch: the rows of a big project's year are written and dropped from
# the cache batch by batch, so a claim's memory does not grow with its hours
FREEZE_BATCH = 5000

VALUE_BASES = [
    ("hourly_value", "Agreed hourly value"),
    ("salary", "Person's monthly salary"),
    ("average_salary", "Firm's average monthly salary"),
]


class ClusterGrantClaim(models.Model):
    """A payment claim sent to a funder for a period, and the amount it paid.

    Submitting a claim freezes the in-kind hours of its period: each hour's value and the
    figures it came from are stored (``cluster.grant.claim.line``, and the value on the
    hour itself) and never recomputed. A paid claim stays paid; a mistake is put right by
    a correction: a new claim for the same period, linked to the first, whose amounts are
    the difference (negative or positive) and whose reason is tracked in the chatter.
    """

    _name = "cluster.grant.claim"
    _inherit = ["mail.thread", "cluster.finite.mixin"]
    _description = "Grant Payment Claim"
    _order = "grant_id, date_to, id"

    name = fields.Char(string="Reference", required=True, tracking=True)
    grant_id = fields.Many2one("cluster.grant", required=True, ondelete="cascade", index=True)
    project_id = fields.Many2one(related="grant_id.project_id", store=True, index=True)
    company_id = fields.Many2one(related="grant_id.company_id", store=True)
    currency_id = fields.Many2one(related="grant_id.currency_id")
    date_from = fields.Date(string="Period from", required=True, tracking=True)
    date_to = fields.Date(string="Period to", required=True, tracking=True)
    date = fields.Date(string="Claim date", default=fields.Date.context_today)
    # The period's financing as the funder asks for it (the project's co-financing for
    # the claim's period; computed per claim, shown on the form only)
    period_indirect_cost = fields.Monetary(
        string="Flat-rate indirect costs",
        compute="_compute_period_split",
        currency_field="currency_id",
        groups=MONEY_GROUPS,
    )
    period_public_cash = fields.Monetary(
        string="Public cash",
        compute="_compute_period_split",
        currency_field="currency_id",
        groups=MONEY_GROUPS,
    )
    period_public_in_kind = fields.Monetary(
        string="Public in-kind",
        compute="_compute_period_split",
        currency_field="currency_id",
        groups=MONEY_GROUPS,
    )
    period_private_cash = fields.Monetary(
        string="Private cash",
        compute="_compute_period_split",
        currency_field="currency_id",
        groups=MONEY_GROUPS,
    )
    period_private_in_kind = fields.Monetary(
        string="Private in-kind",
        compute="_compute_period_split",
        currency_field="currency_id",
        groups=MONEY_GROUPS,
    )
    amount_claimed = fields.Monetary(
        string="Amount claimed",
        currency_field="currency_id",
        tracking=True,
        help="On a correction: the difference to the amount claimed before (negative or "
        "positive).",
    )
    amount_received = fields.Monetary(
        string="Amount received", currency_field="currency_id", tracking=True
    )
    date_received = fields.Date(string="Date received")
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("paid", "Paid")],
        default="draft",
        required=True,
        tracking=True,
        help="Once submitted, the in-kind hours of the period are locked and their values "
        "frozen.",
    )
    correction_of_id = fields.Many2one(
        "cluster.grant.claim",
        string="Correction of",
        index="btree_not_null",
        ondelete="restrict",
        readonly=True,
        copy=False,
        tracking=True,
        help="The claim this claim corrects; its amounts are the difference.",
    )
    correction_ids = fields.One2many(
        "cluster.grant.claim", "correction_of_id", string="Corrections", readonly=True
    )
    correction_reason = fields.Text(
        string="Reason for the correction",
        tracking=True,
        help="Why the claim sent to the funder is corrected (required for a correction).",
    )
    correction_revalue = fields.Boolean(
        string="Revalue hours",
        help="On a correction: value the period's hours again with today's hourly values "
        "and salaries. Otherwise each claimed hour keeps the rate it was claimed at and "
        "only hours added or changed since are valued (at that rate, or today's for new "
        "hours).",
    )
    line_ids = fields.One2many(
        "cluster.grant.claim.line", "claim_id", string="In-kind hours claimed", readonly=True
    )
    in_kind_hours = fields.Float(
        string="In-kind hours", compute="_compute_in_kind", compute_sudo=True
    )
    in_kind_value = fields.Monetary(
        string="In-kind value",
        compute="_compute_in_kind",
        compute_sudo=True,
        currency_field="currency_id",
        help="The value of the period's in-kind hours as this claim states it.",
    )
    # the auditor's pack (cluster.grant.claim.pack): only who may read vouchers reads it
    claim_pack = fields.Binary(
        attachment=True,
        readonly=True,
        copy=False,
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    claim_pack_name = fields.Char(
        readonly=True,
        copy=False,
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    in_kind_difference = fields.Monetary(
        string="In-kind difference",
        compute="_compute_in_kind",
        compute_sudo=True,
        currency_field="currency_id",
        help="On a correction: the in-kind value minus the value claimed before.",
    )

    _sql_constraints = [
        (
            "amounts_positive",
            "CHECK(correction_of_id IS NOT NULL OR (amount_claimed >= 0 AND "
            "amount_received >= 0))",
            "Claimed and received amounts can't be negative (only a correction states a "
            "negative difference).",
        ),
        (
            "period_order",
            "CHECK(date_from <= date_to)",
            "A claim period must end after it starts.",
        ),
    ]

    @api.depends("line_ids.hours", "line_ids.value", "line_ids.value_before")
    def _compute_in_kind(self):
        groups = self.env["cluster.grant.claim.line"]._read_group(
            [("claim_id", "in", self.ids)],
            ["claim_id"],
            ["hours:sum", "value:sum", "value_before:sum"],
        )
        totals = {claim.id: (hours, value, before) for claim, hours, value, before in groups}
        for claim in self:
            hours, value, before = totals.get(claim.id, (0.0, 0.0, 0.0))
            claim.in_kind_hours = hours
            claim.in_kind_value = value
            claim.in_kind_difference = value - before

    @api.constrains("amount_claimed", "amount_received")
    def _check_amounts(self):
        for claim in self:
            for value in (claim.amount_claimed, claim.amount_received):
                if not math.isfinite(value or 0.0) or (value < 0 and not claim.correction_of_id):
                    raise ValidationError(
                        self.env._(
                            "The amounts of claim %(claim)s must be finite and zero or"
                            " more; only a correction states a negative difference.",
                            claim=claim.name,
                        )
                    )

    def _compute_period_split(self):
        for claim in self:
            project = claim.project_id
            data = project._cluster_cofinancing_data(claim.date_from, claim.date_to).get(
                project.id, {}
            )
            split = data.get("split", {}).get("actual", {})
            claim.period_indirect_cost = data.get("indirect_cost", 0.0)
            claim.period_public_cash = split.get("public_cash", 0.0)
            claim.period_public_in_kind = split.get("public_in_kind", 0.0)
            claim.period_private_cash = split.get("private_cash", 0.0)
            claim.period_private_in_kind = split.get("private_in_kind", 0.0)

    @api.constrains("amount_claimed", "grant_id")
    def _check_aid_limits(self):
        self.project_id._cluster_check_aid_limits()

    @api.constrains("date_from", "date_to", "grant_id")
    def _check_period(self):
        for claim in self:
            grant = claim.grant_id
            if (
                claim.date_from > claim.date_to
                or claim.date_from < grant.date_from
                or claim.date_to > grant.date_to
            ):
                raise ValidationError(
                    self.env._(
                        "The period of claim %(claim)s must lie within the eligible "
                        "period of grant %(grant)s.",
                        claim=claim.name,
                        grant=grant.name,
                    )
                )

    @api.constrains("correction_of_id", "grant_id", "date_from", "date_to", "state")
    def _check_correction(self):
        for claim in self.filtered("correction_of_id"):
            first = claim.correction_of_id
            if (
                first.correction_of_id
                or first.grant_id != claim.grant_id
                or (first.date_from, first.date_to) != (claim.date_from, claim.date_to)
            ):
                raise ValidationError(
                    self.env._(
                        "Correction %(claim)s must correct an original claim of the same "
                        "grant and period (%(first)s).",
                        claim=claim.name,
                        first=first.name,
                    )
                )
            drafts = first.correction_ids.filtered(lambda c: c.state == "draft")
            if len(drafts) > 1:
                raise ValidationError(
                    self.env._(
                        "Claim %(claim)s already has a draft correction; submit or delete "
                        "it first.",
                        claim=first.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def _cluster_check_sign(self, vals, correction):
        """Negative amounts only on a correction, refused before the database sees them."""
        if correction:
            return
        for name in ("amount_claimed", "amount_received"):
            if (vals.get(name) or 0.0) < 0:
                raise ValidationError(
                    self.env._(
                        "%(field)s must be zero or more; only a correction states a "
                        "negative difference.",
                        field=self._fields[name]._description_string(self.env),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._cluster_check_sign(vals, vals.get("correction_of_id"))
        claims = super().create(vals_list)
        # a claim created as submitted or paid (imports, demo data) is frozen as well
        claims.filtered(lambda c: c.state != "draft" and not c.line_ids)._cluster_freeze()
        return claims

    def write(self, vals):
        frozen = ("grant_id", "date_from", "date_to", "correction_of_id")
        if any(name in vals for name in frozen) and self.filtered(lambda c: c.state != "draft"):
            raise UserError(
                self.env._(
                    "The grant and period of a submitted claim can't change; create a "
                    "correction instead."
                )
            )
        for claim in self:
            claim._cluster_check_sign(vals, vals.get("correction_of_id", claim.correction_of_id))
            # what was sent to the funder, and what it paid, stay as they were
            if ("amount_claimed" in vals and claim.state != "draft") or (
                "amount_received" in vals and claim.state == "paid"
            ):
                if claim.currency_id.compare_amounts(
                    vals.get("amount_claimed", claim.amount_claimed), claim.amount_claimed
                ) or claim.currency_id.compare_amounts(
                    vals.get("amount_received", claim.amount_received), claim.amount_received
                ):
                    raise UserError(
                        self.env._(
                            "The amounts of claim %(claim)s were sent to the funder and "
                            "can't change; create a correction for the difference.",
                            claim=claim.name,
                        )
                    )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        sent = self.filtered(lambda c: c.state != "draft")
        if sent:
            raise UserError(
                self.env._(
                    "Claim %(claim)s was sent to the funder and can't be deleted; create a "
                    "correction instead.",
                    claim=sent[0].name,
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_submit(self):
        self.check_access("write")
        if self.filtered(lambda c: c.state != "draft"):
            raise UserError(self.env._("Only draft claims can be submitted."))
        for claim in self.filtered("correction_of_id"):
            if not (claim.correction_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Correction %(claim)s needs a reason before it is submitted.",
                        claim=claim.name,
                    )
                )
        self.write({"state": "submitted"})
        for claim in self.sorted(lambda c: (bool(c.correction_of_id), c.id)):
            claim._cluster_freeze()
        return True

    def action_mark_paid(self):
        self.check_access("write")
        if self.filtered(lambda c: c.state != "submitted"):
            raise UserError(self.env._("Only submitted claims can be marked as paid."))
        self.write({"state": "paid", "date_received": fields.Date.context_today(self)})
        return True

    def action_reset_draft(self):
        """A submitted claim goes back to draft only while nothing rests on it."""
        self.check_access("write")
        for claim in self:
            if claim.state == "draft":
                continue
            if claim.state == "paid":
                raise UserError(
                    self.env._(
                        "Claim %(claim)s is paid and can't return to draft. Create a "
                        "correction: a new claim for the difference, linked to it.",
                        claim=claim.name,
                    )
                )
            others = (
                self.env["cluster.grant.claim.line"]
                .sudo()
                .search_count(
                    [
                        ("line_id", "in", claim.sudo().line_ids.line_id.ids),
                        ("claim_id", "!=", claim.id),
                    ],
                    limit=1,
                )
            )
            if claim.correction_ids or others:
                raise UserError(
                    self.env._(
                        "Claim %(claim)s can't return to draft: other claims or corrections"
                        " rest on the values it froze. Create a correction instead.",
                        claim=claim.name,
                    )
                )
            claim._cluster_unfreeze()
            claim.state = "draft"
        return True

    def action_claim_pack(self):
        """Build the claim pack (figures, cost lines, time report, vouchers) in a job."""
        self.ensure_one()
        pack = self.env["cluster.grant.claim.pack"].create({"claim_id": self.id})
        return pack.action_pack_job()

    def action_create_correction(self):
        """Open a new draft correction of this claim (same grant and period)."""
        self.ensure_one()
        self.check_access("write")
        first = self.correction_of_id or self
        if first.state == "draft":
            raise UserError(
                self.env._(
                    "Claim %(claim)s is still a draft: change it instead of correcting it.",
                    claim=first.name,
                )
            )
        correction = first.correction_ids.filtered(lambda c: c.state == "draft")[:1]
        if not correction:
            correction = self.create(
                {
                    "name": self.env._(
                        "%(claim)s, correction %(number)s",
                        claim=first.name,
                        number=len(first.correction_ids) + 1,
                    ),
                    "grant_id": first.grant_id.id,
                    "date_from": first.date_from,
                    "date_to": first.date_to,
                    "correction_of_id": first.id,
                    "amount_claimed": 0.0,
                    "amount_received": 0.0,
                }
            )
            first.message_post(
                body=self.env._(
                    "Correction %(correction)s opened: the period's in-kind hours can be "
                    "corrected until it is submitted.",
                    correction=correction.name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": correction.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Freezing the values of the in-kind hours
    # ------------------------------------------------------------------
    def _cluster_root(self):
        self.ensure_one()
        return self.correction_of_id or self

    def _cluster_roots_open_for_correction(self):
        """The original claims among ``self``'s roots that have a draft correction."""
        roots = self.correction_of_id | self.filtered(lambda c: not c.correction_of_id)
        if not roots:
            return roots
        drafts = self.sudo().search(
            [("correction_of_id", "in", roots.ids), ("state", "=", "draft")]
        )
        return drafts.correction_of_id

    def _cluster_period_hours(self):
        """The in-kind hours of the claim's project dated in its period."""
        self.ensure_one()
        return (
            self.env["account.analytic.line"]
            .sudo()
            .search(
                [
                    ("project_id", "=", self.project_id.id),
                    ("cluster_hour_use", "=", "in_kind"),
                    ("date", ">=", self.date_from),
                    ("date", "<=", self.date_to),
                ],
                order="date, id",
            )
        )

    def _cluster_freeze(self):
        """Store the value of each in-kind hour of the period and what it came from.

        An hour already frozen by an earlier claim keeps its value and basis (e.g. the
        claim of a second grant for the same period). A correction values the period
        again: hours claimed before keep their frozen rate (today's rate if
        ``correction_revalue``), hours new to the period get today's; the difference to
        the value claimed before is kept on each row.
        """
        for claim in self:
            for batch in split_every(FREEZE_BATCH, claim._cluster_period_hours().ids):
                claim._cluster_freeze_hours(self.env["account.analytic.line"].browse(batch))
                # written; dropped from the cache before the next batch
                self.env.flush_all()
                self.env.invalidate_all()
            if claim.correction_of_id:
                claim.correction_of_id.message_post(
                    body=self.env._(
                        "Correction %(correction)s submitted: %(reason)s",
                        correction=claim.name,
                        reason=claim.correction_reason,
                    )
                )

    def _cluster_freeze_hours(self, hours):
        """Freeze ``hours`` (in-kind hours of this claim's period) on this claim."""
        self.ensure_one()
        ClaimLine = self.env["cluster.grant.claim.line"].sudo()
        previous = {}
        if hours.filtered("cluster_value_claim_id"):
            for row in ClaimLine.search([("line_id", "in", hours.ids)], order="id"):
                if row.claim_id == row.line_id.cluster_value_claim_id:
                    previous[row.line_id.id] = row
        hours.project_id.cluster_participant_ids.fetch(
            ["partner_id", "valuation_method", "hourly_value", "average_monthly_salary"]
        )
        vals_list = []
        new_values = defaultdict(list)  # value -> hour ids the claim (re)values
        for hour in hours:
            before = previous.get(hour.id)
            if before and not self.correction_of_id:
                figures = before._cluster_figures()
                value = hour.cluster_in_kind_value
            elif hour.cluster_value_claim_id == self and not self.correction_of_id:
                # sent before 1.2 (pre-claim-freeze): the value claimed then stays
                value = hour.cluster_in_kind_value
                figures = self._cluster_sent_figures(hour, value)
            else:
                if before and not self.correction_revalue:
                    figures = before._cluster_figures()
                else:
                    basis = hour._cluster_participant()._cluster_hour_basis(
                        hour.employee_id, hour.date
                    )
                    figures = {
                        "basis": basis["basis"],
                        "hourly_rate": basis["hourly_rate"],
                        "monthly_salary": basis["monthly_salary"],
                        "payroll_pct": basis["payroll_pct"],
                        "yearly_hours": basis["yearly_hours"],
                    }
                value = hour._cluster_round(figures["hourly_rate"] * hour.unit_amount)
                new_values[value].append(hour.id)
            vals_list.append(
                {
                    "claim_id": self.id,
                    "line_id": hour.id,
                    "member_id": hour.cluster_member_id.id,
                    "employee_id": hour.employee_id.id,
                    "date": hour.date,
                    "hours": hour.unit_amount,
                    "value": value,
                    "value_before": (
                        hour.cluster_in_kind_value if self.correction_of_id and before else 0.0
                    ),
                    **figures,
                }
            )
        ClaimLine.create(vals_list)
        # one UPDATE per distinct value; the stored value is what every figure sums
        for value, ids in new_values.items():
            hours.browse(ids).write(
                {"cluster_in_kind_value": value, "cluster_value_claim_id": self.id}
            )

    def _cluster_sent_figures(self, hour, value):
        """The figures of an hour this claim counted before claims kept them (1.2): the
        firm's basis, and the rate the stored value implies (no employer contributions
        were added before 1.2)."""
        self.ensure_one()
        basis = hour._cluster_participant()._cluster_hour_basis(hour.employee_id, hour.date)
        rate = value / hour.unit_amount if hour.unit_amount else 0.0
        yearly_hours = basis["yearly_hours"]
        return {
            "basis": basis["basis"],
            "hourly_rate": rate,
            # the salary formula then: rate = salary x 12 / yearly hours
            "monthly_salary": rate * yearly_hours / 12.0 if yearly_hours else 0.0,
            "payroll_pct": 0.0,
            "yearly_hours": yearly_hours,
        }

    def _cluster_unfreeze(self):
        """Undo ``_cluster_freeze`` of a submitted claim nothing else rests on."""
        self.ensure_one()
        rows = self.sudo().line_ids
        hours = rows.line_id.filtered(lambda h: h.cluster_value_claim_id == self)
        # sudo: the rows are the claim's own audit trail, removed with its freeze only
        rows.unlink()
        # the value depends on the link: unlinked, it follows today's rates again
        hours.write({"cluster_value_claim_id": False})
