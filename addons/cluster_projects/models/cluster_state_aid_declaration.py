# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ClusterStateAidDeclaration(models.Model):
    """De minimis aid a firm received from other grantors, as the firm declares it.

    Counted with the association's own aid in the single undertaking's three-year
    total. Entered by the association or by the firm's signatory in the portal.
    """

    _name = "cluster.state.aid.declaration"
    _description = "Declared De Minimis Aid from Other Grantors"
    _inherit = ["mail.thread", "cluster.finite.mixin"]
    _order = "date_granted desc, id desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Firm",
        required=True,
        index=True,
        domain=[("is_company", "=", True)],
        tracking=True,
    )
    grantor = fields.Char(required=True, tracking=True, help="Who granted the aid.")
    date_granted = fields.Date(string="Granted on", required=True, tracking=True)
    amount_eur = fields.Float(string="Value (EUR)", digits=(16, 2), required=True, tracking=True)
    note = fields.Text()
    declared_by_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True, copy=False
    )

    _sql_constraints = [
        (
            "amount_positive",
            "CHECK(amount_eur > 0)",
            "The value of declared aid must be positive.",
        ),
    ]

    @api.constrains("amount_eur", "date_granted", "partner_id")
    def _check_declaration(self):
        today = fields.Date.context_today(self)
        for declaration in self:
            if not math.isfinite(declaration.amount_eur or 0.0):
                raise ValidationError(self.env._("The value must be a finite number."))
            if declaration.date_granted and declaration.date_granted > today:
                raise ValidationError(
                    self.env._(
                        "Aid from %(grantor)s is declared as granted on %(date)s, a date in "
                        "the future: declare aid once it has been granted.",
                        grantor=declaration.grantor,
                        date=declaration.date_granted,
                    )
                )
            if declaration.partner_id and not declaration.partner_id.is_company:
                raise ValidationError(self.env._("Aid is declared for a firm, not for a person."))
