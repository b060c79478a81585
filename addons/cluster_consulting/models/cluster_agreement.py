# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import math
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_compare, format_date, formatLang

from odoo.addons.cluster_base.models.res_users import ROLE_SIGNATORY

from .cluster_expert import check_finite_vals

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
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, id desc"

    name = fields.Char(
        string="Number",
        readonly=True,
        copy=False,
        default="/",
        index=True,
        tracking=True,
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
        domain="[('share', '=', False)]",
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

    def _get_invoiced_hours(self):
        """Hours per agreement the lender has billed (on a vendor bill line of a settlement)."""
        # sudo: the settlement links are the association's; only their hours are summed,
        # for agreements the user may read.
        return dict(
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("agreement_id", "in", self.ids),
                    ("cluster_bill_line_id", "!=", False),
                ],
                ["agreement_id"],
                ["unit_amount:sum"],
            )
        )

    def _compute_hours(self):
        sums = {}
        for agreement, state, hours in self.env["account.analytic.line"]._read_group(
            [("agreement_id", "in", self.ids)],
            ["agreement_id", "cluster_hour_state"],
            ["unit_amount:sum"],
        ):
            sums[agreement, state] = hours
        invoiced = self._get_invoiced_hours()
        for agreement in self:
            draft = sums.get((agreement, "draft"), 0.0)
            submitted = sums.get((agreement, "submitted"), 0.0)
            approved = sums.get((agreement, "approved"), 0.0)
            consumed = draft + submitted + approved
            # sudo: an expert reads the consumption, never the rate behind the amounts.
            rate = agreement.sudo().hourly_rate
            agreement.hours_draft = draft
            agreement.hours_submitted = submitted
            agreement.hours_approved = approved
            agreement.hours_consumed = consumed
            agreement.hours_invoiced = invoiced.get(agreement, 0.0)
            agreement.hours_remaining = agreement.hour_cap - consumed
            agreement.amount_consumed = consumed * rate
            agreement.amount_approved = approved * rate
            agreement.amount_invoiced = agreement.hours_invoiced * rate
            agreement.amount_remaining = agreement.hours_remaining * rate
            agreement.cap_percent = (
                100.0 * consumed / agreement.hour_cap if agreement.hour_cap else 0.0
            )

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

    @api.constrains("expert_id", "date_from", "date_to", "hour_cap", "state")
    def _check_released_hours(self):
        """In no month may an expert's agreements take more than the hours the expert
        releases per month; each agreement counts with its share of that month
        (``_monthly_hours_sql``)."""
        agreements = self.filtered(lambda a: a.state in HOLDING_STATES)
        if not agreements:
            return
        date_from = min(agreements.mapped("date_from"))
        date_to = max(agreements.mapped("date_to"))
        # sudo: an expert's capacity counts every agreement holding their hours, also
        # the ones the user editing this agreement may not read
        rows = self.sudo()._read_monthly_hours(
            [
                ("expert_id", "in", agreements.expert_id.ids),
                ("state", "in", HOLDING_STATES),
                ("date_from", "<=", date_to),
                ("date_to", ">=", date_from),
            ],
            date_from,
            date_to,
        )
        load = defaultdict(float)
        for _agreement_id, expert_id, month, hours in rows:
            load[expert_id, month] += hours
        checked = {agreement.id: agreement for agreement in agreements}
        for agreement_id, expert_id, month, hours in rows:
            agreement = checked.get(agreement_id)
            if not agreement or float_compare(hours, 0.0, precision_digits=2) <= 0:
                continue
            released = agreement.expert_id.hours_per_month
            committed = load[expert_id, month]
            if float_compare(committed, released, precision_digits=2) > 0:
                raise ValidationError(agreement._released_hours_message(month, hours, committed))

    def _released_hours_message(self, month, hours, committed):
        self.ensure_one()
        return self.env._(
            "%(expert)s releases %(released)s hours a month, but in %(month)s the "
            "agreements would take %(committed)s hours: %(hours)s hours of %(name)s "
            "(its hour cap spread over its working days) and %(others)s hours of other "
            "agreements.",
            expert=self.expert_id.name,
            released=formatLang(self.env, self.expert_id.hours_per_month),
            month=format_date(self.env, month, date_format="MMMM y"),
            committed=formatLang(self.env, committed),
            hours=formatLang(self.env, hours),
            name=self.name,
            others=formatLang(self.env, committed - hours),
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
            check_finite_vals(self.env, vals, ("hour_cap", "hourly_rate", "fee_percent"))
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
        check_finite_vals(self.env, vals, ("hour_cap", "hourly_rate", "fee_percent"))
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

    # Monthly load ------------------------------------------------------------------

    @api.model
    def _monthly_hours_sql(self, where):
        """The monthly load of agreements: each agreement's hour cap spread over the
        calendar months its period touches, in proportion to its working days (Monday
        to Friday) in each month; a period without a working day is spread over its
        days. One row ``(agreement_id, expert_id, month, hours)`` per agreement ``a``
        matching the SQL condition ``where`` and month (its first day) it touches.

        The one rule of an expert's load: the capacity check, the free hours of
        matchmaking and of the portal, the expert form and the availability report
        all read it.
        """
        # Working days among ``days`` days from a weekday ``dow`` (0 = Monday):
        # g(dow + days) - g(dow), where g(n) = 5 * (n / 7) + least(n mod 7, 5) counts
        # the working days of the first n days of a week starting on a Monday.
        return SQL(
            """
            SELECT p.agreement_id, p.expert_id, p.month,
                   p.hour_cap * CASE
                       WHEN SUM(p.work_days) OVER w > 0
                       THEN p.work_days::float8 / SUM(p.work_days) OVER w
                       ELSE p.days::float8 / SUM(p.days) OVER w
                   END AS hours
              FROM (
                    SELECT a.id AS agreement_id, a.expert_id, a.hour_cap, m.month, d.days,
                           5 * ((d.dow + d.days) / 7) + LEAST(MOD(d.dow + d.days, 7), 5)
                           - LEAST(d.dow, 5) AS work_days
                      FROM cluster_agreement a
                     CROSS JOIN LATERAL generate_series(
                               date_trunc('month', a.date_from::timestamp),
                               date_trunc('month', a.date_to::timestamp),
                               interval '1 month'
                           ) AS g(start)
                     CROSS JOIN LATERAL (
                            SELECT g.start::date AS month,
                                   GREATEST(a.date_from, g.start::date) AS first_day,
                                   LEAST(a.date_to, (g.start + interval '1 month')::date - 1)
                                       AS last_day
                           ) AS m
                     CROSS JOIN LATERAL (
                            SELECT m.last_day - m.first_day + 1 AS days,
                                   EXTRACT(ISODOW FROM m.first_day)::int - 1 AS dow
                           ) AS d
                     WHERE %s
                   ) AS p
            WINDOW w AS (PARTITION BY p.agreement_id)
            """,
            where,
        )

    @api.model
    def _read_monthly_hours(self, domain, date_from, date_to):
        """Rows ``(agreement_id, expert_id, month, hours)`` of ``_monthly_hours_sql`` for
        the agreements matching ``domain`` that the user may read, in the months from
        ``date_from`` to ``date_to``."""
        self.flush_model(["expert_id", "hour_cap", "date_from", "date_to", "state"])
        query = self._search(domain)
        return self.env.execute_query(
            SQL(
                """
                SELECT load.agreement_id, load.expert_id, load.month, load.hours
                  FROM (%s) AS load
                 WHERE load.month BETWEEN %s AND %s
                 ORDER BY load.agreement_id, load.month
                """,
                self._monthly_hours_sql(SQL("a.id IN %s", query.subselect())),
                date_from.replace(day=1),
                date_to,
            )
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
        if self.decision_id and self.decision_id.state != "rejected":
            return self._action_open_decision()
        self.decision_id = self.env["cluster.decision"].create(
            {
                "title": self.env._(
                    "Buy out %(hours)s hours of %(expert)s from %(firm)s (%(name)s)",
                    hours=self.hour_cap,
                    expert=self.expert_id.name,
                    firm=self.lender_id.name,
                    name=self.name,
                ),
                "res_model": self._name,
                "res_id": self.id,
                "company_id": self.company_id.id,
            }
        )
        return self._action_open_decision()

    def _action_open_decision(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "cluster.decision",
            "res_id": self.decision_id.id,
            "view_mode": "form",
        }

    def action_activate(self):
        self._check_manager()
        self._check_state(("lender_approved",))
        for agreement in self:
            if agreement._is_decision_required():
                decision = agreement.decision_id
                if not (
                    decision.state == "adopted"
                    and decision.res_model == self._name
                    and decision.res_id == agreement.id
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

    def action_view_hours(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cluster_consulting.account_analytic_line_action_cluster_approval"
        )
        action["domain"] = [("agreement_id", "=", self.id)]
        action["context"] = {
            "default_agreement_id": self.id,
            "default_project_id": self.project_id.id,
            "default_employee_id": self.expert_id.employee_id.id,
        }
        return action

    # Cap alerts -------------------------------------------------------------------

    def _cluster_alert_cap(self, consumed_by_agreement):
        """Schedule an activity when the hours pass 80 % and 100 % of the cap."""
        for agreement in self:
            consumed = consumed_by_agreement.get(agreement, 0.0)
            ratio = consumed / agreement.hour_cap if agreement.hour_cap else 0.0
            level = 100 if ratio >= 1 else 80 if ratio >= 0.8 else 0
            if level <= agreement.cap_alert_level:
                continue
            # sudo: hours are logged by experts who cannot write agreements.
            agreement_sudo = agreement.sudo()
            agreement_sudo.cap_alert_level = level
            agreement_sudo.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=(agreement.user_id or self.env.ref("base.user_admin")).id,
                summary=self.env._(
                    "%(percent)s %% of the hour cap used on %(name)s",
                    percent=level,
                    name=agreement.name,
                ),
            )

    def _cluster_notify_hours_submitted(self):
        """Tell who approves that submitted hours wait: the buying firm's signatories by
        mail, the responsible of an association-bought agreement by an activity."""
        for agreement in self.filtered(lambda a: a.hours_submitted):
            if agreement.buyer_kind == "member" and agreement.buyer_id:
                signatories = agreement.buyer_id.child_ids.filtered(
                    lambda c: c.cluster_is_signatory and c.email
                )
                if signatories:
                    agreement._cluster_post_template(
                        "cluster_consulting.mail_template_cluster_hours_to_approve", signatories
                    )
            elif agreement.user_id:
                agreement.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=agreement.user_id.id,
                    summary=self.env._("Approve the submitted hours"),
                    date_deadline=fields.Date.context_today(self),
                )
        return True
