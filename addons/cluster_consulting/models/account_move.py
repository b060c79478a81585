# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class AccountMove(models.Model):
    _inherit = "account.move"

    cluster_settlement_id = fields.Many2one(
        "cluster.settlement",
        string="Settlement",
        index="btree_not_null",
        copy=False,
        readonly=True,
        ondelete="restrict",
    )
    cluster_self_billed = fields.Boolean(
        string="Self-billing",
        readonly=True,
        copy=False,
        help="The association issued this invoice in the supplier's name and on its behalf "
        "(the settlement's bills of bought-out hours): the document and its PDF carry the "
        "marking “Självfakturering” the VAT act requires.",
    )

    def _cluster_free_hours(self):
        """Unlink the hours of these documents so the next settlement takes them again."""
        line_ids = self.line_ids.ids
        if not line_ids:
            return
        self.env["account.analytic.line"].flush_model()
        for column in ("cluster_bill_line_id", "cluster_invoice_line_id"):
            self.env.cr.execute(
                SQL(
                    "UPDATE account_analytic_line SET %s = NULL WHERE %s = ANY(%s)",
                    SQL.identifier(column),
                    SQL.identifier(column),
                    line_ids,
                )
            )
        self.env["account.analytic.line"].invalidate_model(
            ["cluster_bill_line_id", "cluster_invoice_line_id"]
        )

    def button_cancel(self):
        res = super().button_cancel()
        settled = self.filtered("cluster_settlement_id")
        settled._cluster_free_hours()
        self.env["cluster.settlement.share"].sudo().search(
            [("move_id", "in", settled.ids), ("state", "=", "invoiced")]
        )._cluster_release("cancelled")
        return res

    def _cluster_check_reversal(self):
        """Odoo's own credit note (reversal) would leave the settled hours and cost shares
        linked to the credited document, so they could never be settled again: a
        settlement's invoices, bills and credit notes are credited with the settlement's
        wizard, which frees exactly what it credits."""
        settled = self.filtered(lambda m: m.cluster_settlement_id and m.is_invoice())
        if settled:
            raise UserError(
                self.env._(
                    "%(documents)s belong to settlement %(settlement)s: credit them with "
                    "the settlement's “Credit settled hours” action, which frees exactly "
                    "the credited hours and cost shares for a later run.",
                    documents=", ".join(settled.mapped("display_name")),
                    settlement=", ".join(settled.cluster_settlement_id.mapped("name")),
                )
            )

    def action_reverse(self):
        self._cluster_check_reversal()
        return super().action_reverse()

    def _reverse_moves(self, default_values_list=None, cancel=False):
        self._cluster_check_reversal()
        return super()._reverse_moves(default_values_list=default_values_list, cancel=cancel)

    def button_draft(self):
        if self.filtered(lambda m: m.cluster_settlement_id and m.state == "cancel"):
            raise UserError(
                self.env._(
                    "A cancelled settlement document has released its hours; "
                    "rerun the settlement instead of resetting it."
                )
            )
        return super().button_draft()
