# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Swedish statutory employer contributions (arbetsgivaravgifter), 2026
STATUTORY_PAYROLL_PCT = 31.42


class ClusterPayrollOverhead(models.Model):
    """A firm's employer contributions (%) for a year, added to a salary when its
    in-kind hours are valued with the salary formula."""

    _name = "cluster.payroll.overhead"
    _description = "Employer contributions of a firm and year"
    _order = "partner_id, year desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Firm",
        required=True,
        ondelete="cascade",
        index=True,
        domain=[("is_company", "=", True)],
    )
    year = fields.Integer(required=True)
    pct = fields.Float(
        string="Employer contributions (%)",
        digits=(5, 2),
        required=True,
        default=STATUTORY_PAYROLL_PCT,
        help="Statutory employer contributions, plus pension and other agreed costs the "
        "firm pays on salaries.",
    )

    _sql_constraints = [
        (
            "partner_year_uniq",
            "unique(partner_id, year)",
            "A firm has one employer contributions rate per year.",
        ),
    ]

    @api.constrains("pct", "year")
    def _check_pct(self):
        for row in self:
            if not math.isfinite(row.pct) or not 0 <= row.pct <= 100:
                raise ValidationError(
                    self.env._(
                        "The employer contributions of %(firm)s for %(year)s must be "
                        "between 0 and 100 %% (not %(pct)s).",
                        firm=row.partner_id.display_name,
                        year=row.year,
                        pct=row.pct,
                    )
                )
            if not 1900 <= row.year <= 2999:
                raise ValidationError(
                    self.env._(
                        "%(year)s is not a year (employer contributions of %(firm)s).",
                        firm=row.partner_id.display_name,
                        year=row.year,
                    )
                )
