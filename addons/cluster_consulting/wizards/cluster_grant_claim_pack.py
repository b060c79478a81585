# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class ClusterGrantClaimPack(models.TransientModel):
    _inherit = "cluster.grant.claim.pack"

    def _cluster_self_billed(self, moves):
        """The settlement's bills of bought-out hours, issued by the association in the
        lender's name, are marked self-billed in the claim pack."""
        return super()._cluster_self_billed(moves) | moves.filtered("cluster_self_billed")

    def _cluster_voucher_document(self, move):
        """A self-billed bill is a document the association wrote: without a file
        attached, its own PDF is the voucher."""
        if not move.cluster_self_billed or move.state != "posted":
            return super()._cluster_voucher_document(move)
        content, _kind = self.env["ir.actions.report"]._render_qweb_pdf(
            "account.account_invoices", move.ids
        )
        return f"{move._get_report_base_filename()}.pdf", content
