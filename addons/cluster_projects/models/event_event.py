# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class EventEvent(models.Model):
    _inherit = "event.event"

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
