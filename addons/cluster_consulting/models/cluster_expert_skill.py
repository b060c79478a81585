# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ClusterExpertSkill(models.Model):
    """One skill of an expert with a level from 1 (basic) to 5 (expert)."""

    _name = "cluster.expert.skill"
    _description = "Expert Skill Level"
    _order = "level desc, id"

    expert_id = fields.Many2one("cluster.expert", required=True, ondelete="cascade", index=True)
    skill_id = fields.Many2one("cluster.skill", required=True, ondelete="restrict", index=True)
    level = fields.Integer(required=True, default=3, help="From 1 (basic) to 5 (expert).")

    _sql_constraints = [
        (
            "expert_skill_uniq",
            "unique(expert_id, skill_id)",
            "An expert has each skill once.",
        ),
        (
            "level_range",
            "CHECK(level BETWEEN 1 AND 5)",
            "A skill level is between 1 and 5.",
        ),
    ]
