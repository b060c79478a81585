# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError


class ClusterExpertMatch(models.TransientModel):
    """Matchmaking: experts with a skill at a minimum level and free hours in a period."""

    _name = "cluster.expert.match"
    _description = "Find an Expert"

    skill_id = fields.Many2one("cluster.skill")
    min_level = fields.Integer(string="Minimum level", default=1)
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    min_free_hours = fields.Float(string="Free hours needed")
    line_ids = fields.One2many("cluster.expert.match.line", "match_id", string="Experts")

    @api.onchange("skill_id", "min_level", "date_from", "date_to", "min_free_hours")
    def _onchange_search(self):
        if self.date_from and self.date_to and self.date_from <= self.date_to:
            self.line_ids = [fields.Command.clear()] + [
                fields.Command.create(vals) for vals in self._prepare_line_vals()
            ]

    def _prepare_line_vals(self):
        if not 1 <= self.min_level <= 5:
            raise UserError(self.env._("A skill level is between 1 and 5."))
        experts, free = self.env["cluster.expert"]._search_matching(
            skill=self.skill_id,
            min_level=self.min_level,
            date_from=self.date_from,
            date_to=self.date_to,
            min_free=self.min_free_hours,
        )
        return [
            {"expert_id": expert.id, "free_hours": free[expert]}
            for expert in experts.sorted(lambda e: -free[e])
        ]

    def action_search(self):
        self.ensure_one()
        if self.date_from > self.date_to:
            raise UserError(self.env._("The period must end after it starts."))
        self.line_ids = [fields.Command.clear()] + [
            fields.Command.create(vals) for vals in self._prepare_line_vals()
        ]
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }


class ClusterExpertMatchLine(models.TransientModel):
    _name = "cluster.expert.match.line"
    _description = "Matching Expert"
    _order = "free_hours desc"

    match_id = fields.Many2one("cluster.expert.match", required=True, ondelete="cascade")
    expert_id = fields.Many2one("cluster.expert", required=True, ondelete="cascade")
    employer_id = fields.Many2one(related="expert_id.employer_id")
    hourly_rate = fields.Monetary(related="expert_id.hourly_rate")
    currency_id = fields.Many2one(related="expert_id.currency_id")
    free_hours = fields.Float()
