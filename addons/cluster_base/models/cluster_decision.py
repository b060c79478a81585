# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError


class ClusterDecision(models.Model):
    """A decision of the board or of the annual meeting.

    Decisions are numbered per year (``2026:07``) and may point at the record they decide
    (a membership admission, a project grant, an agreement above the threshold).
    """

    _name = "cluster.decision"
    _description = "Cluster Decision"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(
        string="Number", readonly=True, copy=False, default="/", index=True, tracking=True
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    title = fields.Char(required=True, tracking=True)
    body = fields.Html(string="Decision text")
    state = fields.Selection(
        [("draft", "Draft"), ("adopted", "Adopted"), ("rejected", "Rejected")],
        default="draft",
        required=True,
        tracking=True,
    )
    res_model = fields.Char(string="Decided model", index=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Decided record", model_field="res_model", index=True, readonly=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    meeting_id = fields.Many2one("cluster.meeting", index="btree_not_null", ondelete="restrict")
    item_id = fields.Many2one(
        "cluster.meeting.item",
        string="Agenda item",
        index="btree_not_null",
        ondelete="set null",
        domain="[('meeting_id', '=', meeting_id)]",
    )
    res_name = fields.Char(string="Decided record name", compute="_compute_res_name")

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "A decision number is unique."),
    ]

    @api.depends("res_model", "res_id")
    def _compute_res_name(self):
        for decision in self:
            name = False
            if decision.res_model and decision.res_id and decision.res_model in self.env:
                record = self.env[decision.res_model].browse(decision.res_id).exists()
                name = record.display_name if record and record.has_access("read") else False
            decision.res_name = name

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                date = fields.Date.to_date(vals.get("date")) or fields.Date.context_today(self)
                number = self.env["ir.sequence"].next_by_code(
                    "cluster.decision", sequence_date=date
                )
                vals["name"] = number or "/"
        return super().create(vals_list)

    def action_adopt(self):
        self._check_decision_state("draft")
        self.write({"state": "adopted"})
        return True

    def action_reject(self):
        self._check_decision_state("draft")
        self.write({"state": "rejected"})
        return True

    def action_reset_draft(self):
        self._check_not_in_use()
        self.write({"state": "draft"})
        return True

    def action_open_record(self):
        self.ensure_one()
        if not (self.res_model and self.res_id):
            return True
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "views": [(False, "form")],
        }

    def _check_not_in_use(self):
        """Refuse to undo a decision a record already stands on (hook for other addons)."""
        used = (
            self.env["cluster.membership"]
            .sudo()
            .search_count(
                [
                    "|",
                    ("admission_decision_id", "in", self.ids),
                    ("exclusion_decision_id", "in", self.ids),
                    ("state", "in", ("admitted", "active", "resigned", "excluded")),
                ]
            )
        )
        if used:
            raise UserError(
                self.env._(
                    "This decision admitted or excluded a member; it cannot be reset to draft."
                )
            )

    def _check_decision_state(self, state):
        if any(decision.state != state for decision in self):
            raise UserError(self.env._("Only a draft decision can be adopted or rejected."))
