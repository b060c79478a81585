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

    def _check_can_run(self):
        if not self.env.user.has_group("cluster_base.cluster_base_group_manager"):
            raise UserError(self.env._("Only a cluster manager can run the annual fees."))

    def _cluster_run_fees(self, progress=None):
        return self.env["cluster.membership"]._run_annual_fees(
            self.year,
            membership_types=self.membership_type_ids,
            invoice_date=self.invoice_date,
            post=self.post,
            progress=progress,
        )

    def action_run(self):
        """Invoice the fees now, in this request (the job calls the same code)."""
        self.ensure_one()
        self._check_can_run()
        moves = self._cluster_run_fees()
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

    def action_run_job(self):
        """The button: the fee run as a job on the money channel; answers at once with
        the run's record, where its state, its invoices and any error show."""
        return self._cluster_job_start_run().action_open_request()

    def _cluster_job_start_run(self):
        self.ensure_one()
        self._check_can_run()
        request = self.env["cluster.job.request"]._cluster_job_start(
            self,
            kind="fee_run",
            name=self.env._("Annual fee run %(year)s", year=self.year),
            channel="root.cluster.money",
            identity_key=f"cluster.fee.run:{self.env.company.id}:{self.year}",
        )
        if not request.cluster_job_progress_total:
            request.cluster_job_progress_total = self.candidate_count
        return request

    # Job ---------------------------------------------------------------------------

    def _cluster_job_values(self):
        self.ensure_one()
        return {
            "year": self.year,
            "invoice_date": self.invoice_date,
            "membership_type_ids": [fields.Command.set(self.membership_type_ids.ids)],
            "post": self.post,
        }

    def _cluster_job_perform(self, request):
        """The job's work: the same fee run, reporting the memberships done of those to
        invoice and the invoices made as it goes; a rerun invoices nobody twice."""
        self._check_can_run()
        request._cluster_job_report_progress(0.0)
        moves = self._cluster_run_fees(progress=request._cluster_job_report_progress)
        request.write(
            {
                "move_ids": [fields.Command.link(move.id) for move in moves],
                "cluster_job_progress_done": len(moves),
                "cluster_job_document_count": len(moves),
            }
        )
        if not moves:
            return self.env._(
                "Every active member is already invoiced for %(year)s.", year=self.year
            )
        return self.env._("%(count)s fee invoices for %(year)s.", count=len(moves), year=self.year)
