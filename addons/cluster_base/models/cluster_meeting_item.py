# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class ClusterMeetingItem(models.Model):
    """An item on a meeting's agenda, with its votes and result."""

    _name = "cluster.meeting.item"
    _description = "Cluster Meeting Agenda Item"
    _order = "meeting_id, sequence, id"

    meeting_id = fields.Many2one("cluster.meeting", required=True, ondelete="cascade", index=True)
    meeting_type = fields.Selection(related="meeting_id.meeting_type")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Item", required=True)
    description = fields.Html()
    decision_id = fields.Many2one("cluster.decision")
    vote_ids = fields.One2many("cluster.vote", "item_id", string="Votes")
    votes_yes = fields.Integer(string="Yes", compute="_compute_result", store=True)
    votes_no = fields.Integer(string="No", compute="_compute_result", store=True)
    votes_abstain = fields.Integer(string="Abstentions", compute="_compute_result", store=True)
    result = fields.Selection(
        [
            ("none", "No vote"),
            ("adopted", "Adopted"),
            ("rejected", "Rejected"),
            ("tie", "Tie"),
        ],
        compute="_compute_result",
        store=True,
        help="Simple majority of the votes cast; abstentions are not counted.",
    )

    @api.depends("vote_ids.choice")
    def _compute_result(self):
        for item in self:
            choices = item.vote_ids.mapped("choice")
            item.votes_yes = choices.count("yes")
            item.votes_no = choices.count("no")
            item.votes_abstain = choices.count("abstain")
            if not item.votes_yes and not item.votes_no:
                item.result = "none"
            elif item.votes_yes > item.votes_no:
                item.result = "adopted"
            elif item.votes_no > item.votes_yes:
                item.result = "rejected"
            else:
                item.result = "tie"
