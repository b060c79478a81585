# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from datetime import date

from dateutil.relativedelta import relativedelta
from psycopg2 import errors as pg_errors

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
    _inherit = ["mail.thread", "mail.activity.mixin"]
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
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        domain=[("share", "=", False)],
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
    @api.depends("membership_type_id")
    def _compute_contribution_amount(self):
        for membership in self:
            if membership.state in ("draft", "applied") or not membership.contribution_amount:
                membership.contribution_amount = membership.membership_type_id.contribution_amount

    @api.depends(
        "contribution_amount",
        "move_ids.state",
        "move_ids.move_type",
        "move_ids.cluster_move_kind",
        "move_ids.amount_total",
        "move_ids.amount_residual",
        "move_ids.payment_state",
    )
    def _compute_contribution(self):
        # sudo: the totals of the membership's own contribution moves; a cluster user who
        # cannot read invoices must still see whether the contribution is paid.
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("cluster_membership_id", "in", self.ids),
                    ("cluster_move_kind", "=", "contribution"),
                    ("state", "in", ("draft", "posted")),
                    # an invoice cancelled by a credit note was never owed
                    ("payment_state", "!=", "reversed"),
                ],
                ["cluster_membership_id", "move_type", "state"],
                ["amount_total:sum", "amount_residual:sum"],
            )
        )
        totals = {}
        for membership, move_type, state, total, residual in groups:
            totals[(membership.id, move_type, state)] = (total, residual)
        for membership in self:
            currency = membership.currency_id or self.env.company.currency_id
            inv_total, inv_residual = totals.get(
                (membership.id, "out_invoice", "posted"), (0.0, 0.0)
            )
            draft_total = totals.get((membership.id, "out_invoice", "draft"), (0.0, 0.0))[0]
            ref_total, ref_residual = totals.get(
                (membership.id, "out_refund", "posted"), (0.0, 0.0)
            )
            membership.contribution_invoiced = inv_total
            membership.contribution_paid = inv_total - inv_residual
            membership.contribution_repaid = ref_total - ref_residual
            # a draft invoice is on its way: do not invoice the same amount twice
            membership.contribution_to_invoice = max(
                membership.contribution_amount - inv_total - draft_total, 0.0
            )
            due = membership.contribution_amount
            if currency.is_zero(due):
                state = "none"
            elif membership.contribution_repaid and not currency.is_zero(
                membership.contribution_repaid
            ):
                state = "repaid"
            elif currency.compare_amounts(membership.contribution_paid, due) >= 0:
                state = "paid"
            elif not currency.is_zero(membership.contribution_paid):
                state = "partial"
            elif not currency.is_zero(inv_total):
                state = "invoiced"
            else:
                state = "to_invoice"
            membership.contribution_state = state

    @api.depends("date_exit", "company_id")
    def _compute_contribution_repayable_date(self):
        for membership in self:
            if not membership.date_exit:
                membership.contribution_repayable_date = False
                continue
            fy_end = membership.company_id.compute_fiscalyear_dates(membership.date_exit)[
                "date_to"
            ]
            membership.contribution_repayable_date = fy_end + relativedelta(months=6)

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
                if membership.admission_decision_id.state != "adopted":
                    raise ValidationError(
                        self.env._(
                            "%(firm)s cannot be admitted without an adopted board decision.",
                            firm=membership.partner_id.display_name,
                        )
                    )
            if (
                membership.state == "excluded"
                and membership.exclusion_decision_id.state != "adopted"
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
            if membership.admission_decision_id.state != "adopted":
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
            if membership.exclusion_decision_id.state != "adopted":
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

    def action_invoice_contribution(self):
        self._check_state_group("active")
        for membership in self:
            if membership.state not in ("admitted", "active"):
                raise UserError(
                    self.env._("The contribution is invoiced once the firm is admitted.")
                )
            if membership.currency_id.is_zero(membership.contribution_to_invoice):
                raise UserError(
                    self.env._(
                        "The capital contribution of %(firm)s is already invoiced.",
                        firm=membership.partner_id.display_name,
                    )
                )
        moves = self._create_contribution_invoices()
        return self._action_view_moves(moves)

    def action_repay_contribution(self):
        """Credit the paid contribution back once the statutes allow it."""
        self._check_state_group("active")
        today = fields.Date.context_today(self)
        for membership in self:
            if membership.state not in ("resigned", "excluded"):
                raise UserError(
                    self.env._("A contribution is repaid only after the membership has ended.")
                )
            if not membership.contribution_repayable_date or (
                today < membership.contribution_repayable_date
            ):
                raise UserError(
                    self.env._(
                        "The contribution of %(firm)s can be repaid from %(date)s, after the "
                        "annual accounts of the year of exit.",
                        firm=membership.partner_id.display_name,
                        date=membership.contribution_repayable_date or "-",
                    )
                )
            if membership.currency_id.is_zero(
                membership.contribution_paid - membership.contribution_repaid
            ):
                raise UserError(self.env._("There is no paid contribution left to repay."))
        moves = self.env["account.move"].create(
            [
                m._prepare_contribution_move_vals(
                    "out_refund", m.contribution_paid - m.contribution_repaid
                )
                for m in self
            ]
        )
        return self._action_view_moves(moves)

    def action_view_invoices(self):
        self.ensure_one()
        return self._action_view_moves(self.move_ids)

    def _action_view_moves(self, moves):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", moves.ids)]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        if len(moves) == 1:
            action["views"] = [(self.env.ref("account.view_move_form").id, "form")]
            action["res_id"] = moves.id
        return action

    # ------------------------------------------------------------------ invoicing
    def _get_contribution_product(self):
        self.ensure_one()
        product = self.membership_type_id.contribution_product_id or self.env.ref(
            "cluster_base.product_cluster_contribution", raise_if_not_found=False
        )
        if not product:
            raise UserError(self.env._("Configure a capital contribution product first."))
        return product

    def _prepare_contribution_move_vals(self, move_type, amount):
        self.ensure_one()
        product = self._get_contribution_product()
        account = self.company_id._cluster_contribution_account()
        return {
            "move_type": move_type,
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "invoice_date": fields.Date.context_today(self),
            "cluster_membership_id": self.id,
            "cluster_move_kind": "contribution",
            "invoice_origin": self.name,
            "invoice_line_ids": [
                fields.Command.create(
                    {
                        "product_id": product.id,
                        "name": self.env._(
                            "Capital contribution, %(type)s (%(ref)s)",
                            type=self.membership_type_id.name,
                            ref=self.name,
                        ),
                        "quantity": 1,
                        "price_unit": amount,
                        # a capital contribution is equity, not a sale: no VAT, and it
                        # is credited to the members' capital (BAS 2083), not revenue
                        "tax_ids": [fields.Command.clear()],
                        **({"account_id": account.id} if account else {}),
                    }
                )
            ],
        }

    def _create_contribution_invoices(self, post=None):
        moves = self.env["account.move"].create(
            [
                m._prepare_contribution_move_vals("out_invoice", m.contribution_to_invoice)
                for m in self
            ]
        )
        if self._post_invoices() if post is None else post:
            moves.action_post()
            if self._send_invoices():
                moves._cluster_send_mail("contribution")
        for membership, move in zip(self, moves, strict=True):
            membership.message_post(
                body=self.env._(
                    "Capital contribution invoiced: %(move)s", move=move.name or move.display_name
                )
            )
        return moves

    @api.model
    def _send_invoices(self):
        """Posted fee and contribution invoices and reminders go to the firm by e-mail."""
        return self.env["ir.config_parameter"].sudo().get_param("cluster_base.send_invoices") in (
            "1",
            "True",
        )

    @api.model
    def _post_invoices(self):
        return self.env["ir.config_parameter"].sudo().get_param("cluster_base.post_invoices") in (
            "1",
            "True",
        )

    @api.model
    def _fee_period(self, year):
        return date(year, 1, 1), date(year, 12, 31)

    @api.model
    def _get_fee_run_domain(self, year, membership_types=None):
        domain = [
            ("state", "=", "active"),
            ("membership_type_id.fee_product_id", "!=", False),
            ("company_id", "=", self.env.company.id),
            "|",
            ("date_admission", "=", False),
            ("date_admission", "<=", date(year, 12, 31)),
        ]
        if membership_types:
            domain.append(("membership_type_id", "in", membership_types.ids))
        return domain

    @api.model
    def _run_annual_fees(self, year, membership_types=None, invoice_date=None, post=None):
        """Invoice the annual fee of ``year`` to every active member that has none yet.

        Idempotent: a membership with a (not cancelled) fee line for the year is skipped,
        and a partial unique index on the fee lines refuses a second one even from a
        concurrent run.
        """
        candidates = self.search(self._get_fee_run_domain(year, membership_types))
        if not candidates:
            return self.env["account.move"]
        try:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM cluster_membership WHERE id IN %s FOR NO KEY UPDATE NOWAIT",
                    tuple(candidates.ids),
                )
            )
        except pg_errors.LockNotAvailable as exc:
            raise UserError(
                self.env._("Another fee run is in progress. Try again in a moment.")
            ) from exc
        self._release_reversed_fee_lines(candidates, year)
        invoiced = {
            membership.id
            for [membership] in self.env["membership.membership_line"]
            .sudo()
            ._read_group(
                [
                    ("cluster_membership_id", "in", candidates.ids),
                    ("cluster_fee_year", "=", year),
                    ("date_cancel", "=", False),
                ],
                ["cluster_membership_id"],
            )
        }
        todo = candidates.filtered(lambda m: m.id not in invoiced)
        if not todo:
            return self.env["account.move"]
        invoice_date = invoice_date or fields.Date.context_today(self)
        moves = self.env["account.move"].create(
            [m._prepare_fee_move_vals(year, invoice_date) for m in todo]
        )
        date_from, date_to = self._fee_period(year)
        MembershipLine = self.env["membership.membership_line"].sudo()
        lines = MembershipLine.search([("account_invoice_line", "in", moves.invoice_line_ids.ids)])
        by_move = {line.account_invoice_line.move_id: line for line in lines}
        missing = []
        for move in moves:
            vals = {
                "cluster_membership_id": move.cluster_membership_id.id,
                "cluster_fee_year": year,
                "date_from": date_from,
                "date_to": date_to,
            }
            if move in by_move:
                by_move[move].write(vals)
            else:
                # the fee product is not (or no longer) a membership product: Odoo's
                # membership app made no line, make it here so that the year is taken
                invoice_line = move.invoice_line_ids[:1]
                missing.append(
                    {
                        **vals,
                        "partner": move.partner_id.id,
                        "membership_id": invoice_line.product_id.id,
                        "member_price": invoice_line.price_unit,
                        "date": invoice_date,
                        "account_invoice_line": invoice_line.id,
                    }
                )
        if missing:
            MembershipLine.create(missing)
        if self._post_invoices() if post is None else post:
            moves.action_post()
            if self._send_invoices():
                moves._cluster_send_mail("fee")
        _logger.info("Annual fee run %s: %s invoices", year, len(moves))
        return moves

    @api.model
    def _release_reversed_fee_lines(self, memberships, year):
        """A fee invoice wholly reversed by a credit note frees its year for a new one."""
        lines = (
            self.env["membership.membership_line"]
            .sudo()
            .search(
                [
                    ("cluster_membership_id", "in", memberships.ids),
                    ("cluster_fee_year", "=", year),
                    ("date_cancel", "=", False),
                    ("account_invoice_id.payment_state", "=", "reversed"),
                ]
            )
        )
        lines.write({"date_cancel": fields.Date.context_today(self)})
        return lines

    def _fee_months(self, year):
        """Months of ``year`` the fee covers: 12, or from the month of admission when the
        type pro-rates the first year."""
        self.ensure_one()
        admission = self.date_admission
        if self.membership_type_id.fee_prorated and admission and admission.year == year:
            return 12 - admission.month + 1
        return 12

    def _prepare_fee_move_vals(self, year, invoice_date):
        self.ensure_one()
        product = self.membership_type_id.fee_product_id
        # a fee pays for the association's services: Swedish VAT on services
        taxes = self.company_id._cluster_services_taxes(
            product.taxes_id.filtered_domain(
                self.env["account.tax"]._check_company_domain(self.company_id)
            )
        )
        months = self._fee_months(year)
        if months == 12:
            label = self.env._(
                "Annual fee %(year)s, %(type)s", year=year, type=self.membership_type_id.name
            )
        else:
            label = self.env._(
                "Annual fee %(year)s, %(type)s, %(months)s of 12 months from admission",
                year=year,
                type=self.membership_type_id.name,
                months=months,
            )
        return {
            "move_type": "out_invoice",
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "invoice_date": invoice_date,
            "cluster_membership_id": self.id,
            "cluster_move_kind": "fee",
            "invoice_origin": self.name,
            "invoice_line_ids": [
                fields.Command.create(
                    {
                        "product_id": product.id,
                        "name": label,
                        "quantity": 1,
                        "price_unit": self.currency_id.round(product.lst_price * months / 12),
                        "tax_ids": [fields.Command.set(taxes.ids)],
                    }
                )
            ],
        }

    @api.model
    def _cron_annual_fee_run(self):
        """Scheduled action: the year's fee run of each company, enqueued as the same job
        as the wizard's button (a run already queued for the year is not asked again)."""
        year = fields.Date.context_today(self).year
        requests = self.env["cluster.job.request"]
        for company in self.env["res.company"].search([("active", "=", True)]):
            wizard = (
                self.env["cluster.fee.run"]
                .with_company(company)
                .with_context(allowed_company_ids=company.ids)
                .create({"year": year})
            )
            requests |= wizard._cluster_job_start_run()
        return requests

    @api.model
    def _get_reminder_days(self):
        value = (
            self.env["ir.config_parameter"].sudo().get_param("cluster_base.reminder_days", "30")
        )
        try:
            return max(int(value), 0)
        except ValueError:
            return 30

    @api.model
    def _cron_fee_reminders(self):
        """Schedule a reminder activity for every unpaid cluster invoice past the delay."""
        limit_date = fields.Date.context_today(self) - relativedelta(
            days=self._get_reminder_days()
        )
        moves = self.env["account.move"].search(
            [
                ("cluster_membership_id", "!=", False),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("invoice_date_due", "<=", limit_date),
                ("cluster_reminder_date", "=", False),
            ]
        )
        activity_type = self.env.ref("cluster_base.mail_activity_type_fee_reminder")
        today = fields.Date.context_today(self)
        activity_vals = []
        model_id = self.env["ir.model"]._get_id("cluster.membership")
        for move in moves:
            membership = move.cluster_membership_id
            activity_vals.append(
                {
                    "res_model_id": model_id,
                    "res_id": membership.id,
                    "activity_type_id": activity_type.id,
                    "summary": self.env._("Unpaid invoice %(move)s", move=move.name),
                    "note": self.env._(
                        "Invoice %(move)s of %(amount)s %(currency)s due %(date)s is not paid.",
                        move=move.name,
                        amount=move.amount_residual,
                        currency=move.currency_id.name,
                        date=move.invoice_date_due,
                    ),
                    "user_id": (membership.user_id or self.env.user).id,
                    "date_deadline": today,
                }
            )
        self.env["mail.activity"].create(activity_vals)
        moves.write({"cluster_reminder_date": today})
        if self._send_invoices():
            moves._cluster_send_mail("reminder")
        return moves

    def _demo_register_payments(self, kind):
        """Demo data only: pay the posted invoices of ``kind`` of these memberships in full."""
        moves = self.move_ids.filtered(
            lambda m: m.cluster_move_kind == kind
            and m.state == "posted"
            and m.payment_state in ("not_paid", "partial")
        )
        if not moves:
            return False
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=moves.ids
        ).create({"group_payment": False})._create_payments()
        return True
