# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import math

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class EventEvent(models.Model):
    _name = "event.event"
    _inherit = ["event.event", "cluster.finite.mixin"]

    cluster_project_id = fields.Many2one(
        "project.project",
        string="Joint project",
        index="btree_not_null",
        domain=[("is_joint_project", "=", True)],
    )
    cluster_activity_type = fields.Selection(
        [
            ("training", "Training"),
            ("coaching", "Coaching"),
            ("seminar", "Seminar"),
            ("study_visit", "Study visit"),
            ("network_meeting", "Network meeting"),
        ],
        string="Activity type",
    )
    cluster_hours = fields.Float(
        string="Hours per participant",
        compute="_compute_cluster_hours",
        store=True,
        readonly=False,
        help="Competence-development hours each attendee gets; defaults to the event's" " length.",
    )

    @api.depends("date_begin", "date_end")
    def _compute_cluster_hours(self):
        for event in self:
            if event.date_begin and event.date_end and not event.cluster_hours:
                hours = (event.date_end - event.date_begin).total_seconds() / 3600.0
                # a multi-day event counts a working day per day at most
                event.cluster_hours = round(
                    min(hours, 8.0 * max(1, (event.date_end - event.date_begin).days)),
                    2,
                )

    @api.constrains("cluster_hours")
    def _check_cluster_hours(self):
        for event in self:
            if not math.isfinite(event.cluster_hours or 0.0) or event.cluster_hours < 0:
                raise ValidationError(
                    self.env._("Hours per participant must be finite and zero or more.")
                )

    # ------------------------------------------------------------------ state aid
    cluster_aid_value = fields.Monetary(
        string="Publicly financed value",
        currency_field="cluster_aid_currency_id",
        groups="cluster_base.cluster_base_group_user",
        help="What the activity cost the association and was paid with public money. "
        "Shared over the attending firms by their number of attendees, it is state aid "
        "(de minimis) to each firm.",
    )
    cluster_aid_currency_id = fields.Many2one(
        "res.currency", related="company_id.currency_id", string="Aid currency"
    )
    cluster_state_aid_ids = fields.One2many(
        "cluster.state.aid",
        "event_id",
        string="State aid",
        groups="cluster_base.cluster_base_group_user",
    )

    @api.constrains("cluster_aid_value")
    def _check_cluster_aid_value(self):
        for event in self:
            value = event.cluster_aid_value or 0.0
            if not math.isfinite(value) or value < 0:
                raise ValidationError(
                    self.env._("The publicly financed value must be finite and zero or more.")
                )

    def _cluster_prepare_state_aid_vals(self):
        """Draft aid per attending firm: the activity's publicly financed value shared by
        the firm's attendees (confirmed or attended), the last firm taking the rounding
        difference so the shares add up to the value."""
        self.ensure_one()
        registrations = self.registration_ids.filtered(
            lambda r: r.state in ("open", "done") and r.cluster_firm_id
        )
        per_firm = {}
        for registration in registrations:
            per_firm[registration.cluster_firm_id] = (
                per_firm.get(registration.cluster_firm_id, 0) + 1
            )
        total = sum(per_firm.values())
        currency = self.cluster_aid_currency_id
        vals_list, given = [], 0.0
        value_text = f"{self.cluster_aid_value:.2f} {currency.name}"
        firms = sorted(per_firm, key=lambda f: (f.name or "", f.id))
        for index, firm in enumerate(firms):
            count = per_firm[firm]
            if index == len(firms) - 1:
                amount = currency.round(self.cluster_aid_value - given)
            else:
                amount = currency.round(self.cluster_aid_value * count / total)
            given += amount
            vals_list.append(
                {
                    "partner_id": firm.id,
                    "company_id": self.company_id.id or self.env.company.id,
                    "date_granted": (self.date_end or self.date_begin).date(),
                    "source": "activity",
                    "event_id": self.id,
                    "project_id": self.cluster_project_id.id,
                    "amount": amount,
                    "computation": self.env._(
                        "%(count)s of %(total)s attendees of %(activity)s × publicly "
                        "financed value %(value)s",
                        count=count,
                        total=total,
                        activity=self.name,
                        value=value_text,
                    ),
                }
            )
        return vals_list

    def action_cluster_record_state_aid(self):
        """Draft the state aid of each attending firm (to review and grant)."""
        self.ensure_one()
        if self.cluster_state_aid_ids.filtered(lambda a: a.state != "cancelled"):
            raise UserError(
                self.env._(
                    "The state aid of %(activity)s is already recorded; cancel it first to "
                    "record it again.",
                    activity=self.name,
                )
            )
        if not self.cluster_aid_value:
            raise UserError(
                self.env._(
                    "Enter the publicly financed value of %(activity)s first.",
                    activity=self.name,
                )
            )
        vals_list = self._cluster_prepare_state_aid_vals()
        if not vals_list:
            raise UserError(
                self.env._(
                    "%(activity)s has no confirmed attendee from a firm: there is no aid to "
                    "record.",
                    activity=self.name,
                )
            )
        aids = self.env["cluster.state.aid"].create(vals_list)
        return {
            "type": "ir.actions.act_window",
            "res_model": "cluster.state.aid",
            "name": self.env._("State aid"),
            "view_mode": "list,form",
            "domain": [("id", "in", aids.ids)],
        }
