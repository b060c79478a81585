# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""State aid the association grants member firms (de minimis).

What the association gives a firm free or below cost with public money (coaching, a
competence activity, expert time paid by a grant) is state aid to that firm. Under
Commission Regulation (EU) 2023/2831 a *single undertaking* (a firm and the firms it
controls or is controlled by) may receive at most EUR 300,000 of de minimis aid over
any period of three years; the grantor tells the firm in writing (the certificate,
*intyg om stöd av mindre betydelse*) and keeps the records for ten years.

A record is drafted, then granted: granting freezes the EUR value, the exchange rate
and the single undertaking's three-year total, and refuses aid above the ceiling. A
granted record is never deleted; a mistake is cancelled with its reason and kept.
"""

import math

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

REGULATIONS = [
    ("de_minimis_2023_2831", "Commission Regulation (EU) 2023/2831 (de minimis)"),
]
RETENTION_YEARS = 10


def _without_none(value):
    """``value`` with the ``None`` entries of its dicts left out, at every depth."""
    if isinstance(value, dict):
        return {key: _without_none(item) for key, item in value.items() if item is not None}
    if isinstance(value, list | tuple):
        return type(value)(_without_none(item) for item in value)
    return value


class ClusterStateAid(models.Model):
    _name = "cluster.state.aid"
    _description = "State Aid to a Member Firm"
    _inherit = ["mail.thread", "mail.activity.mixin", "cluster.finite.mixin"]
    _order = "date_granted desc, id desc"

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    partner_id = fields.Many2one(
        "res.partner",
        string="Firm",
        required=True,
        index=True,
        domain=[("is_company", "=", True)],
        tracking=True,
        help="The member firm that receives the aid.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [("draft", "Draft"), ("granted", "Granted"), ("cancelled", "Cancelled")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    date_granted = fields.Date(
        string="Granted on",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="The date the firm received the aid (the activity's date, the hours' month).",
    )
    regulation = fields.Selection(
        REGULATIONS, required=True, default="de_minimis_2023_2831", tracking=True
    )
    amount = fields.Monetary(
        string="Value",
        currency_field="currency_id",
        required=True,
        tracking=True,
        help="The aid's value in the association's currency (SEK).",
    )
    eur_rate = fields.Float(
        string="SEK per EUR",
        digits=(12, 6),
        tracking=True,
        help="The exchange rate used for the EUR value. Empty: Odoo's EUR rate on the date "
        "granted, frozen when the aid is granted.",
    )
    amount_eur = fields.Float(
        string="Value (EUR)",
        digits=(16, 2),
        readonly=True,
        copy=False,
        help="Frozen when the aid is granted.",
    )
    eur_currency_id = fields.Many2one(
        "res.currency",
        string="Euro",
        compute="_compute_eur_currency_id",
        help="The currency of the EUR values, so they are shown in the reader's number format.",
    )
    source = fields.Selection(
        [
            ("activity", "Competence activity"),
            ("project", "Joint project"),
            ("agreement", "Bought-out expert time"),
            ("other", "Other"),
        ],
        required=True,
        default="activity",
        tracking=True,
    )
    project_id = fields.Many2one(
        "project.project",
        string="Joint project",
        index="btree_not_null",
        domain=[("is_joint_project", "=", True)],
    )
    event_id = fields.Many2one(
        "event.event", string="Activity", index="btree_not_null", ondelete="restrict"
    )
    origin = fields.Char(
        string="Source reference", help="E.g. the agreement or decision it comes from."
    )
    computation = fields.Text(
        string="How the value was computed",
        required=True,
        help="E.g. the firm's share of an activity's cost, or hours × rate.",
    )
    undertaking_total_eur = fields.Float(
        string="Single undertaking, three years (EUR)",
        digits=(16, 2),
        readonly=True,
        copy=False,
        help="De minimis aid of the firm's single undertaking over the three years up to "
        "the date granted, this aid included; frozen when the aid is granted.",
    )
    retain_until = fields.Date(
        string="Keep until",
        compute="_compute_retain_until",
        store=True,
        help="Records of de minimis aid are kept ten years from the date granted.",
    )
    certificate_sent_date = fields.Datetime(string="Certificate sent", readonly=True, copy=False)
    cancel_reason = fields.Char(tracking=True, copy=False)

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "The value of state aid must be positive."),
        (
            "eur_rate_positive",
            "CHECK(eur_rate IS NULL OR eur_rate >= 0)",
            "An exchange rate can't be negative.",
        ),
    ]

    @api.depends("date_granted")
    def _compute_retain_until(self):
        for aid in self:
            aid.retain_until = aid.date_granted and aid.date_granted + relativedelta(
                years=RETENTION_YEARS
            )

    @api.constrains("amount", "eur_rate")
    def _check_finite(self):
        for aid in self:
            for value in (aid.amount, aid.eur_rate):
                if not math.isfinite(value or 0.0):
                    raise ValidationError(
                        self.env._(
                            "%(aid)s: amounts and rates must be finite numbers.", aid=aid.name
                        )
                    )

    @api.constrains("partner_id", "date_granted", "amount", "regulation", "eur_rate")
    def _check_frozen(self):
        # constraints run after the write: the values checked are the new ones, so a
        # write on a granted aid is refused in write() (below), this guards create
        for aid in self:
            if aid.partner_id and not aid.partner_id.is_company:
                raise ValidationError(
                    self.env._(
                        "State aid is granted to a firm, not to the person %(name)s.",
                        name=aid.partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------------ CRUD
    _frozen_fields = frozenset(
        {
            "partner_id",
            "date_granted",
            "regulation",
            "amount",
            "eur_rate",
            "amount_eur",
            "undertaking_total_eur",
            "company_id",
            "computation",
        }
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("cluster.state.aid") or "/"
        return super().create(vals_list)

    def write(self, vals):
        if self._frozen_fields & set(vals) and not self.env.context.get("cluster_state_aid_grant"):
            granted = self.filtered(lambda a: a.state != "draft")
            if granted:
                raise UserError(
                    self.env._(
                        "%(aid)s is granted: its firm, date, value and rate are on record "
                        "and can't change. Cancel it with a reason and record the aid again.",
                        aid=granted[0].name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        for aid in self:
            if aid.state != "draft":
                raise UserError(
                    self.env._(
                        "%(aid)s was granted: de minimis aid is kept for ten years (until "
                        "%(date)s). Cancel it with a reason instead.",
                        aid=aid.name,
                        date=aid.retain_until,
                    )
                )

    # ------------------------------------------------------------------ money
    def _compute_eur_currency_id(self):
        self.eur_currency_id = self.env.ref("base.EUR", raise_if_not_found=False)

    def _eur_currency(self):
        eur = self.env.ref("base.EUR", raise_if_not_found=False)
        if not eur:
            raise UserError(self.env._("The currency EUR is missing from the database."))
        return eur

    def _cluster_eur_rate(self):
        """SEK per EUR for this aid: the rate entered, else Odoo's EUR rate on the date."""
        self.ensure_one()
        if self.eur_rate:
            return self.eur_rate
        eur = self._eur_currency()
        company = self.company_id
        if company.currency_id == eur:
            return 1.0
        rate = (
            self.env["res.currency.rate"]
            .sudo()
            .search(
                [
                    ("currency_id", "=", eur.id),
                    ("name", "<=", self.date_granted),
                    "|",
                    ("company_id", "=", False),
                    ("company_id", "=", company.root_id.id),
                ],
                order="name desc, company_id",
                limit=1,
            )
        )
        if not rate or not rate.rate:
            raise UserError(
                self.env._(
                    "%(aid)s: there is no EUR exchange rate on or before %(date)s. Enter the "
                    "rate (SEK per EUR) on the aid, or add EUR rates in Accounting › "
                    "Configuration › Currencies.",
                    aid=self.name,
                    date=self.date_granted,
                )
            )
        # Odoo stores rates as units of the currency per unit of the company currency
        return 1.0 / rate.rate

    def _cluster_amount_eur(self):
        self.ensure_one()
        return round(self.amount / self._cluster_eur_rate(), 2)

    # ------------------------------------------------------------------ actions
    def action_grant(self):
        """Grant the aid: freeze its EUR value and the single undertaking's total; refuse
        aid above the ceiling; warn at the company's warning level."""
        for aid in self:
            if aid.state != "draft":
                raise UserError(self.env._("%(aid)s is not a draft.", aid=aid.name))
            amount_eur = aid._cluster_amount_eur()
            firm = aid.partner_id.commercial_partner_id
            before = firm._cluster_de_minimis_total_eur(aid.date_granted)
            company = aid.company_id
            ceiling = company.cluster_de_minimis_ceiling_eur
            total = round(before + amount_eur, 2)
            if total > ceiling:
                raise UserError(
                    self.env._(
                        "%(aid)s can't be granted: %(firm)s's single undertaking has received "
                        "EUR %(before).2f of de minimis aid in the three years up to %(date)s; "
                        "with this aid of EUR %(amount).2f it would reach EUR %(total).2f, "
                        "above the ceiling of EUR %(ceiling).2f.",
                        aid=aid.name,
                        firm=firm.display_name,
                        before=before,
                        date=aid.date_granted,
                        amount=amount_eur,
                        total=total,
                        ceiling=ceiling,
                    )
                )
            aid.with_context(cluster_state_aid_grant=True).write(
                {
                    "state": "granted",
                    "amount_eur": amount_eur,
                    "eur_rate": aid._cluster_eur_rate(),
                    "undertaking_total_eur": total,
                }
            )
            warning = ceiling * company.cluster_de_minimis_warning_pct / 100.0
            if total >= warning:
                aid.message_post(
                    body=self.env._(
                        "Warning: %(firm)s's single undertaking has now received EUR "
                        "%(total).2f of de minimis aid in three years, %(pct).0f %% of the "
                        "ceiling of EUR %(ceiling).2f.",
                        firm=firm.display_name,
                        total=total,
                        pct=100.0 * total / ceiling if ceiling else 100.0,
                        ceiling=ceiling,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        return True

    def action_cancel(self):
        for aid in self:
            if aid.state == "cancelled":
                continue
            if aid.state == "granted" and not aid.cancel_reason:
                raise UserError(
                    self.env._(
                        "%(aid)s was granted: give the reason for cancelling it first.",
                        aid=aid.name,
                    )
                )
        self.write({"state": "cancelled"})
        return True

    def _cluster_certificate_recipients(self):
        """The firm's signatories (their contacts), else the firm itself."""
        self.ensure_one()
        firm = self.partner_id.commercial_partner_id
        signatories = firm.child_ids.filtered(lambda c: c.cluster_is_signatory and c.email)
        return signatories or firm

    def action_send_certificate(self):
        """Queue the certificate (with its PDF) to the firm's signatories."""
        template = self.env.ref("cluster_projects.mail_template_state_aid_certificate")
        for aid in self:
            if aid.state != "granted":
                raise UserError(
                    self.env._(
                        "%(aid)s is not granted: there is no certificate yet.", aid=aid.name
                    )
                )
            recipients = aid._cluster_certificate_recipients()
            if not any(recipients.mapped("email")):
                raise UserError(
                    self.env._(
                        "%(firm)s has no signatory with an e-mail address to send the "
                        "certificate to.",
                        firm=aid.partner_id.display_name,
                    )
                )
            # in the firm's language, queued: sent by the mail queue after commit
            lang = template._render_lang(aid.ids)[aid.id]
            aid.with_context(lang=lang, mail_notify_force_send=False).message_post_with_source(
                template.with_context(lang=lang),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=recipients.ids,
            )
            aid.certificate_sent_date = fields.Datetime.now()
        return True

    def action_print_certificate(self):
        self.ensure_one()
        if self.state != "granted":
            raise UserError(
                self.env._("%(aid)s is not granted: there is no certificate yet.", aid=self.name)
            )
        action = self.env.ref(
            "cluster_projects.action_report_state_aid_certificate"
        ).report_action(self)
        # Odoo's report action (and the layout configurator it may open first) carries
        # ``data: None``, which XML-RPC cannot marshal: leave the empty keys out
        return _without_none(action)
