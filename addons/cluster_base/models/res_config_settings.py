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

    @api.constrains("cluster_reminder_days")
    def _check_cluster_reminder_days(self):
        for settings in self:
            if settings.cluster_reminder_days < 0:
                raise ValidationError(self.env._("The reminder delay cannot be negative."))
