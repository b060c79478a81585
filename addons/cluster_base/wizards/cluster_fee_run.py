# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class ClusterFeeRun(models.TransientModel):
    """Invoice the annual fee of a year to every active member that has none yet."""

    _name = "cluster.fee.run"
    _description = "Cluster Annual Fee Run"

    year = fields.Integer(required=True, default=lambda self: fields.Date.context_today(self).year)
    invoice_date = fields.Date(required=True, default=fields.Date.context_today)
    membership_type_ids = fields.Many2many(
        "cluster.membership.type",
        string="Membership types",
        help="Leave empty to invoice every type with an annual fee.",
    )
    post = fields.Boolean(
        string="Post invoices",
        default=lambda self: self.env["cluster.membership"]._post_invoices(),
    )
    candidate_count = fields.Integer(
        string="Members to invoice", compute="_compute_candidate_count"
    )

    @api.depends("year", "membership_type_ids")
    def _compute_candidate_count(self):
        Membership = self.env["cluster.membership"]
        for run in self:
            if not run.year:
                run.candidate_count = 0
                continue
            candidates = Membership.search(
                Membership._get_fee_run_domain(run.year, run.membership_type_ids)
            )
            invoiced = (
                self.env["membership.membership_line"]
                .sudo()
                .search_count(
                    [
                        ("cluster_membership_id", "in", candidates.ids),
                        ("cluster_fee_year", "=", run.year),
                        ("date_cancel", "=", False),
                    ]
                )
            )
            run.candidate_count = len(candidates) - invoiced

    @api.constrains("year")
    def _check_year(self):
        for run in self:
            if not 2000 <= run.year <= 2999:
                raise ValidationError(self.env._("Enter a year such as 2026."))

    def action_run(self):
        self.ensure_one()
        if not self.env.user.has_group("cluster_base.cluster_base_group_manager"):
            raise UserError(self.env._("Only a cluster manager can run the annual fees."))
        moves = self.env["cluster.membership"]._run_annual_fees(
            self.year,
            membership_types=self.membership_type_ids,
            invoice_date=self.invoice_date,
            post=self.post,
        )
        if not moves:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "title": self.env._("Annual fee run"),
                    "message": self.env._(
                        "Every active member is already invoiced for %(year)s.", year=self.year
                    ),
                    "type": "info",
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return self.env["cluster.membership"]._action_view_moves(moves)
