# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The general meeting's papers: the notice (kallelse) and the minutes (protokoll).

The notice goes to the signatory of every active member, within the window the statutes
set (company settings; the default is the window of lagen (2018:672) om ekonomiska
föreningar, 6 kap. 17-18 §§). Approved minutes lock the meeting, its agenda, votes and
decisions, and are published to the members in the portal.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

NOTICE_TEMPLATE = "cluster_base.mail_template_cluster_meeting_notice"
MINUTES_REPORT = "cluster_base.cluster_meeting_minutes_report"
GENERAL_MEETINGS = ("annual", "extra")
# What the mail and activity mixins write on a record; the chatter stays open.
UNLOCKED_PREFIXES = ("message_", "activity_", "website_message")


def _locked_vals(vals):
    return [name for name in vals if not name.startswith(UNLOCKED_PREFIXES)]


class ClusterMeeting(models.Model):
    _inherit = "cluster.meeting"

    present_membership_ids = fields.Many2many(
        "cluster.membership",
        "cluster_meeting_present_rel",
        "meeting_id",
        "membership_id",
        string="Members present",
        help="The member firms present (in person or by proxy) at the general meeting.",
    )
    adjuster_ids = fields.Many2many(
        "res.partner",
        "cluster_meeting_adjuster_rel",
        "meeting_id",
        "partner_id",
        string="Adjusters",
        help="The two people elected to check and sign the minutes with the chair " "(justerare).",
    )
    statutes_change = fields.Boolean(
        string="Changes the statutes",
        help="An extra general meeting that deals with a change of the statutes, a "
        "liquidation or a merger is called like an annual meeting (at the latest four "
        "weeks before).",
    )
    notice_date = fields.Datetime(string="Notice sent on", readonly=True, copy=False)
    notice_earliest_date = fields.Date(
        string="Notice at the earliest", compute="_compute_notice_window"
    )
    notice_latest_date = fields.Date(
        string="Notice at the latest", compute="_compute_notice_window"
    )

    @api.depends(
        "date",
        "meeting_type",
        "statutes_change",
        "company_id.cluster_notice_earliest_days",
        "company_id.cluster_notice_latest_days",
        "company_id.cluster_notice_latest_days_extra",
    )
    def _compute_notice_window(self):
        for meeting in self:
            earliest = latest = False
            if meeting.date and meeting.meeting_type in GENERAL_MEETINGS:
                earliest_days, latest_days = meeting._cluster_notice_days()
                day = fields.Date.context_today(meeting, meeting.date)
                earliest = day - timedelta(days=earliest_days)
                latest = day - timedelta(days=latest_days)
            meeting.notice_earliest_date = earliest
            meeting.notice_latest_date = latest

    def _cluster_notice_days(self):
        """(earliest, latest) number of days before the meeting a notice may be sent."""
        self.ensure_one()
        company = self.company_id
        if self.meeting_type == "annual" or self.statutes_change:
            return company.cluster_notice_earliest_days, company.cluster_notice_latest_days
        return company.cluster_notice_earliest_days, company.cluster_notice_latest_days_extra

    @api.constrains("adjuster_ids")
    def _check_adjusters(self):
        for meeting in self:
            if len(meeting.adjuster_ids) > 2:
                raise ValidationError(self.env._("A meeting elects two adjusters, not more."))

    @api.constrains("present_membership_ids")
    def _check_present_members(self):
        for meeting in self:
            if meeting.present_membership_ids and meeting.meeting_type == "board":
                raise ValidationError(
                    self.env._("Members attend general meetings, not board meetings.")
                )

    # ------------------------------------------------------------------ lock
    @api.model
    def _check_minutes_open_for(self, vals_list):
        """Refuse records created on meetings whose minutes are approved."""
        self.browse(
            [vals["meeting_id"] for vals in vals_list if vals.get("meeting_id")]
        )._check_minutes_open()

    def _check_minutes_open(self):
        if any(meeting.state == "closed" for meeting in self):
            raise UserError(
                self.env._(
                    "The minutes of this meeting are approved: the meeting, its agenda, "
                    "votes and decisions can no longer change."
                )
            )

    def write(self, vals):
        if _locked_vals(vals):
            self._check_minutes_open()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_minutes_open(self):
        self._check_minutes_open()

    def action_close(self):
        for meeting in self.filtered(lambda m: m.meeting_type in GENERAL_MEETINGS):
            if len(meeting.adjuster_ids) != 2:
                raise UserError(
                    self.env._(
                        "Enter the two adjusters of %(meeting)s before approving its minutes.",
                        meeting=meeting.name,
                    )
                )
        # the minutes PDF is frozen as an attachment when first printed after approval
        # (the report's ``attachment``), so members read what was approved
        return super().action_close()

    # ------------------------------------------------------------------ notice
    def _cluster_notice_recipients(self):
        """The signatories of the active members of the meeting's company."""
        self.ensure_one()
        firms = (
            self.env["cluster.membership"]
            .sudo()
            .search([("state", "=", "active"), ("company_id", "=", self.company_id.id)])
            .partner_id
        )
        return (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("parent_id", "in", firms.ids),
                    ("cluster_is_signatory", "=", True),
                    ("email", "!=", False),
                ]
            )
        )

    def _cluster_check_notice_window(self, today):
        self.ensure_one()
        if self.meeting_type not in GENERAL_MEETINGS:
            raise UserError(self.env._("Only a general meeting is called by a notice."))
        if self.state != "planned":
            raise UserError(self.env._("Only a planned meeting can be called."))
        if not self.notice_earliest_date <= today <= self.notice_latest_date:
            raise UserError(
                self.env._(
                    "The statutes let the notice of %(meeting)s be sent from %(earliest)s "
                    "to %(latest)s; today is %(today)s.",
                    meeting=self.name,
                    earliest=self.notice_earliest_date,
                    latest=self.notice_latest_date,
                    today=today,
                )
            )

    def action_send_notice(self):
        """Queue the notice with the agenda and its documents to every signatory."""
        template = self.env.ref(NOTICE_TEMPLATE)
        for meeting in self:
            meeting.check_access("write")
            meeting._cluster_check_notice_window(fields.Date.context_today(meeting))
            recipients = meeting._cluster_notice_recipients()
            if not recipients:
                raise UserError(self.env._("No active member has a signatory with an e-mail."))
            attachments = self.env["ir.attachment"].search(
                [("res_model", "=", meeting._name), ("res_id", "=", meeting.id)]
            )
            # one mail per language: each signatory reads the notice in their own language
            by_lang = {}
            for partner in recipients:
                by_lang.setdefault(partner.lang or "en_US", self.env["res.partner"])
                by_lang[partner.lang or "en_US"] |= partner
            for lang, partners in by_lang.items():
                # queued (force_send=False): the mail cron sends it after the commit
                template.with_context(lang=lang).send_mail(
                    meeting.id,
                    email_values={
                        "recipient_ids": [fields.Command.set(partners.ids)],
                        "attachment_ids": [fields.Command.set(attachments.ids)],
                    },
                )
            meeting.notice_date = fields.Datetime.now()
            meeting.message_post(
                body=self.env._("Notice sent to %(count)s signatories.", count=len(recipients)),
                attachment_ids=attachments.ids,
            )
        return True


class ClusterMeetingItem(models.Model):
    _inherit = "cluster.meeting.item"

    @api.model_create_multi
    def create(self, vals_list):
        self.env["cluster.meeting"]._check_minutes_open_for(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self.meeting_id._check_minutes_open()
        if vals.get("meeting_id"):
            self.env["cluster.meeting"].browse(vals["meeting_id"])._check_minutes_open()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_minutes_open(self):
        self.meeting_id._check_minutes_open()


class ClusterDecision(models.Model):
    _inherit = "cluster.decision"

    @api.model_create_multi
    def create(self, vals_list):
        self.env["cluster.meeting"]._check_minutes_open_for(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        # pointing a decision at the record it decided (cluster.membership._sync_decisions)
        # is bookkeeping after the meeting, not a change of the decision
        if [name for name in _locked_vals(vals) if name not in ("res_model", "res_id")]:
            self.meeting_id._check_minutes_open()
            if vals.get("meeting_id"):
                self.env["cluster.meeting"].browse(vals["meeting_id"])._check_minutes_open()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_minutes_open(self):
        self.meeting_id._check_minutes_open()
