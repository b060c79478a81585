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
