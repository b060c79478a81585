# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ClusterSkill(models.Model):
    """A skill an expert can offer (leadership, coaching, telemarketing, ...)."""

    _name = "cluster.skill"
    _description = "Expert Skill"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_uniq", "unique(name)", "A skill with this name already exists."),
    ]
