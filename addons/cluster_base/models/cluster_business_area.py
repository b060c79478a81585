# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ClusterBusinessArea(models.Model):
    """A business area a member firm works in (construction information, healthcare...)."""

    _name = "cluster.business.area"
    _description = "Cluster Business Area"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_uniq", "unique(name)", "A business area with this name already exists."),
    ]
