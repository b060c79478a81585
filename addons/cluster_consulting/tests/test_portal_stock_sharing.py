# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Class "stock portal rules decide by followers" (SECURITY.md: followers must never
decide which firm sees what).

An admin shares projects both ways, as stock Odoo lets them: portal visibility, the
other firm's signatory as follower of the project and its tasks, and as collaborator
(project sharing, which switches on Odoo's portal timesheet rule). The stock pages
``/my/projects``, ``/my/tasks`` and ``/my/timesheets`` and JSON-RPC still hold none of
the other firm's projects, tasks or hours; agreement projects are never portal-visible;
a joint project's project-wide figures are internal.
"""

from datetime import date

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .portal_common import PortalCommon


@tagged("post_install", "-at_install")
class TestPortalStockSharing(PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        Employee = cls.env["hr.employee"]
        cls.employee_a = Employee.create(
            {
                "name": "Anna Anbud",
                "work_contact_id": Partner.create(
                    {"name": "Anna Anbud", "parent_id": cls.firm_a.id}
                ).id,
            }
        )
        cls.employee_b = Employee.create(
            {
                "name": "Bo Bygg",
                "work_contact_id": Partner.create(
                    {"name": "Bo Bygg", "parent_id": cls.firm_b.id}
                ).id,
            }
        )
        cls.staff = Employee.create({"name": "Kalle Kansli"})
        # firm A is the customer of a project of the association
        cls.customer_project_a = cls.env["project.project"].create(
            {
                "name": "Anbuds kundprojekt",
                "partner_id": cls.firm_a.id,
                "allow_timesheets": True,
                "privacy_visibility": "portal",
            }
        )
        cls.task_a = cls.env["project.task"].create(
            {"name": "Anbuds hemliga uppgift", "project_id": cls.customer_project_a.id}
        )
        cls.hour_customer_a = cls._hour(
            cls.customer_project_a, cls.staff, "Anbuds kundtimme", task=cls.task_a
        )
        # a joint project of both firms with each firm's in-kind hours and a warning
        # naming both firms' cash
        cls.joint = cls.env["project.project"].create(
            {
                "name": "Gemensamt delat projekt",
                "is_joint_project": True,
                "allow_timesheets": True,
                "privacy_visibility": "portal",
                "cluster_participant_ids": [
                    Command.create(
                        {
                            "partner_id": cls.firm_a.id,
                            "role": "lead",
                            "cost_share": 50.0,
                            "committed_cash": 7777.0,
                        }
                    ),
                    Command.create(
                        {"partner_id": cls.firm_b.id, "cost_share": 50.0, "committed_cash": 3333.0}
                    ),
                ],
            }
        )
        # running: commitments are due, the warning names both firms' cash
        cls.env.cr.execute(
            "UPDATE project_project SET cluster_stage = 'running' WHERE id = %s", [cls.joint.id]
        )
        cls.joint.invalidate_recordset(["cluster_stage"])
        cls.in_kind_a = cls._hour(cls.joint, cls.employee_a, "Anbuds egen insats")
        cls.in_kind_b = cls._hour(cls.joint, cls.employee_b, "Byggfaktas egen insats")
        # the agreement project shared the way an old database could have it
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE project_project SET privacy_visibility = 'portal' WHERE id = %s",
            [cls.project.id],
        )
        cls.project.invalidate_recordset(["privacy_visibility"])
        # the admin shares everything with both firms' signatories
        signatories = cls.signatory_a | cls.signatory_b
        for project in (cls.customer_project_a, cls.joint, cls.project):
            project.message_subscribe(partner_ids=signatories.ids)
            project.task_ids.message_subscribe(partner_ids=signatories.ids)
        cls.task_a.message_subscribe(partner_ids=signatories.ids)
        cls.env["project.collaborator"].create(
            [
                {"project_id": project.id, "partner_id": partner.id}
                for project in (cls.customer_project_a, cls.joint)
                for partner in signatories
            ]
        )
        cls.secrets_a = [
            "Anbuds kundprojekt",
            "Anbuds hemliga uppgift",
            "Anbuds kundtimme",
            "Anbuds egen insats",
            "Hemlig workshop Anbud",
        ]

    @classmethod
    def _hour(cls, project, employee, name, task=None):
        return cls.env["account.analytic.line"].create(
            {
                "name": name,
                "project_id": project.id,
                "task_id": task.id if task else False,
                "employee_id": employee.id,
                "unit_amount": 2.0,
                "date": date(2026, 3, 2),
            }
        )

    def test_fixture(self):
        self.assertEqual(self.in_kind_a.cluster_member_id, self.firm_a)
        self.assertEqual(self.in_kind_b.cluster_member_id, self.firm_b)
        self.assertFalse(self.hour_customer_a.cluster_hour_use)
        self.assertEqual(self.project.privacy_visibility, "portal")
        self.assertIn(self.signatory_b, self.customer_project_a.message_partner_ids)

    def test_other_firm_sees_nothing_on_stock_pages(self):
        b_own = ["Byggfaktas egen insats"]
        self.assertPageWithout(
            "por_sig_b",
            "/my/projects",
            self.secrets_a + ["Nordic markets"],
            ["Gemensamt delat projekt"],
        )
        self.assertPageWithout("por_sig_b", "/my/tasks", self.secrets_a)
        self.assertPageWithout("por_sig_b", "/my/timesheets", self.secrets_a + ["7,777.00"], b_own)
        self.assertSameAsMissing(
            "por_sig_b",
            f"/my/projects/{self.customer_project_a.id}",
            "/my/projects/99999999",
            self.secrets_a,
        )
        self.assertSameAsMissing(
            "por_sig_b",
            f"/my/tasks/{self.task_a.id}",
            "/my/tasks/99999999",
            self.secrets_a,
        )
        # the firm's own rows are still there (the pages work)
        self.assertPageWithout(
            "por_sig_a",
            "/my/timesheets",
            b_own + ["Hemlig workshop Anbud", "Leverans till Anbud"],
            ["Anbuds kundtimme", "Anbuds egen insats"],
        )
        self.assertPageWithout("por_sig_a", "/my/projects", [], ["Anbuds kundprojekt"])
        self.assertPageWithout("por_sig_a", "/my/tasks", [], ["Anbuds hemliga uppgift"])
        # the expert of firm A sees no other expert's hours on the stock page
        self.assertPageWithout(
            "por_exp_a",
            "/my/timesheets",
            b_own + ["Leverans till Anbud", "Intern Byggfakta analys"],
        )

    def test_other_firm_reads_nothing_over_rpc(self):
        self._login("por_sig_b")
        for model, records in (
            ("project.project", self.customer_project_a | self.project),
            ("project.task", self.task_a),
            ("account.analytic.line", self.hour_customer_a | self.in_kind_a | self.hour_a),
        ):
            found = {r["id"] for r in self._rpc(model, "search_read", [], fields=["id"])}
            self.assertFalse(found & set(records.ids), model)
            self.assertRpcRefused(model, "read", records.ids[:1], ["id"])
            self._count()
        found = {
            r["id"] for r in self._rpc("account.analytic.line", "search_read", [], fields=["id"])
        }
        self.assertIn(self.in_kind_b.id, found)
        # the joint project is B's too, but its project-wide figures are internal
        fields = self._rpc("project.project", "fields_get", [], attributes=[])
        for fname in (
            "cluster_cofinancing_warning",
            "cluster_member_cash",
            "cluster_participant_ids",
            "cluster_plan_private",
        ):
            self.assertNotIn(fname, fields)
            self.assertRpcRefused("project.project", "read", self.joint.ids, [fname])
        self.assertIn("7777.00", self.joint.cluster_cofinancing_warning or "")
        self._count(2)

    def test_agreement_projects_never_portal_visible(self):
        shared = self.env["project.project"].create(
            {"name": "Delat köpprojekt", "allow_timesheets": True, "privacy_visibility": "portal"}
        )
        self._create_agreement(project_id=shared.id, hour_cap=1.0)
        self.assertEqual(shared.privacy_visibility, "employees")
        with self.assertRaises(ValidationError):
            shared.write({"privacy_visibility": "portal"})
        self._count(2)
