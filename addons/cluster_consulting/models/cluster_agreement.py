# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import math

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.cluster_base.models.res_users import ROLE_SIGNATORY

STATES = [
    ("draft", "Draft"),
    ("requested", "Requested"),
    ("lender_approved", "Approved by lender"),
    ("active", "Active"),
    ("closed", "Closed"),
    ("declined", "Declined"),
    ("cancelled", "Cancelled"),
]
# Who sees an agreement's money (rates, fees, values): association users and the firms'
# signatories, never an expert or a plain contact (SECURITY.md: money fields carry groups=).
MONEY_GROUPS = "base.group_user,cluster_base.cluster_base_group_signatory"
# Links a portal user must not follow: the association's own records and the other
# firm's people (SECURITY.md: a many2one returns its target's name even when the target
# itself is forbidden).
INTERNAL = "base.group_user"
# States whose agreements hold the expert's released hours (checked against overlaps).
HOLDING_STATES = ("draft", "requested", "lender_approved", "active", "closed")


class ClusterAgreement(models.Model):
    """A time-purchase agreement: the association buys hours of an expert from the
    employing firm (the lender), up to a cap, at a rate, for a project and a buyer."""

    _name = "cluster.agreement"
    _description = "Expert Time Agreement"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "cluster.decision.mixin",
        "cluster.finite.mixin",
        "cluster.responsible.mixin",
    ]
    _order = "date_from desc, id desc"

    name = fields.Char(
        string="Number",
        readonly=True,
        copy=False,
        default="/",
        index=True,
        tracking=True,
    )
    expert_id = fields.Many2one(
        "cluster.expert", required=True, index=True, ondelete="restrict", tracking=True
    )
    lender_id = fields.Many2one(
        "res.partner",
        string="Lending firm",
        compute="_compute_lender_id",
        store=True,
        index=True,
        precompute=True,
        help="The firm employing the expert; it bills the association for the hours.",
    )
    signatory_id = fields.Many2one(
        "res.partner",
        string="Lender's signatory",
        compute="_compute_signatory_id",
        store=True,
        readonly=False,
        domain="[('parent_id', '=', lender_id)]",
        help="Contact of the lending firm who approves the request.",
        groups=INTERNAL,
    )
    buyer_kind = fields.Selection(
        [
            ("association", "Association (joint project)"),
            ("member", "Member firm"),
            ("external", "Outside customer"),
        ],
        required=True,
        default="association",
        tracking=True,
    )
    buyer_id = fields.Many2one(
        "res.partner",
        compute="_compute_buyer_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
    )
    project_id = fields.Many2one(
        "project.project", required=True, index=True, ondelete="restrict", tracking=True
    )
    task_ids = fields.Many2many(
        "project.task",
        string="Tasks",
        domain="[('project_id', '=', project_id)]",
        help="Leave empty to allow hours on every task of the project.",
    )
    date_from = fields.Date(string="From", required=True, tracking=True)
    date_to = fields.Date(string="To", required=True, tracking=True)
    hour_cap = fields.Float(string="Hour cap", required=True, tracking=True)
    hourly_rate = fields.Monetary(
        groups=MONEY_GROUPS,
        compute="_compute_hourly_rate",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Defaults to the expert's rate; can be agreed otherwise.",
    )
    fee_percent = fields.Float(
        string="Association fee (%)",
        groups=MONEY_GROUPS,
        tracking=True,
        help="Fee the association adds on deals between members or with outside customers.",
    )
    amount_cap = fields.Monetary(
        string="Agreement value",
        compute="_compute_amount_cap",
        store=True,
        groups=MONEY_GROUPS,
    )
    state = fields.Selection(
        STATES,
        default="draft",
        required=True,
        tracking=True,
        index=True,
        copy=False,
        group_expand="_expand_states",
    )
    lender_approved_by = fields.Many2one(
        "res.users", string="Lender approval by", readonly=True, copy=False, groups=INTERNAL
    )
    lender_approved_on = fields.Datetime(string="Lender approval on", readonly=True, copy=False)
    decision_id = fields.Many2one(
        "cluster.decision",
        string="Board decision",
        readonly=True,
        copy=False,
        tracking=True,
        groups=INTERNAL,
    )
    decision_required = fields.Boolean(compute="_compute_decision_required", groups=INTERNAL)
    timesheet_ids = fields.One2many("account.analytic.line", "agreement_id", string="Hours")
    cap_alert_level = fields.Integer(
        default=0,
        readonly=True,
        copy=False,
        help="Last cap alert sent: 0, 80 or 100 (percent of the hour cap).",
    )
    hours_draft = fields.Float(compute="_compute_hours", string="Draft hours")
    hours_submitted = fields.Float(compute="_compute_hours", string="Submitted hours")
    hours_approved = fields.Float(compute="_compute_hours", string="Approved hours")
    hours_consumed = fields.Float(
        compute="_compute_hours",
        string="Consumed hours",
        help="All hours logged on the agreement except rejected ones.",
    )
    hours_invoiced = fields.Float(compute="_compute_hours", string="Invoiced hours")
    hours_remaining = fields.Float(compute="_compute_hours", string="Remaining hours")
    amount_consumed = fields.Monetary(
        compute="_compute_hours", string="Consumed amount", groups=MONEY_GROUPS
    )
    amount_approved = fields.Monetary(
        compute="_compute_hours", string="Approved amount", groups=MONEY_GROUPS
    )
    amount_invoiced = fields.Monetary(
        compute="_compute_hours", string="Invoiced amount", groups=MONEY_GROUPS
    )
    amount_remaining = fields.Monetary(
        compute="_compute_hours", string="Remaining amount", groups=MONEY_GROUPS
    )
    cap_percent = fields.Float(compute="_compute_hours", string="Cap used (%)")
    note = fields.Html()

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "An agreement number is unique.",
        ),
    ]

    @api.depends("expert_id.employer_id")
    def _compute_lender_id(self):
        for agreement in self:
            # Once asked for, the lender is the firm that agreed: an expert who later
            # moves to another firm takes neither the agreement nor its hours along
            # (the new firm must not see them, the old one keeps them).
            if agreement.lender_id and agreement.state != "draft":
                continue
            agreement.lender_id = agreement.expert_id.employer_id

    @api.depends("lender_id")
    def _compute_signatory_id(self):
        for agreement in self:
            if agreement.signatory_id.commercial_partner_id == agreement.lender_id:
                continue
            agreement.signatory_id = agreement.lender_id.child_ids.filtered(
                "cluster_is_signatory"
            )[:1]

    @api.depends("buyer_kind", "company_id")
    def _compute_buyer_id(self):
        for agreement in self:
            if agreement.buyer_kind == "association":
                agreement.buyer_id = agreement.company_id.partner_id
            elif agreement.buyer_id == agreement.company_id.partner_id:
                agreement.buyer_id = False

    @api.depends("expert_id")
    def _compute_hourly_rate(self):
        for agreement in self:
            agreement.hourly_rate = agreement.expert_id.hourly_rate

    @api.depends("hour_cap", "hourly_rate")
    def _compute_amount_cap(self):
        for agreement in self:
            agreement.amount_cap = agreement.hour_cap * agreement.hourly_rate

    @api.depends("amount_cap", "company_id.cluster_agreement_decision_threshold")
    def _compute_decision_required(self):
        for agreement in self:
            agreement.decision_required = agreement._is_decision_required()

    @api.model
    def _expand_states(self, states, domain):
        return [key for key, _label in STATES]

    # Constraints -------------------------------------------------------------------

    @api.constrains("hour_cap", "hourly_rate", "fee_percent")
    def _check_amounts(self):
        for agreement in self:
            values = (agreement.hour_cap, agreement.hourly_rate, agreement.fee_percent)
            if not all(math.isfinite(value) for value in values):
                raise ValidationError(self.env._("Caps, rates and fees must be finite numbers."))
            if agreement.hour_cap <= 0 or agreement.hourly_rate <= 0:
                raise ValidationError(
                    self.env._(
                        "Agreement %(name)s: the hour cap and the hourly rate must be positive.",
                        name=agreement.name,
                    )
                )
            if not 0 <= agreement.fee_percent <= 100:
                raise ValidationError(self.env._("The association fee is between 0 and 100 %."))

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for agreement in self:
            if agreement.date_from > agreement.date_to:
                raise ValidationError(self.env._("The period must end after it starts."))

    @api.constrains("buyer_kind", "buyer_id", "fee_percent")
    def _check_buyer(self):
        for agreement in self:
            own = agreement.company_id.partner_id
            if agreement.buyer_kind == "association":
                if agreement.buyer_id != own:
                    raise ValidationError(
                        self.env._("For a joint project the buyer is the association itself.")
                    )
                if agreement.fee_percent:
                    raise ValidationError(self.env._("The association charges no fee to itself."))
            elif not agreement.buyer_id or agreement.buyer_id == own:
                raise ValidationError(
                    self.env._("Choose the member firm or customer that buys the hours.")
                )
            if agreement.buyer_id and agreement.buyer_id == agreement.lender_id:
                raise ValidationError(
                    self.env._(
                        "A firm cannot buy hours of its own expert through the association."
                    )
                )

    @api.constrains("project_id", "task_ids")
    def _check_tasks(self):
        for agreement in self:
            if agreement.task_ids.project_id - agreement.project_id:
                raise ValidationError(
                    self.env._("The tasks must belong to the agreement's project.")
                )

    # CRUD --------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                date = fields.Date.to_date(vals.get("date_from")) or fields.Date.context_today(
                    self
                )
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("cluster.agreement", sequence_date=date)
                    or "/"
                )
        agreements = super().create(vals_list)
        agreements.project_id._cluster_make_private()
        return agreements

    def write(self, vals):
        locked = {
            "expert_id",
            "hourly_rate",
            "project_id",
            "date_from",
            "date_to",
            "buyer_id",
        }
        if locked & set(vals) and self.filtered(lambda a: a.state in ("active", "closed")):
            if self.timesheet_ids:
                raise UserError(
                    self.env._(
                        "The expert, rate, project, buyer and period of an agreement with "
                        "hours cannot be changed."
                    )
                )
        res = super().write(vals)
        if "project_id" in vals:
            self.project_id._cluster_make_private()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if self.filtered(lambda a: a.state not in ("draft", "cancelled", "declined")):
            raise UserError(
                self.env._("Only draft, declined or cancelled agreements can be deleted.")
            )

    # Rights ------------------------------------------------------------------------

    def _is_cluster_manager(self):
        return self.env.user.has_group("cluster_base.cluster_base_group_manager")

    def _check_manager(self):
        if not self._is_cluster_manager():
            raise AccessError(self.env._("Only a cluster manager can do this."))

    def _check_lender_signatory(self):
        """Cluster managers (on the lender's behalf) or the lender's own signatory."""
        if self._is_cluster_manager():
            return
        self.check_access("read")
        roles = self.env.user._cluster_get_roles()
        for agreement in self:
            if ROLE_SIGNATORY not in roles.get(agreement.lender_id.id, ()):
                raise AccessError(
                    self.env._("Only the lending firm's signatory can answer this request.")
                )

    def _check_state(self, allowed):
        bad = self.filtered(lambda a: a.state not in allowed)
        if bad:
            raise UserError(
                self.env._(
                    "Agreement %(name)s is %(state)s: this step is not possible.",
                    name=bad[0].name,
                    state=dict(STATES)[bad[0].state],
                )
            )

    def _is_decision_required(self):
        self.ensure_one()
        threshold = self.company_id.cluster_agreement_decision_threshold
        return bool(threshold) and self.currency_id.compare_amounts(self.amount_cap, threshold) > 0

    # Actions -----------------------------------------------------------------------

    def action_request(self):
        self._check_manager()
        self._check_state(("draft",))
        missing = self.filtered(lambda a: not a.signatory_id)
        if missing:
            raise UserError(
                self.env._(
                    "Agreement %(name)s: the lending firm has no signatory to ask.",
                    name=missing[0].name,
                )
            )
        self.write({"state": "requested"})
        for agreement in self:
            agreement._notify_signatory()
        return True

    def _cluster_post_template(self, xmlid, partners):
        """Post the mail template ``xmlid`` on this agreement to ``partners``, rendered in
        the template's language, queued (sent by Odoo's mail queue after commit)."""
        self.ensure_one()
        template = self.env.ref(xmlid)
        lang = template._render_lang(self.ids)[self.id]
        # sudo: the poster may be a portal user (an expert submitting hours); the
        # recipients were chosen by the caller from the agreement's own firms
        self.sudo().with_context(lang=lang, mail_notify_force_send=False).message_post_with_source(
            template.with_context(lang=lang),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=partners.ids,
        )

    def _notify_signatory(self):
        self.ensure_one()
        self._cluster_post_template(
            "cluster_consulting.mail_template_cluster_agreement_request", self.signatory_id
        )
        if self.user_id:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self.user_id.id,
                summary=self.env._("Follow up the lender's answer"),
                date_deadline=fields.Date.context_today(self),
            )

    def action_lender_approve(self):
        self._check_lender_signatory()
        self._check_state(("requested",))
        # sudo: the lender's signatory is a portal user without write access; the rights
        # and the state were checked above.
        self.sudo().write(
            {
                "state": "lender_approved",
                "lender_approved_by": self.env.user.id,
                "lender_approved_on": fields.Datetime.now(),
            }
        )
        return True

    def action_lender_decline(self):
        self._check_lender_signatory()
        self._check_state(("requested",))
        self.sudo().write({"state": "declined"})
        return True

    def action_request_decision(self):
        """Create the draft board decision needed to activate a large agreement."""
        self._check_manager()
        self.ensure_one()
        return self._cluster_request_decision(
            "decision_id",
            self.env._(
                "Buy out %(hours)s hours of %(expert)s from %(firm)s (%(name)s)",
                hours=self.hour_cap,
                expert=self.expert_id.name,
                firm=self.lender_id.name,
                name=self.name,
            ),
        )

    def action_activate(self):
        self._check_manager()
        self._check_state(("lender_approved",))
        for agreement in self:
            if agreement._is_decision_required() and not agreement._cluster_decision_is_adopted(
                agreement.decision_id
            ):
                raise UserError(
                    self.env._(
                        "Agreement %(name)s is worth more than %(threshold)s: it needs an "
                        "adopted board decision before it can be activated.",
                        name=agreement.name,
                        threshold=agreement.company_id.cluster_agreement_decision_threshold,
                    )
                )
        self.write({"state": "active"})
        return True

    def action_close(self):
        self._check_manager()
        self._check_state(("active",))
        self.write({"state": "closed"})
        return True

    def action_cancel(self):
        self._check_manager()
        self._check_state(("draft", "requested", "lender_approved", "active"))
        if self.timesheet_ids:
            raise UserError(
                self.env._("An agreement with hours cannot be cancelled; close it instead.")
            )
        self.write({"state": "cancelled"})
        return True

    def action_reset_draft(self):
        self._check_manager()
        self._check_state(("declined", "cancelled"))
        self.write({"state": "draft", "lender_approved_by": False, "lender_approved_on": False})
        return True

    def action_raise_cap(self):
        self._check_manager()
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Raise the hour cap"),
            "res_model": "cluster.agreement.raise.cap",
            "view_mode": "form",
            "target": "new",
            "context": {"default_agreement_id": self.id},
        }

    def _raise_cap(self, new_cap, reason):
        self._check_manager()
        self.ensure_one()
        if not math.isfinite(new_cap) or new_cap <= self.hour_cap:
            raise UserError(self.env._("The new cap must be higher than the current one."))
        old_cap = self.hour_cap
        self.write({"hour_cap": new_cap, "cap_alert_level": 0})
        self.message_post(
            body=self.env._(
                "Hour cap raised from %(old)s to %(new)s by %(user)s: %(reason)s",
                old=old_cap,
                new=new_cap,
                user=self.env.user.name,
                reason=reason or "-",
            )
        )
        return True
