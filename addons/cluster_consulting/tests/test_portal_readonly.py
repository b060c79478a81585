# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The portal's GET pages and the statement PDF are read-only routes: Odoo 18 serves
them from ``db_replica_host`` when one is configured, so they must render on a read-only
cursor. The test server opens read-only routes on a cursor in ``READ ONLY`` mode: a write
makes PostgreSQL refuse it and Odoo retry on a read/write cursor with a WARNING, which
fails these tests."""

from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.cluster_base.controllers.portal import ClusterPortal
from odoo.addons.cluster_projects.controllers.portal import ClusterProjectsPortal

from ..controllers.portal_agreements import ClusterAgreementPortal
from ..controllers.portal_experts import ClusterExpertPortal
from ..controllers.portal_hours import ClusterHourPortal
from ..controllers.portal_statements import ClusterStatementPortal
from .portal_common import PortalCommon

READONLY_ENDPOINTS = [
    (ClusterPortal, "portal_cluster_overview"),
    (ClusterPortal, "portal_cluster_membership"),
    (ClusterProjectsPortal, "portal_cluster_projects"),
    (ClusterProjectsPortal, "portal_cluster_project"),
    (ClusterAgreementPortal, "portal_cluster_agreements"),
    (ClusterAgreementPortal, "portal_cluster_agreement"),
    (ClusterExpertPortal, "portal_cluster_experts"),
    (ClusterHourPortal, "portal_cluster_hours"),
    (ClusterStatementPortal, "portal_cluster_statements"),
    (ClusterStatementPortal, "portal_cluster_statement_pdf"),
]


@tagged("post_install", "-at_install")
class TestPortalReadonly(PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.joint_project = cls.env["project.project"].create(
            {
                "name": "Gemensam marknad (readonly)",
                "is_joint_project": True,
                "cluster_participant_ids": [
                    Command.create(
                        {"partner_id": cls.firm_a.id, "cost_share": 100.0, "hourly_value": 400.0}
                    )
                ],
            }
        )

    def test_get_routes_are_readonly(self):
        for controller, name in READONLY_ENDPOINTS:
            routing = getattr(controller, name).original_routing
            self.assertIs(routing.get("readonly"), True, name)
            self.assertNotIn("POST", routing.get("methods") or [], name)

    def test_pages_render_on_a_readonly_cursor(self):
        # the statement's report once on a read/write cursor, as a server would have it
        # before (its assets and fonts); the pages themselves must write nothing
        self.env["ir.actions.report"]._render_qweb_pdf(
            "cluster_consulting.action_report_cluster_settlement_statement",
            self.settlement_a.balance_ids.ids,
        )
        pages = {
            "por_sig_a": [
                "/my/cluster",
                "/my/cluster/membership",
                "/my/cluster/projects",
                f"/my/cluster/projects/{self.joint_project.id}",
                "/my/cluster/agreements",
                f"/my/cluster/agreements/{self.agreement_a.id}",
                "/my/cluster/experts",
                "/my/cluster/hours",
                "/my/cluster/statements",
                f"/my/cluster/statements/{self.settlement_a.id}/pdf",
            ],
            "por_exp_a": ["/my/cluster", "/my/cluster/hours", "/my/cluster/agreements"],
        }
        for login, urls in pages.items():
            self._login(login)
            for url in urls:
                with self.assertNoLogs("odoo.http", level="WARNING"):
                    response = self._open(url)
                self.assertEqual(response.status_code, 200, f"{login} {url}")
                self._count()

    def test_a_write_on_a_readonly_route_is_caught(self):
        """The check above can fail: a page that writes is retried with a warning."""
        original = ClusterExpertPortal._cluster_experts_page

        def writing_page(portal, *args, **kwargs):
            from odoo.http import request

            request.env.user.partner_id.sudo().comment = "written"
            return original(portal, *args, **kwargs)

        self._login("por_sig_a")
        with (
            patch.object(ClusterExpertPortal, "_cluster_experts_page", writing_page),
            self.assertLogs("odoo.http", level="WARNING") as logs,
            mute_logger("odoo.sql_db"),
        ):
            response = self._open("/my/cluster/experts")
        self.assertEqual(response.status_code, 200)
        self.assertIn("read/write cursor", "\n".join(logs.output))
