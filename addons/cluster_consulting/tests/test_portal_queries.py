# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The portal pages cost the same number of queries for a firm with one record and for
a firm with several, of several kinds (bench/results.md measured the overview, the
projects and the agreements pages growing between a small and a big firm)."""

import logging
from datetime import date

from odoo import Command
from odoo.tests import tagged

from .portal_common import SIGNATORY, PortalCommon

_logger = logging.getLogger(__name__)

PAGES = (
    "/my/cluster",
    "/my/cluster/projects",
    "/my/cluster/agreements",
    "/my/cluster/experts",
    "/my/cluster/hours",
    "/my/cluster/statements",
)


@tagged("post_install", "-at_install")
class TestPortalQueryGrowth(PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        # firm C, a new member: one expert, one agreement with one hour, one joint project
        cls.firm_c = Partner.create({"name": "Cirkelkraft AB", "is_company": True})
        signatory = Partner.create(
            {
                "name": "Cilla Sten",
                "parent_id": cls.firm_c.id,
                "email": "cilla@example.com",
                "cluster_is_signatory": True,
            }
        )
        cls.signatory_c_user = cls.env["res.users"].create(
            {
                "login": "por_sig_c",
                "password": "por_sig_c",
                "partner_id": signatory.id,
                "groups_id": [Command.set(cls._groups(SIGNATORY))],
            }
        )
        cls.expert_c = cls._expert_of(cls.firm_c, "Carl Ås")
        agreement = cls._activate(cls._create_agreement(expert_id=cls.expert_c.id, hour_cap=10.0))
        cls._log(agreement, date(2026, 3, 2), 1.0)
        cls._joint_project_of(cls.firm_c, "Cirkelprojekt 0")

    @classmethod
    def _groups(cls, xmlids):
        return [cls.env.ref(xmlid).id for xmlid in xmlids.split(",")]

    @classmethod
    def _expert_of(cls, firm, name):
        person = cls.env["res.partner"].create({"name": name, "parent_id": firm.id})
        return (
            cls.env["cluster.expert"]
            .with_user(cls.cluster_manager)
            .create({"partner_id": person.id, "hourly_rate": 750.0, "hours_per_month": 20.0})
        )

    @classmethod
    def _joint_project_of(cls, firm, name):
        return cls.env["project.project"].create(
            {
                "name": name,
                "is_joint_project": True,
                "allow_timesheets": True,
                "cluster_participant_ids": [
                    Command.create(
                        {"partner_id": firm.id, "cost_share": 100.0, "hourly_value": 400.0}
                    )
                ],
            }
        )

    def _queries(self):
        self.authenticate("por_sig_c", "por_sig_c")
        counts = {}
        for url in PAGES:
            self._open(url)  # warm the caches
            before = self.cr.sql_log_count
            response = self._open(url)
            self.assertEqual(response.status_code, 200, url)
            counts[url] = self.cr.sql_log_count - before
        return counts

    def test_pages_do_not_grow_with_the_firm(self):
        small = self._queries()
        # Several of every kind: experts, agreements lent to the association, to firm A
        # and bought from firm B on other projects, their hours, joint projects.
        for i in range(6):
            expert = self._expert_of(self.firm_c, f"Expert C{i}")
            project = self._joint_project_of(self.firm_c, f"Cirkelprojekt {i + 1}")
            project.allow_timesheets = True
            lent = self._activate(
                self._create_agreement(
                    expert_id=expert.id,
                    project_id=project.id,
                    hour_cap=10.0,
                    **({"buyer_kind": "member", "buyer_id": self.firm_a.id} if i % 2 else {}),
                )
            )
            self._log(lent, date(2026, 3, 2 + i), 1.0)
            bought = self._activate(
                self._create_agreement(
                    expert_id=self._expert_of(self.firm_b, f"Expert B{i}").id,
                    project_id=project.id,
                    hour_cap=5.0,
                    buyer_kind="member",
                    buyer_id=self.firm_c.id,
                )
            )
            self._log(bought, date(2026, 3, 2 + i), 0.5)
        big = self._queries()
        _logger.info("portal queries, one record / several: %s / %s", small, big)
        self.assertEqual(big, small)
