# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    # One column says what an hour is used for, so an hour can never be both in-kind
    # co-financing and bought-out (invoiced) time: the guarantee is the column itself.
    # cluster_consulting adds the invoice link and a CHECK that only bought-out hours
    # are ever linked to an invoice line.
    cluster_hour_use = fields.Selection(
        [("in_kind", "In-kind co-financing"), ("bought_out", "Bought-out time")],
        string="Hour use",
        index="btree_not_null",
        copy=False,
    )
