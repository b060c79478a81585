# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class ClusterSettlementCredit(models.TransientModel):
    """Credit chosen hours of a settlement: a credit note for exactly these hours on each
    posted document that settled them, and the hours are freed for a later run."""

    _name = "cluster.settlement.credit"
    _description = "Credit Settled Hours"

    settlement_id = fields.Many2one("cluster.settlement", required=True, ondelete="cascade")
    line_ids = fields.Many2many(
        "account.analytic.line",
        string="Hours to credit",
        domain="[('cluster_bill_line_id.move_id.cluster_settlement_id', '=', settlement_id)]",
    )
    share_ids = fields.Many2many(
        "cluster.settlement.share",
        string="Cost shares to credit",
        domain="[('settlement_id', '=', settlement_id), ('state', '=', 'invoiced')]",
    )
    reason = fields.Char(required=True)

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group("cluster_base.cluster_base_group_manager"):
            raise AccessError(self.env._("Only a cluster manager can credit settled hours."))
        self.env["account.move"].check_access("create")
        if not self.line_ids and not self.share_ids:
            raise UserError(self.env._("Choose the hours or cost shares to credit."))
        if self.share_ids:
            self.settlement_id._credit_shares(self.share_ids, self.reason)
        if not self.line_ids:
            return {"type": "ir.actions.act_window_close"}
        return self.settlement_id._credit_hours(self.line_ids, self.reason)
