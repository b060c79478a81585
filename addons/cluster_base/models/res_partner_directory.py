# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The firm's profile in the members' directory: the only fields another member reads.
DIRECTORY_TEXT_FIELDS = (
    "cluster_info_products",
    "cluster_sales_channels",
    "cluster_pricing_model",
    "cluster_markets",
)
DIRECTORY_TEXT_LIMIT = 2000


class ResPartner(models.Model):
    _inherit = "res.partner"

    cluster_directory_opt_in = fields.Boolean(
        string="Listed in the members' directory",
        help="The firm's signatory chose to share its profile (business areas, what it "
        "sells, how it spreads information and charges, contact person) with the other "
        "member firms. Nothing of the firm is shown before.",
    )
    cluster_directory_show_contact = fields.Boolean(
        string="Show the contact person in the directory", default=True
    )

    @api.constrains(*DIRECTORY_TEXT_FIELDS)
    def _check_cluster_directory_texts(self):
        for partner in self:
            for name in DIRECTORY_TEXT_FIELDS:
                if len(partner[name] or "") > DIRECTORY_TEXT_LIMIT:
                    raise ValidationError(
                        self.env._(
                            "%(field)s is longer than %(limit)s characters.",
                            field=self._fields[name].get_description(self.env)["string"],
                            limit=DIRECTORY_TEXT_LIMIT,
                        )
                    )

    @api.model
    def _cluster_directory_domain(self):
        """Firms listed in the directory: opted-in firms with an active membership."""
        return [
            ("is_company", "=", True),
            ("cluster_directory_opt_in", "=", True),
            ("cluster_membership_ids.state", "=", "active"),
        ]

    def _cluster_is_active_member(self):
        self.ensure_one()
        return "active" in self.sudo().cluster_membership_ids.mapped("state")
