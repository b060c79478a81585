# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ClusterResponsibleMixin(models.AbstractModel):
    """A record the association's company keeps, in its currency, with a responsible
    staff member (memberships, agreements)."""

    _name = "cluster.responsible.mixin"
    _description = "Company, currency and responsible of a cluster record"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        domain=[("share", "=", False)],
    )
