# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ClusterVote(models.Model):
    """The vote of one member firm on one agenda item of a general meeting."""

    _name = "cluster.vote"
    _description = "Cluster Vote"
    _order = "item_id, id"

    item_id = fields.Many2one(
        "cluster.meeting.item", string="Agenda item", required=True, ondelete="cascade", index=True
    )
    meeting_id = fields.Many2one(related="item_id.meeting_id", store=True, index=True)
    membership_id = fields.Many2one(
        "cluster.membership", string="Member", required=True, ondelete="restrict", index=True
    )
    partner_id = fields.Many2one(related="membership_id.partner_id", store=True, string="Firm")
    choice = fields.Selection(
        [("yes", "Yes"), ("no", "No"), ("abstain", "Abstain")], required=True, default="yes"
    )

    _sql_constraints = [
        (
            "item_membership_uniq",
            "unique(item_id, membership_id)",
            "A member votes only once on an agenda item.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        # A clear message before PostgreSQL's unique constraint refuses the row.
        pairs = [(vals.get("item_id"), vals.get("membership_id")) for vals in vals_list]
        if len(set(pairs)) < len(pairs):
            raise ValidationError(self.env._("A member votes only once on an agenda item."))
        existing = self.search(
            [
                ("item_id", "in", [item for item, _member in pairs]),
                ("membership_id", "in", [member for _item, member in pairs]),
            ]
        )
        taken = {(vote.item_id.id, vote.membership_id.id) for vote in existing}
        for item_id, membership_id in pairs:
            if (item_id, membership_id) in taken:
                membership = self.env["cluster.membership"].browse(membership_id)
                raise ValidationError(
                    self.env._(
                        "%(firm)s has already voted on this agenda item.",
                        firm=membership.partner_id.display_name,
                    )
                )
        return super().create(vals_list)

    def write(self, vals):
        if any(vote.meeting_id.state == "closed" for vote in self):
            raise ValidationError(
                self.env._("The minutes of this meeting are approved; votes can no longer change.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_meeting_open(self):
        if any(vote.meeting_id.state == "closed" for vote in self):
            raise ValidationError(
                self.env._("The minutes of this meeting are approved; votes can no longer change.")
            )

    @api.constrains("membership_id", "item_id")
    def _check_voting_right(self):
        for vote in self:
            membership = vote.membership_id
            if vote.item_id.meeting_id.state == "closed":
                raise ValidationError(
                    self.env._(
                        "The minutes of this meeting are approved; votes can no longer change."
                    )
                )
            if vote.item_id.meeting_id.meeting_type == "board":
                raise ValidationError(
                    self.env._("Members vote at general meetings, not at board meetings.")
                )
            if membership.state != "active" or not membership.voting_right:
                raise ValidationError(
                    self.env._(
                        "%(firm)s has no voting right: only active members whose membership "
                        "type carries a vote may vote.",
                        firm=membership.partner_id.display_name,
                    )
                )
            voters = vote.item_id.meeting_id.voter_ids
            if voters and membership not in voters:
                raise ValidationError(
                    self.env._(
                        "%(firm)s is not in the voting register of this meeting.",
                        firm=membership.partner_id.display_name,
                    )
                )
            others = vote.item_id.vote_ids.filtered(
                lambda v, vote=vote: v.membership_id == vote.membership_id and v != vote
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "%(firm)s has already voted on %(item)s.",
                        firm=membership.partner_id.display_name,
                        item=vote.item_id.name,
                    )
                )
