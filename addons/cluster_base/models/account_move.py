# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    cluster_membership_id = fields.Many2one(
        "cluster.membership",
        string="Cluster membership",
        index="btree_not_null",
        copy=False,
        readonly=True,
        ondelete="restrict",
    )
    cluster_move_kind = fields.Selection(
        [("contribution", "Capital contribution"), ("fee", "Annual fee")],
        string="Cluster invoice kind",
        copy=False,
        readonly=True,
    )
    cluster_reminder_date = fields.Date(
        string="Cluster reminder sent on", copy=False, readonly=True
    )

    def _invoice_paid_hook(self):
        res = super()._invoice_paid_hook()
        contribution_moves = self.filtered(
            lambda m: m.cluster_move_kind == "contribution" and m.move_type == "out_invoice"
        )
        if contribution_moves:
            # sudo: activation is the statutory consequence of the payment the accountant
            # just registered; the accountant needs no cluster rights for it.
            memberships = contribution_moves.cluster_membership_id.sudo()
            memberships.filtered(
                lambda m: m.state == "admitted" and m.contribution_state in ("paid", "none")
            )._activate()
        return res

    # ------------------------------------------------------------------ mails
    _cluster_templates = {
        "fee": "cluster_base.mail_template_cluster_fee_invoice",
        "contribution": "cluster_base.mail_template_cluster_contribution_invoice",
        "reminder": "cluster_base.mail_template_cluster_fee_reminder",
    }

    def _cluster_billing_contact(self):
        """Who gets the firm's invoices: its invoice address, else the firm."""
        self.ensure_one()
        firm = self.partner_id.commercial_partner_id
        contact = self.env["res.partner"].browse(firm.address_get(["invoice"])["invoice"])
        return contact if contact.email else firm

    def _cluster_send_mail(self, kind):
        """Queue the cluster mail of ``kind`` (fee, contribution, reminder) with the invoice
        PDF to each posted invoice's billing contact. The mail goes out with Odoo's mail
        queue after commit, so a retried transaction does not send it twice. Invoices
        whose firm has no e-mail address are skipped (the reminder activity stays)."""
        template = self.env.ref(self._cluster_templates[kind], raise_if_not_found=False)
        if not template:
            return self.browse()
        sent = self.browse()
        for move in self.filtered(lambda m: m.state == "posted"):
            contact = move._cluster_billing_contact()
            if not contact.email:
                continue
            # rendered in the firm's language (the template's lang), like Odoo's Send & Print
            lang = template._render_lang(move.ids)[move.id] or contact.lang
            move.with_context(lang=lang, mail_notify_force_send=False).message_post_with_source(
                template.with_context(lang=lang),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=contact.ids,
            )
            sent |= move
        if kind != "reminder":
            sent.write({"is_move_sent": True})
        return sent
