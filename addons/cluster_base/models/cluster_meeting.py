# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError


class ClusterMeeting(models.Model):
    """A board meeting or a general (annual) meeting of the association."""

    _name = "cluster.meeting"
    _description = "Cluster Meeting"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(required=True, tracking=True)
    meeting_type = fields.Selection(
        [
            ("board", "Board meeting"),
            ("annual", "Annual meeting"),
            ("extra", "Extra general meeting"),
        ],
        string="Type",
        required=True,
        default="board",
        tracking=True,
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    location = fields.Char()
    state = fields.Selection(
        [("planned", "Planned"), ("held", "Held"), ("closed", "Minutes approved")],
        default="planned",
        required=True,
        tracking=True,
    )
    chair_id = fields.Many2one("res.partner", string="Chair of the meeting")
    secretary_id = fields.Many2one("res.partner", string="Minutes taken by")
    attendee_ids = fields.Many2many(
        "res.partner",
        "cluster_meeting_attendee_rel",
        "meeting_id",
        "partner_id",
        string="Attendees",
    )
    item_ids = fields.One2many("cluster.meeting.item", "meeting_id", string="Agenda")
    decision_ids = fields.One2many("cluster.decision", "meeting_id", string="Decisions")
    voter_ids = fields.Many2many(
        "cluster.membership",
        "cluster_meeting_voter_rel",
        "meeting_id",
        "membership_id",
        string="Voting register",
        help="Members entitled to vote, taken from the member register.",
    )
    voter_count = fields.Integer(compute="_compute_counts")
    decision_count = fields.Integer(compute="_compute_counts")
    minutes = fields.Html()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    @api.depends("voter_ids", "decision_ids")
    def _compute_counts(self):
        for meeting in self:
            meeting.voter_count = len(meeting.voter_ids)
            meeting.decision_count = len(meeting.decision_ids)

    @api.model
    def _get_voter_domain(self):
        return [
            ("state", "=", "active"),
            ("voting_right", "=", True),
            ("company_id", "in", self.company_id.ids or self.env.company.ids),
        ]

    def action_build_voting_register(self):
        """Take the voting register from the member register: one vote per active member."""
        for meeting in self:
            if meeting.meeting_type == "board":
                raise UserError(self.env._("Only a general meeting has a voting register."))
            if meeting.state == "closed":
                raise UserError(self.env._("The minutes of this meeting are already approved."))
            voters = self.env["cluster.membership"].search(meeting._get_voter_domain())
            meeting.voter_ids = [fields.Command.set(voters.ids)]
        return True

    def action_held(self):
        self.filtered(lambda m: m.state == "planned").write({"state": "held"})
        return True

    def action_close(self):
        if any(meeting.state != "held" for meeting in self):
            raise UserError(self.env._("Only a held meeting can have its minutes approved."))
        self.write({"state": "closed"})
        return True

    def action_view_decisions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cluster_base.cluster_decision_action"
        )
        action["domain"] = [("meeting_id", "=", self.id)]
        action["context"] = {"default_meeting_id": self.id, "default_date": self.date.date()}
        return action
