# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import math

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class ClusterGrantClaim(models.Model):
    """A payment claim sent to a funder for a period, and the amount it paid."""

    _name = "cluster.grant.claim"
    _inherit = ["cluster.finite.mixin"]
    _cluster_non_negative_fields = ("amount_claimed", "amount_received")
    _description = "Grant Payment Claim"
    _order = "grant_id, date_to, id"

    name = fields.Char(string="Reference", required=True)
    grant_id = fields.Many2one("cluster.grant", required=True, ondelete="cascade", index=True)
    project_id = fields.Many2one(related="grant_id.project_id", store=True, index=True)
    company_id = fields.Many2one(related="grant_id.company_id", store=True)
    currency_id = fields.Many2one(related="grant_id.currency_id")
    date_from = fields.Date(string="Period from", required=True)
    date_to = fields.Date(string="Period to", required=True)
    date = fields.Date(string="Claim date", default=fields.Date.context_today)
    amount_claimed = fields.Monetary(string="Amount claimed", currency_field="currency_id")
    amount_received = fields.Monetary(string="Amount received", currency_field="currency_id")
    date_received = fields.Date(string="Date received")
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("paid", "Paid")],
        default="draft",
        required=True,
        help="Once submitted, the in-kind hours of the period are locked.",
    )

    _sql_constraints = [
        (
            "amounts_positive",
            "CHECK(amount_claimed >= 0 AND amount_received >= 0)",
            "Claimed and received amounts can't be negative.",
        ),
        (
            "period_order",
            "CHECK(date_from <= date_to)",
            "A claim period must end after it starts.",
        ),
    ]

    @api.constrains("amount_claimed", "amount_received")
    def _check_amounts(self):
        for claim in self:
            for value in (claim.amount_claimed, claim.amount_received):
                if not math.isfinite(value or 0.0) or value < 0:
                    raise ValidationError(
                        self.env._(
                            "The amounts of claim %(claim)s must be finite and zero or" " more.",
                            claim=claim.name,
                        )
                    )

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

    def action_submit(self):
        self.check_access("write")
        if self.filtered(lambda c: c.state != "draft"):
            raise UserError(self.env._("Only draft claims can be submitted."))
        self.write({"state": "submitted"})
        return True

    def action_mark_paid(self):
        self.check_access("write")
        if self.filtered(lambda c: c.state != "submitted"):
            raise UserError(self.env._("Only submitted claims can be marked as paid."))
        self.write({"state": "paid", "date_received": fields.Date.context_today(self)})
        return True

    def action_reset_draft(self):
        self.check_access("write")
        self.write({"state": "draft"})
        return True
