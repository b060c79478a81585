# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ClusterAgreementRaiseCap(models.TransientModel):
    _name = "cluster.agreement.raise.cap"
    _description = "Raise an Agreement's Hour Cap"

    agreement_id = fields.Many2one("cluster.agreement", required=True, ondelete="cascade")
    current_cap = fields.Float(related="agreement_id.hour_cap", string="Current cap")
    new_cap = fields.Float(string="New cap", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.agreement_id._raise_cap(self.new_cap, self.reason)
        return {"type": "ir.actions.act_window_close"}
