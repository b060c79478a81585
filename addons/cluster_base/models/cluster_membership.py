# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

OPEN_STATES = ("draft", "applied", "admitted", "active")
MEMBER_STATES = ("admitted", "active")
ENDED_STATES = ("resigned", "excluded", "rejected")

# state reached -> group needed to put a membership in it
STATE_GROUPS = {
    "draft": "cluster_base.cluster_base_group_user",
    "applied": "cluster_base.cluster_base_group_user",
    "admitted": "cluster_base.cluster_base_group_manager",
    "rejected": "cluster_base.cluster_base_group_manager",
    "active": "cluster_base.cluster_base_group_manager",
    "resigned": "cluster_base.cluster_base_group_manager",
    "excluded": "cluster_base.cluster_base_group_manager",
}
ALLOWED_TRANSITIONS = {
    "draft": {"applied", "rejected"},
    "applied": {"draft", "admitted", "rejected"},
    "admitted": {"active", "resigned", "excluded"},
    "active": {"resigned", "excluded"},
    "resigned": set(),
    "excluded": set(),
    "rejected": {"draft"},
}
# fields only a manager may change once the membership is applied for
MANAGER_FIELDS = {
    "contribution_amount",
    "admission_decision_id",
    "exclusion_decision_id",
    "date_admission",
    "date_exit",
    "date_exit_request",
    "exit_reason",
    "membership_type_id",
    "partner_id",
    "company_id",
}


