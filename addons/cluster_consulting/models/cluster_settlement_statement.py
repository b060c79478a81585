# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class ClusterSettlement(models.Model):
    """The net statements of a settlement: one per firm (``balance_ids``), mailed to
    its signatories through the ``mail_template_cluster_statement`` template with the
    statement report attached."""

    _inherit = "cluster.settlement"

    statement_sent_date = fields.Datetime(
        string="Statements sent",
        readonly=True,
        copy=False,
        help="When the statements of this settlement were last queued for sending. They "
        "are sent once; a cluster manager may send them again on purpose (Send again).",
    )

    def _check_statements_not_sent(self):
        """Statements go out once: a second sending is refused unless asked for on
        purpose (the form's *Send again* button sets ``cluster_statement_resend``)."""
        if self.env.context.get("cluster_statement_resend"):
            return
        sent = self.filtered("statement_sent_date")
        if sent:
            raise UserError(
                self.env._(
                    "The statements of %(names)s were already sent (%(date)s). Use Send "
                    "again to send them once more.",
                    names=", ".join(sent.mapped("name")),
                    date=fields.Datetime.to_string(max(sent.mapped("statement_sent_date"))),
                )
            )

    def action_send_statements(self):
        """Queue the net statement (PDF) of each firm to its signatories.

        The mails are queued records of this transaction: they go out after the commit
        (by the mail queue), and a retried transaction queues them once.
        """
        if not self.env.user.has_group("cluster_base.cluster_base_group_manager"):
            raise AccessError(self.env._("Only a cluster manager can send statements."))
        self._check_statements_not_sent()
        self.env.flush_all()
        template = self.env.ref("cluster_consulting.mail_template_cluster_statement")
        mails = self.env["mail.mail"]
        for balance in self.balance_ids:
            signatories = balance.partner_id.child_ids.filtered(
                lambda p: p.cluster_is_signatory and p.email
            )
            if not signatories:
                continue
            # the template renders the subject, the body and the statement PDF in the
            # firm's language; the mail waits in Odoo's mail queue for the commit
            mail_id = template.sudo().send_mail(
                balance.id,
                email_values={
                    "recipient_ids": [fields.Command.set(signatories.ids)],
                    "model": self._name,
                    "res_id": balance.settlement_id.id,
                },
            )
            mails |= self.env["mail.mail"].sudo().browse(mail_id)
        for settlement in self:
            settlement.message_post(
                body=self.env._("%(count)s statements queued.", count=len(mails))
            )
        self.statement_sent_date = fields.Datetime.now()
        return True

    def _get_statement_domain(self):
        """Documents the settlement's period created for a firm (information on its net
        statement): this settlement's invoices, bills and credit notes, and the
        membership fee invoices (cluster_base) of the period."""
        self.ensure_one()
        return [
            "|",
            ("cluster_settlement_id", "=", self.id),
            "&",
            "&",
            ("cluster_settlement_id", "=", False),
            ("cluster_move_kind", "!=", False),
            "&",
            "&",
            ("company_id", "=", self.company_id.id),
            ("invoice_date", ">=", self.date_from),
            ("invoice_date", "<=", self.date_to),
        ]
