# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ClusterMembershipType(models.Model):
    """The terms of a membership: capital contribution, annual fee, voting right."""

    _name = "cluster.membership.type"
    _description = "Cluster Membership Type"
    _inherit = ["cluster.finite.mixin"]
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    category = fields.Selection(
        [
            ("core", "Core firm"),
            ("member", "Member firm"),
            ("associate", "Associate member"),
            ("partner", "Partner organisation"),
        ],
        required=True,
        default="member",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    contribution_amount = fields.Monetary(
        string="Capital contribution",
        currency_field="currency_id",
        help="The capital contribution (insats) a firm of this type pays on admission.",
    )
    contribution_product_id = fields.Many2one(
        "product.product",
        string="Contribution product",
        domain=[("membership", "=", False)],
        default=lambda self: self.env.ref(
            "cluster_base.product_cluster_contribution", raise_if_not_found=False
        ),
        help="Product used on the capital contribution invoice.",
    )
    fee_product_id = fields.Many2one(
        "product.product",
        string="Annual fee product",
        domain=[("membership", "=", True)],
        help="Membership product of Odoo's membership app invoiced every year. "
        "Leave empty for types without an annual fee.",
    )
    fee_amount = fields.Float(
        related="fee_product_id.lst_price", string="Annual fee", readonly=True
    )
    fee_prorated = fields.Boolean(
        string="Pro-rate the first year's fee",
        help="A firm admitted during the year pays the annual fee of that year for the "
        "months from its month of admission (e.g. admitted in October: 3/12); later years "
        "are invoiced in full.",
    )
    voting_right = fields.Boolean(
        default=True, help="Members of this type vote at the annual meeting."
    )
    intent_required = fields.Boolean(
        string="Statement of intent required",
        help="An application of this type needs a signed statement of intent.",
    )
    description = fields.Text()
    membership_count = fields.Integer(compute="_compute_membership_count")

    def _compute_membership_count(self):
        counts = dict(
            self.env["cluster.membership"]._read_group(
                [("membership_type_id", "in", self.ids), ("state", "in", ("admitted", "active"))],
                ["membership_type_id"],
                ["__count"],
            )
        )
        for mtype in self:
            mtype.membership_count = counts.get(mtype, 0)

    @api.constrains("contribution_amount")
    def _check_contribution_amount(self):
        for mtype in self:
            if mtype.contribution_amount < 0:
                raise ValidationError(
                    self.env._("The capital contribution of a membership type cannot be negative.")
                )
