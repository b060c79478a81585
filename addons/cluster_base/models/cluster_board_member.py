# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

SINGLE_ROLES = ("chair", "vice_chair", "treasurer", "secretary")


class ClusterBoardMember(models.Model):
    """A seat on the association's board for one term."""

    _name = "cluster.board.member"
    _description = "Cluster Board Member"
    _inherit = ["mail.thread"]
    _order = "date_end desc, role, id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Person",
        required=True,
        index=True,
        tracking=True,
        domain=[("is_company", "=", False)],
    )
    firm_id = fields.Many2one(
        "res.partner",
        compute="_compute_firm_id",
        store=True,
        readonly=False,
        domain=[("is_company", "=", True)],
    )
    role = fields.Selection(
        [
            ("chair", "Chair"),
            ("vice_chair", "Vice chair"),
            ("treasurer", "Treasurer"),
            ("secretary", "Secretary"),
            ("member", "Member"),
            ("deputy", "Deputy"),
        ],
        required=True,
        default="member",
        tracking=True,
    )
    date_start = fields.Date(string="Term start", required=True, tracking=True)
    date_end = fields.Date(string="Term end", tracking=True)
    election_decision_id = fields.Many2one("cluster.decision", string="Elected by")
    is_current = fields.Boolean(
        string="Current", compute="_compute_is_current", search="_search_is_current"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    @api.depends("partner_id")
    def _compute_firm_id(self):
        for member in self:
            if member.partner_id.parent_id:
                member.firm_id = member.partner_id.commercial_partner_id

    @api.depends("date_start", "date_end")
    @api.depends_context("date")
    def _compute_is_current(self):
        today = fields.Date.context_today(self)
        for member in self:
            member.is_current = member.date_start <= today and (
                not member.date_end or member.date_end >= today
            )

    def _search_is_current(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValueError(self.env._("Unsupported search on the current term."))
        today = fields.Date.context_today(self)
        domain = [
            ("date_start", "<=", today),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", today),
        ]
        if (operator == "=") != value:
            domain = ["!", *domain]
        return domain

    @api.constrains("date_start", "date_end")
    def _check_term(self):
        for member in self:
            if member.date_end and member.date_end < member.date_start:
                raise ValidationError(self.env._("A term cannot end before it starts."))

    @api.constrains("role", "date_start", "date_end", "company_id")
    def _check_single_officer(self):
        """One chair, vice chair, treasurer and secretary at a time."""
        officers = self.filtered(lambda m: m.role in SINGLE_ROLES)
        if not officers:
            return
        others = self.search(
            [
                ("role", "in", officers.mapped("role")),
                ("company_id", "in", officers.company_id.ids),
                ("id", "not in", officers.ids),
            ]
        )
        far_future = fields.Date.to_date("9999-12-31")
        for member in officers:
            for other in others | (officers - member):
                if (
                    other.role == member.role
                    and other.company_id == member.company_id
                    and other.date_start <= (member.date_end or far_future)
                    and member.date_start <= (other.date_end or far_future)
                ):
                    raise ValidationError(
                        self.env._(
                            "%(person)s and %(other)s cannot both be %(role)s at the same time.",
                            person=member.partner_id.display_name,
                            other=other.partner_id.display_name,
                            role=dict(self._fields["role"]._description_selection(self.env))[
                                member.role
                            ],
                        )
                    )
