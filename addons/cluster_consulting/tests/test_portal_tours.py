# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .portal_common import PortalCommon


@tagged("post_install", "-at_install")
class TestPortalTours(PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.expert_a_user)
        # An agreement running now, so the hour form's default date (today) fits.
        cls.agreement_now = cls._activate(
            cls._create_agreement(
                date_from=today - timedelta(days=7),
                date_to=today + timedelta(days=30),
                hour_cap=30.0,
            )
        )

    def test_tour_signatory_approves_agreement(self):
        self.start_tour(
            "/my/cluster/agreements?filterby=requested",
            "cluster_portal_agreement_approve",
            login="por_sig_a",
        )
        self.env.invalidate_all()
        self.assertEqual(self.agreement_a_req.state, "lender_approved")
        self.assertEqual(self.agreement_a_req.lender_approved_by, self.signatory_a_user)
        self.assertIn("Fine by us", "".join(self.agreement_a_req.message_ids.mapped("body")))

    def test_tour_expert_logs_and_submits(self):
        self.start_tour("/my/cluster/hours", "cluster_portal_hours_log_submit", login="por_exp_a")
        self.env.invalidate_all()
        hours = self.agreement_now.timesheet_ids
        self.assertEqual(hours.mapped("unit_amount"), [7.5])
        self.assertEqual(hours.cluster_hour_state, "submitted")
        self.assertEqual(hours.name, "Workshop")

    def test_tour_buyer_approves_hours(self):
        self.start_tour(
            "/my/cluster/hours?filterby=submitted",
            "cluster_portal_hours_approve",
            login="por_sig_a",
        )
        self.env.invalidate_all()
        self.assertEqual(self.hour_b_to_a.cluster_hour_state, "approved")
        self.assertEqual(self.hour_b_to_a.cluster_approved_by_id, self.signatory_a_user)
