# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class ClusterSettlement(models.Model):
    """A settlement's run and statement sending as background jobs (OCA queue_job, the
    money channel: one money run at a time, in the order asked)."""

    _inherit = "cluster.settlement"

    cluster_job_progress_total = fields.Float(string="Hours to settle")
    cluster_job_progress_done = fields.Float(string="Hours settled")
    cluster_job_live_done = fields.Float(string="Hours settled so far")

    def _check_can_run(self):
        if not self.env.user.has_group("cluster_base.cluster_base_group_manager"):
            raise AccessError(self.env._("Only a cluster manager can run a settlement."))

    def action_run_job(self):
        """The button: the run as a job on the money channel (one money run at a time,
        in the order asked); answers at once, the form shows the job's state."""
        self._check_can_run()
        self.env["account.move"].check_access("create")
        busy = self.filtered(lambda s: s._cluster_job_busy())
        for settlement in self - busy:
            settlement._cluster_job_start_run()
        if busy:
            return self._cluster_job_queued_action(
                self.env._(
                    "%(names)s is already queued or running; you are notified when it ends.",
                    names=", ".join(busy.mapped("name")),
                )
            )
        return self._cluster_job_queued_action(
            self.env._("The settlement runs in the background; you are notified when it ends.")
        )

    def _cluster_job_start_run(self):
        """Enqueue the run unless one is already waiting or running for this settlement:
        a settlement asked twice before its job ran is settled by one job."""
        self.ensure_one()
        if self._cluster_job_busy():
            return False
        return self._cluster_job_enqueue(
            "_cluster_job_run",
            channel="root.cluster.money",
            description=self.env._("Settlement %(name)s", name=self.name),
            identity_key=f"cluster.settlement.run:{self.id}",
            total=self.unbilled_hours,
        )

    def _cluster_job_run(self):
        """The job: the same run as ``action_run``. A retried or repeated job settles
        nothing twice (the run only takes hours on no document line, under row locks,
        and a failed try is rolled back whole)."""
        settlement = self.exists()
        if not settlement:
            return self.env._("The settlement was deleted before its job started.")
        settlement.ensure_one()
        before = settlement.move_ids
        hours_before = settlement.unbilled_hours
        settlement._cluster_job_report_progress(0.0)
        settlement.action_run()
        self.env.flush_all()
        settlement.invalidate_recordset(["move_ids", "unbilled_hours", "billed_hours"])
        made = settlement.move_ids - before
        settlement.write(
            {
                "cluster_job_progress_total": hours_before,
                "cluster_job_progress_done": hours_before - settlement.unbilled_hours,
                "cluster_job_document_count": len(made),
            }
        )
        message = self.env._(
            "Settlement %(name)s: %(count)s documents made, %(done)s of %(todo)s hours "
            "settled.",
            name=settlement.name,
            count=len(made),
            done=settlement.cluster_job_progress_done,
            todo=hours_before,
        )
        settlement._cluster_job_notify(message)
        return message

    def _create_run_moves(self, move_vals, plan, to_bill):
        """In a job, the documents are made a group at a time (about a tenth of them)
        and each group is reported at once: the hours on the bills made so far of the
        hours to settle, and the documents made. The hours are linked after the last
        group, in one statement, as outside a job."""
        if not self.env.context.get("job_uuid"):
            return super()._create_run_moves(move_vals, plan, to_bill)
        moves = self.env["account.move"]
        hours = 0.0
        step = self._cluster_job_progress_step(len(move_vals))
        for start in range(0, len(move_vals), step):
            group = move_vals[start : start + step]
            moves |= super()._create_run_moves(group, plan[start : start + step], to_bill)
            hours += sum(
                to_bill[agreement]
                for vals, agreements in zip(group, plan[start : start + step], strict=True)
                if vals["move_type"] == "in_invoice"
                for agreement in agreements
            )
            self._cluster_job_report_progress(hours, documents=len(moves))
        return moves

    def action_send_statements_job(self):
        """The button: the statements are rendered and queued by a job (money channel,
        after any run of this settlement asked before)."""
        if not self.env.user.has_group("cluster_base.cluster_base_group_manager"):
            raise AccessError(self.env._("Only a cluster manager can send statements."))
        busy = self.filtered(lambda s: s._cluster_job_busy())
        if busy:
            raise UserError(
                self.env._(
                    "A run of %(names)s is queued or running: send the statements when it "
                    "has ended.",
                    names=", ".join(busy.mapped("name")),
                )
            )
        # refused at once (not only in the job) when they went out already
        self._check_statements_not_sent()
        # the balances are an SQL view over the documents: read them from the database
        self.env.flush_all()
        self.invalidate_recordset(["balance_ids"])
        for settlement in self:
            settlement._cluster_job_enqueue(
                "_cluster_job_send_statements",
                # queue_job keeps only a few context keys: the resend is an argument
                resend=bool(self.env.context.get("cluster_statement_resend")),
                channel="root.cluster.money",
                description=self.env._("Statements of %(name)s", name=settlement.name),
                identity_key=f"cluster.settlement.statements:{settlement.id}",
                total=len(settlement.balance_ids),
            )
        return self._cluster_job_queued_action(
            self.env._(
                "The statements are made in the background; you are notified when "
                "they are queued for sending."
            )
        )

    def _cluster_job_send_statements(self, resend=False):
        settlement = self.exists().with_context(cluster_statement_resend=resend)
        if not settlement:
            return self.env._("The settlement was deleted before its job started.")
        self.env.flush_all()
        settlement.invalidate_recordset(["balance_ids"])
        Mail = self.env["mail.mail"].sudo()
        domain = [("model", "=", self._name), ("res_id", "=", settlement.id)]
        before = Mail.search_count(domain)
        settlement.action_send_statements()
        count = Mail.search_count(domain) - before
        settlement.write({"cluster_job_progress_done": count, "cluster_job_document_count": count})
        message = self.env._(
            "Settlement %(name)s: %(count)s statements queued for sending.",
            name=settlement.name,
            count=count,
        )
        settlement._cluster_job_notify(message)
        return message
