# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cluster_reminder_days = fields.Integer(
        string="Reminder after (days)",
        config_parameter="cluster_base.reminder_days",
        default=30,
        help="Days after the due date before an unpaid fee or contribution invoice gets a "
        "reminder activity.",
    )
    cluster_post_invoices = fields.Boolean(
        string="Post cluster invoices",
        config_parameter="cluster_base.post_invoices",
        help="Post contribution and annual fee invoices at once instead of leaving them "
        "in draft for the accountant.",
    )

    cluster_signatory_api_key_days = fields.Integer(
        string="Signatories' API keys (days)",
        compute="_compute_cluster_signatory_api_key_days",
        inverse="_inverse_cluster_signatory_api_key_days",
        help="Longest lifetime of an API key a firm's signatory creates for its time "
        "system (stored on the signatory group as Odoo's API key duration).",
    )

    cluster_send_invoices = fields.Boolean(
        string="Send cluster invoices by e-mail",
        config_parameter="cluster_base.send_invoices",
        help="Posted contribution and annual fee invoices, and payment reminders, go to the "
        "member firm's billing contact by e-mail with the invoice PDF.",
    )

    cluster_contribution_account_id = fields.Many2one(
        related="company_id.cluster_contribution_account_id",
        readonly=False,
    )

    def _cluster_signatory_group(self):
        return self.env.ref("cluster_base.cluster_base_group_signatory")

    def _compute_cluster_signatory_api_key_days(self):
        days = int(self._cluster_signatory_group().api_key_duration)
        for settings in self:
            settings.cluster_signatory_api_key_days = days

    def _inverse_cluster_signatory_api_key_days(self):
        group = self._cluster_signatory_group()
        for settings in self:
            days = settings.cluster_signatory_api_key_days
            if days == int(group.api_key_duration):
                # unchanged: saving other settings never trips over the group's value
                continue
            if not 1 <= days <= 3650:
                raise ValidationError(
                    self.env._(
                        "A signatory's API key lasts from 1 to 3650 days, not %(days)s.",
                        days=days,
                    )
                )
            group.api_key_duration = days

    @api.constrains("cluster_reminder_days")
    def _check_cluster_reminder_days(self):
        for settings in self:
            if settings.cluster_reminder_days < 0:
                raise ValidationError(self.env._("The reminder delay cannot be negative."))


class ResConfigSettingsNotice(models.TransientModel):
    _inherit = "res.config.settings"

    cluster_notice_earliest_days = fields.Integer(
        related="company_id.cluster_notice_earliest_days", readonly=False
    )
    cluster_notice_latest_days = fields.Integer(
        related="company_id.cluster_notice_latest_days", readonly=False
    )
    cluster_notice_latest_days_extra = fields.Integer(
        related="company_id.cluster_notice_latest_days_extra", readonly=False
    )