class ClusterMembership(models.Model):
    """One admission of a firm to the association, from application to exit.

    A firm may have several memberships over time (it can re-apply after resigning), but
    never more than one open at a time.
    """

    _name = "cluster.membership"
    _description = "Cluster Membership"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "cluster.decision.mixin",
        "cluster.finite.mixin",
        "cluster.responsible.mixin",
    ]
    _order = "date_admission desc, date_application desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "partner_id.name", "partner_id.company_registry"]

    name = fields.Char(
        string="Reference", readonly=True, copy=False, default="/", index=True, tracking=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Firm",
        required=True,
        index=True,
        tracking=True,
        domain=[("is_company", "=", True)],
        ondelete="restrict",
    )
    company_registry = fields.Char(related="partner_id.company_registry", string="Org. number")
    municipality = fields.Char(
        related="partner_id.cluster_municipality", store=True, string="Municipality"
    )
    membership_type_id = fields.Many2one(
        "cluster.membership.type",
        string="Membership type",
        required=True,
        tracking=True,
        check_company=True,
    )
    type_category = fields.Selection(
        related="membership_type_id.category", store=True, string="Category"
    )
    voting_right = fields.Boolean(related="membership_type_id.voting_right", store=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("applied", "Applied"),
            ("admitted", "Admitted"),
            ("active", "Active"),
            ("resigned", "Resigned"),
            ("excluded", "Excluded"),
            ("rejected", "Rejected"),
        ],
        default="draft",
        required=True,
        tracking=True,
        index=True,
        copy=False,
        group_expand=True,
    )
    date_application = fields.Date(string="Application date", tracking=True, copy=False)
    date_admission = fields.Date(string="Admission date", tracking=True, copy=False)
    date_exit_request = fields.Date(string="Exit requested on", tracking=True, copy=False)
    date_exit = fields.Date(string="Exit date", tracking=True, copy=False)
    exit_reason = fields.Text(tracking=True, copy=False)
    admission_decision_id = fields.Many2one(
        "cluster.decision",
        string="Admission decision",
        tracking=True,
        copy=False,
        check_company=True,
        domain=[("state", "=", "adopted")],
    )
    exclusion_decision_id = fields.Many2one(
        "cluster.decision",
        string="Exclusion decision",
        tracking=True,
        copy=False,
        check_company=True,
        domain=[("state", "=", "adopted")],
    )
    intent_required = fields.Boolean(related="membership_type_id.intent_required")
    intent_date = fields.Date(
        related="partner_id.cluster_intent_date", string="Statement of intent signed"
    )
    contribution_amount = fields.Monetary(
        string="Contribution due",
        compute="_compute_contribution_amount",
        store=True,
        readonly=False,
        tracking=True,
        help="Capital contribution (insats) the firm owes for this membership.",
    )
    contribution_invoiced = fields.Monetary(compute="_compute_contribution", store=True)
    contribution_paid = fields.Monetary(compute="_compute_contribution", store=True)
    contribution_repaid = fields.Monetary(compute="_compute_contribution", store=True)
    contribution_to_invoice = fields.Monetary(compute="_compute_contribution", store=True)
    contribution_state = fields.Selection(
        [
            ("none", "Nothing due"),
            ("to_invoice", "To invoice"),
            ("invoiced", "Invoiced"),
            ("partial", "Partially paid"),
            ("paid", "Paid"),
            ("repaid", "Repaid"),
        ],
        compute="_compute_contribution",
        store=True,
    )
    contribution_repayable_date = fields.Date(
        string="Repayable from",
        compute="_compute_contribution_repayable_date",
        help="The contribution is repaid six months after the end of the financial year "
        "in which the membership ended, once the annual accounts are adopted.",
    )
    move_ids = fields.One2many(
        "account.move",
        "cluster_membership_id",
        string="Invoices",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    invoice_count = fields.Integer(
        compute="_compute_invoice_count",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    fee_line_ids = fields.One2many(
        "membership.membership_line", "cluster_membership_id", string="Annual fees"
    )
    fee_product_id = fields.Many2one(related="membership_type_id.fee_product_id")
    vote_ids = fields.One2many("cluster.vote", "membership_id", string="Votes")
    lead_id = fields.Many2one("crm.lead", string="Opportunity", copy=False, index="btree_not_null")
    is_open = fields.Boolean(compute="_compute_is_open", store=True)

    _sql_constraints = [
        ("name_uniq", "unique(name, company_id)", "A membership reference is unique."),
    ]

    def init(self):
        # Defence in depth for the Python constraint: two concurrent transactions can both
        # pass it, PostgreSQL cannot.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS cluster_membership_one_member_per_firm "
                "ON cluster_membership (partner_id, company_id) "
                "WHERE state IN ('admitted', 'active')"
            )
        )

    # ------------------------------------------------------------------ computes
    def _compute_invoice_count(self):
        counts = dict(
            self.env["account.move"]._read_group(
                [("cluster_membership_id", "in", self.ids)], ["cluster_membership_id"], ["__count"]
            )
        )
        for membership in self:
            membership.invoice_count = counts.get(membership, 0)

    @api.depends("name", "partner_id.name")
    def _compute_display_name(self):
        for membership in self:
            if membership.partner_id and membership.name and membership.name != "/":
                membership.display_name = f"{membership.partner_id.name} ({membership.name})"
            else:
                membership.display_name = membership.partner_id.name or membership.name

    @api.depends("state")
    def _compute_is_open(self):
        for membership in self:
            membership.is_open = membership.state in OPEN_STATES

    # ------------------------------------------------------------------ constraints
    @api.constrains("partner_id")
    def _check_partner_is_firm(self):
        for membership in self:
            if not membership.partner_id.is_company:
                raise ValidationError(
                    self.env._(
                        "Only a firm (a company contact) can be a member, not %(name)s.",
                        name=membership.partner_id.display_name,
                    )
                )

    @api.constrains("partner_id", "state", "company_id")
    def _check_single_open_membership(self):
        open_memberships = self.filtered("is_open")
        if not open_memberships:
            return
        groups = self.sudo()._read_group(
            [
                ("partner_id", "in", open_memberships.partner_id.ids),
                ("state", "in", OPEN_STATES),
            ],
            ["partner_id", "company_id"],
            ["__count"],
        )
        for partner, _company, count in groups:
            if count > 1:
                raise ValidationError(
                    self.env._(
                        "%(firm)s already has an open membership. A firm can have only one "
                        "membership at a time; end the current one before a new application.",
                        firm=partner.display_name,
                    )
                )

    @api.constrains("date_application", "date_admission", "date_exit_request", "date_exit")
    def _check_dates(self):
        for membership in self:
            if (
                membership.date_admission
                and membership.date_application
                and membership.date_admission < membership.date_application
            ):
                raise ValidationError(
                    self.env._("The admission date cannot be before the application date.")
                )
            if membership.date_exit and (
                not membership.date_admission or membership.date_exit < membership.date_admission
            ):
                raise ValidationError(
                    self.env._(
                        "The exit date of %(firm)s cannot be before its admission date.",
                        firm=membership.partner_id.display_name,
                    )
                )

    @api.constrains("contribution_amount")
    def _check_contribution_amount(self):
        for membership in self:
            if membership.contribution_amount < 0:
                raise ValidationError(self.env._("The capital contribution cannot be negative."))

    @api.constrains("state", "admission_decision_id", "exclusion_decision_id")
    def _check_decisions(self):
        for membership in self:
            if membership.state in ("admitted", "active") or (
                membership.state in ("resigned", "excluded") and membership.date_admission
            ):
                if not membership._cluster_decision_is_adopted(membership.admission_decision_id):
                    raise ValidationError(
                        self.env._(
                            "%(firm)s cannot be admitted without an adopted board decision.",
                            firm=membership.partner_id.display_name,
                        )
                    )
            if membership.state == "excluded" and not membership._cluster_decision_is_adopted(
                membership.exclusion_decision_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(firm)s cannot be excluded without an adopted decision.",
                        firm=membership.partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        is_manager = self.env.su or self.env.user.has_group(
            "cluster_base.cluster_base_group_manager"
        )
        for vals in vals_list:
            state = vals.get("state", "draft")
            self._check_state_group(state)
            if not is_manager:
                self._check_manager_vals(vals)
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("cluster.membership") or "/"
        memberships = super().create(vals_list)
        memberships._sync_decisions()
        self.env["mailing.list"]._cluster_sync_later()
        return memberships

    def write(self, vals):
        if not self.env.su:
            # access rights and record rules first: a user who may not write a firm's
            # membership must get the answer of a missing right, never a message about
            # the record's terms that tells it exists
            self.check_access("write")
            self._check_write_rights(vals)
        if "state" in vals:
            for membership in self:
                if (
                    vals["state"] != membership.state
                    and vals["state"] not in ALLOWED_TRANSITIONS[membership.state]
                ):
                    raise UserError(
                        self.env._(
                            "A membership cannot go from %(old)s to %(new)s.",
                            old=dict(self._fields["state"]._description_selection(self.env))[
                                membership.state
                            ],
                            new=dict(self._fields["state"]._description_selection(self.env))[
                                vals["state"]
                            ],
                        )
                    )
        res = super().write(vals)
        if {"admission_decision_id", "exclusion_decision_id"} & set(vals):
            self._sync_decisions()
        if "state" in vals:
            self.env["mailing.list"]._cluster_sync_later()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(m.state not in ("draft", "rejected") for m in self):
            raise UserError(
                self.env._(
                    "Only draft or rejected applications can be deleted; the member register "
                    "keeps the history of every membership."
                )
            )

    def _check_state_group(self, state):
        group = STATE_GROUPS.get(state)
        if group and not self.env.su and not self.env.user.has_group(group):
            raise AccessError(self.env._("You are not allowed to put a membership in this state."))

    def _check_write_rights(self, vals):
        if "state" in vals:
            self._check_state_group(vals["state"])
        if self.env.user.has_group("cluster_base.cluster_base_group_manager"):
            return
        protected = MANAGER_FIELDS & set(vals)
        if protected and any(m.state not in ("draft", "applied") for m in self):
            raise AccessError(
                self.env._(
                    "Only a cluster manager can change the terms of an admitted membership."
                )
            )
        for membership in self:
            membership._check_manager_vals(vals)

    def _check_manager_vals(self, vals):
        """Refuse a non-manager's decision or contribution other than the type's own.

        The form sends the contribution computed from the type along with the type, so
        that value is accepted; any other amount is the manager's to set.
        """
        if vals.get("admission_decision_id") or vals.get("exclusion_decision_id"):
            raise AccessError(
                self.env._(
                    "Only a cluster manager can set the contribution or the board decisions."
                )
            )
        if "contribution_amount" in vals:
            mtype = self.env["cluster.membership.type"].browse(
                vals.get("membership_type_id") or self.membership_type_id.id
            )
            currency = mtype.currency_id or self.env.company.currency_id
            if currency.compare_amounts(
                vals["contribution_amount"] or 0.0, mtype.contribution_amount
            ):
                raise AccessError(
                    self.env._(
                        "Only a cluster manager can set the contribution or the board decisions."
                    )
                )

    def _cluster_decision_is_about(self, decision):
        """One board decision may admit several firms: a decision about no record yet
        (pointed at the membership when it is set) or about a membership counts."""
        return decision.res_model in (False, self._name)

    def _sync_decisions(self):
        """Point the admission/exclusion decisions at this membership."""
        for membership in self:
            decisions = membership.admission_decision_id | membership.exclusion_decision_id
            decisions = decisions.filtered(lambda d: not d.res_model)
            if decisions:
                decisions.sudo().write({"res_model": self._name, "res_id": membership.id})

    # ------------------------------------------------------------------ actions
    def action_apply(self):
        for membership in self:
            if membership.state != "draft":
                raise UserError(self.env._("Only a draft membership can be applied for."))
            if membership.intent_required and not membership.partner_id.cluster_intent_date:
                raise UserError(
                    self.env._(
                        "Membership type %(type)s requires a signed statement of intent from "
                        "%(firm)s.",
                        type=membership.membership_type_id.name,
                        firm=membership.partner_id.display_name,
                    )
                )
        for membership in self:
            membership.write(
                {
                    "state": "applied",
                    "date_application": membership.date_application
                    or fields.Date.context_today(self),
                }
            )
            membership.activity_schedule(
                "cluster_base.mail_activity_type_board_decision",
                user_id=(membership.user_id or self.env.user).id,
            )
        return True

    def action_reset_draft(self):
        for membership in self:
            if membership.state not in ("applied", "rejected"):
                raise UserError(self.env._("Only an application can be reset to draft."))
        self.write({"state": "draft"})
        return True

    def action_admit(self):
        self._check_state_group("admitted")
        for membership in self:
            if membership.state != "applied":
                raise UserError(self.env._("Only an application can be admitted."))
            if not membership._cluster_decision_is_adopted(membership.admission_decision_id):
                raise UserError(
                    self.env._(
                        "%(firm)s cannot be admitted without an adopted board decision.",
                        firm=membership.partner_id.display_name,
                    )
                )
        for membership in self:
            membership.write(
                {
                    "state": "admitted",
                    "date_admission": membership.date_admission
                    or membership.admission_decision_id.date,
                }
            )
        to_invoice = self.filtered(lambda m: not m.currency_id.is_zero(m.contribution_to_invoice))
        if to_invoice and self.env.user.has_group("account.group_account_invoice"):
            to_invoice._create_contribution_invoices()
        self.filtered(lambda m: m.contribution_state == "none")._activate()
        self.activity_feedback(["cluster_base.mail_activity_type_board_decision"])
        return True

    def action_reject(self):
        self._check_state_group("rejected")
        for membership in self:
            if membership.state not in ("draft", "applied"):
                raise UserError(self.env._("Only an application can be rejected."))
        self.write({"state": "rejected"})
        self.activity_unlink(["cluster_base.mail_activity_type_board_decision"])
        return True

    def action_activate(self):
        for membership in self:
            if membership.state != "admitted":
                raise UserError(self.env._("Only an admitted membership can be activated."))
            if membership.contribution_state not in ("none", "paid"):
                raise UserError(
                    self.env._(
                        "The capital contribution of %(firm)s is not paid yet.",
                        firm=membership.partner_id.display_name,
                    )
                )
        self._check_state_group("active")
        self._activate()
        return True

    def _activate(self):
        self.filtered(lambda m: m.state == "admitted").write({"state": "active"})

    def action_resign(self):
        """Record the end of a membership the firm resigned from."""
        self._end("resigned")
        return True

    def action_exclude(self):
        for membership in self:
            if not membership._cluster_decision_is_adopted(membership.exclusion_decision_id):
                raise UserError(
                    self.env._(
                        "%(firm)s cannot be excluded without an adopted decision.",
                        firm=membership.partner_id.display_name,
                    )
                )
        self._end("excluded")
        return True

    def _end(self, state):
        self._check_state_group(state)
        today = fields.Date.context_today(self)
        for membership in self:
            if membership.state not in ("admitted", "active"):
                raise UserError(self.env._("Only a current membership can be ended."))
            date_exit = membership.date_exit or today
            membership.write(
                {
                    "state": state,
                    "date_exit": date_exit,
                    "date_exit_request": membership.date_exit_request or date_exit,
                }
            )
            # open annual fee lines of the membership end with it
            membership.fee_line_ids.filtered(lambda line: not line.date_cancel).sudo().write(
                {"date_cancel": date_exit}
            )
