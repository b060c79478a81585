# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class EventRegistration(models.Model):
    _name = "event.registration"
    _inherit = ["event.registration", "cluster.finite.mixin"]

    cluster_project_id = fields.Many2one(
        related="event_id.cluster_project_id", store=True, index="btree_not_null"
    )
    cluster_firm_id = fields.Many2one(
        "res.partner",
        string="Firm",
        compute="_compute_cluster_firm_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        domain=[("is_company", "=", True)],
        help="The member firm the attendee comes from.",
    )
    cluster_gender = fields.Selection(
        [("female", "Woman"), ("male", "Man"), ("other", "Other / not stated")],
        string="Gender",
    )
    cluster_hours = fields.Float(
        string="Participant hours",
        compute="_compute_cluster_hours",
        store=True,
        readonly=False,
    )

    @api.depends("partner_id")
    def _compute_cluster_firm_id(self):
        for registration in self:
            firm = registration.partner_id.commercial_partner_id
            if firm.is_company and not registration.cluster_firm_id:
                registration.cluster_firm_id = firm

    @api.depends("event_id.cluster_hours")
    def _compute_cluster_hours(self):
        for registration in self:
            registration.cluster_hours = registration.event_id.cluster_hours

    @api.constrains("cluster_hours")
    def _check_cluster_hours(self):
        for registration in self:
            if (
                not math.isfinite(registration.cluster_hours or 0.0)
                or registration.cluster_hours < 0
            ):
                raise ValidationError(
                    self.env._("Participant hours must be finite and zero or more.")
                )
