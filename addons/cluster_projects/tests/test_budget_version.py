import io
from datetime import date, datetime

import openpyxl

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import ClusterProjectsCommon


@tagged("post_install", "-at_install")
class TestBudgetVersion(ClusterProjectsCommon):
    """The applied, granted and amended budgets; actuals against the version in force."""

    def _line(self, category, amount, start=date(2026, 1, 1), end=date(2026, 12, 31), **vals):
        return self.env["cluster.budget.line"].create(
            {
                "project_id": self.project.id,
                "category": category,
                "date_from": start,
                "date_to": end,
                "amount_planned": amount,
                **vals,
            }
        )

    def test_first_line_gets_a_granted_draft_version(self):
        travel = self._line("travel", 1000.0)
        other = self._line("other", 500.0)
        version = travel.version_id
        self.assertEqual((version.kind, version.state, version.number), ("granted", "draft", 1))
        self.assertEqual(other.version_id, version)
        self.assertTrue(version.is_in_force)
        self.assertEqual(self.project.cluster_budget_version_id, version)
        self.assertEqual(self.project.cluster_budget_line_ids, travel | other)
        self.assertEqual(version.amount_planned, 1500.0)

    def test_approve_lock_amend(self):
        travel = self._line("travel", 1000.0)
        self._cost(-1200.0, "travel")
        granted = travel.version_id.with_user(self.cluster_manager)
        with self.assertRaisesRegex(UserError, "approval date and reference"):
            granted.action_approve()
        granted.write({"approved_on": date(2026, 2, 1), "funder_ref": "Dnr 2026-17"})
        self.assertIs(granted.action_approve(), True)
        # approved: neither the version nor its lines change any more
        with self.assertRaisesRegex(UserError, "create a new amendment"):
            travel.with_user(self.cluster_manager).amount_planned = 2000.0
        with self.assertRaisesRegex(UserError, "create a new amendment"):
            granted.note = "ändrad"
        with self.assertRaisesRegex(UserError, "create a new amendment"):
            self._line("other", 10.0)
        with self.assertRaisesRegex(UserError, "create a new amendment"):
            travel.with_user(self.cluster_manager).unlink()
        # the amendment copies the version in force
        action = self.project.with_user(self.cluster_manager).action_cluster_new_budget_amendment()
        amendment = self.env["cluster.budget.version"].browse(action["res_id"])
        self.assertEqual(
            (amendment.kind, amendment.state, amendment.number), ("amendment", "draft", 2)
        )
        self.assertEqual(amendment.line_ids.mapped("amount_planned"), [1000.0])
        self.assertFalse(amendment.is_in_force, "a draft amendment is not in force")
        self.assertEqual(self.project.cluster_budget_line_ids, travel)
        self.assertEqual(travel.amount_actual, 1200.0)
        self.assertTrue(travel.is_over_plan)
        amendment.line_ids.with_user(self.cluster_manager).amount_planned = 1500.0
        amendment.with_user(self.cluster_manager).write(
            {"approved_on": date(2026, 6, 1), "funder_ref": "Dnr 2026-17/2"}
        )
        amendment.with_user(self.cluster_manager).action_approve()
        # actuals now compare with the amendment; the granted budget stays as it was
        self.assertTrue(amendment.is_in_force)
        self.assertFalse(granted.is_in_force)
        self.assertEqual(self.project.cluster_budget_version_id, amendment)
        new_line = self.project.cluster_budget_line_ids
        self.assertEqual(new_line, amendment.line_ids)
        self.assertEqual((new_line.amount_actual, new_line.is_over_plan), (1200.0, False))
        self.assertEqual(travel.amount_planned, 1000.0)
        lines = self.env["cluster.budget.line"].search(
            [("project_id", "=", self.project.id), ("version_id.is_in_force", "=", True)]
        )
        self.assertEqual(lines, new_line)

    def test_applied_version_is_not_in_force_once_granted(self):
        Version = self.env["cluster.budget.version"]
        applied = Version.create({"project_id": self.project.id, "kind": "applied"})
        self._line("external", 9000.0, version_id=applied.id)
        applied.write({"approved_on": date(2025, 11, 1)})
        applied.action_approve()
        granted = Version.create(
            {
                "project_id": self.project.id,
                "kind": "granted",
                "approved_on": date(2026, 1, 10),
                "funder_ref": "Dnr 1",
            }
        )
        self._line("external", 7000.0, version_id=granted.id)
        self.assertEqual(self.project.cluster_budget_version_id, granted)
        granted.action_approve()
        self.assertEqual(self.project.cluster_budget_version_id, granted)
        self.assertEqual(self.project.cluster_budget_line_ids.amount_planned, 7000.0)

    def test_only_manager_approves(self):
        version = self._line("travel", 1000.0).version_id
        version.write({"approved_on": date(2026, 2, 1), "funder_ref": "Dnr"})
        with self.assertRaises(AccessError):
            version.with_user(self.cluster_user).action_approve()
        self.assertEqual(version.with_user(self.cluster_user).state, "draft")

    def test_migration_puts_lines_in_a_granted_version(self):
        line = self._line("travel", 1000.0)
        old = line.version_id
        self.env.cr.execute(
            "UPDATE cluster_budget_line SET version_id = NULL WHERE id = %s", (line.id,)
        )
        line.invalidate_recordset(["version_id"])
        old.unlink()
        versions = self.env["cluster.budget.version"]._cluster_create_missing_versions()
        version = versions.filtered(lambda v: v.project_id == self.project)
        self.assertEqual(line.version_id, version)
        self.assertEqual((version.kind, version.state), ("granted", "draft"))
        self.assertTrue(version.is_in_force)
        self.assertFalse(
            self.env["cluster.budget.line"].search_count([("version_id", "=", False)]),
            "every line has a version",
        )


@tagged("post_install", "-at_install")
class TestApplication(ClusterProjectsCommon):
    """The application's XLSX equals the hand figures."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project.date = date(2027, 12, 31)
        cls.participant_b.write({"valuation_method": "hourly_value", "hourly_value": 300.0})
        Version = cls.env["cluster.budget.version"]
        cls.applied = Version.create({"project_id": cls.project.id, "kind": "applied"})
        Line = cls.env["cluster.budget.line"]
        for category, amount, year in (
            ("external", 20000.0, 2026),
            ("external", 10000.0, 2027),
            ("travel", 2500.0, 2026),
            ("own_staff_in_kind", 6200.0, 2027),
        ):
            Line.create(
                {
                    "project_id": cls.project.id,
                    "version_id": cls.applied.id,
                    "category": category,
                    "date_from": date(year, 1, 1),
                    "date_to": date(year, 12, 31),
                    "amount_planned": amount,
                }
            )
        cls.granted = Version.create({"project_id": cls.project.id, "kind": "granted"})
        Line.create(
            {
                "project_id": cls.project.id,
                "version_id": cls.granted.id,
                "category": "other",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
                "amount_planned": 99.0,
            }
        )
        cls.env["cluster.grant"].create(
            {
                "name": "Dnr 2026-1",
                "project_id": cls.project.id,
                "funder_id": cls.funder.id,
                "amount_granted": 15000.0,
                "date_from": date(2026, 1, 1),
                "date_to": date(2027, 12, 31),
            }
        )
        cls.env["event.event"].create(
            {
                "name": "Ledarskap för mellanchefer",
                "cluster_project_id": cls.project.id,
                "date_begin": datetime(2026, 3, 10, 8, 0),
                "date_end": datetime(2026, 3, 10, 14, 0),
            }
        )
        cls.env["cluster.indicator"].create(
            {
                "project_id": cls.project.id,
                "kind": "new_jobs",
                "date_from": date(2026, 1, 1),
                "date_to": date(2027, 12, 31),
                "target": 4.0,
            }
        )

    def _wizard(self, user):
        return (
            self.env["cluster.application.wizard"]
            .with_user(user)
            .create({"project_id": self.project.id})
        )

    def test_xlsx_equals_hand_figures(self):
        wizard = self._wizard(self.cluster_user)
        self.assertEqual(wizard.version_id, self.applied, "the applied budget by default")
        action = wizard.action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        book = openpyxl.load_workbook(io.BytesIO(wizard.attachment_id.raw), read_only=True)
        self.assertEqual(
            book.sheetnames, ["Participants", "Budget", "Financing", "Activities", "Indicators"]
        )
        participants = list(book["Participants"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(
            participants,
            [
                (self.firm_a.name, "Lead partner", 60, 10000, 10, 5000),
                (self.firm_b.name, "Participant", 40, 5000, 4, 1200),
            ],
        )
        budget = list(book["Budget"].iter_rows(values_only=True))
        self.assertEqual(
            budget,
            [
                ("Cost type", "2026", "2027", "Total"),
                ("Own staff (in-kind)", 0, 6200, 6200),
                ("External services", 20000, 10000, 30000),
                ("Travel", 2500, 0, 2500),
                ("Total", 22500, 16200, 38700),
            ],
        )
        financing = {
            label: amount
            for label, amount in book["Financing"].iter_rows(min_row=2, values_only=True)
            if label
        }
        self.assertEqual(financing["Planned cost"], 38700)
        self.assertEqual(financing["Public funding (grants)"], 15000)
        # 10 000 + 10 h x 500 and 5 000 + 4 h x 300
        self.assertEqual(financing["Private funding (commitments)"], 21200)
        self.assertEqual(financing["Financing gap"], 2500)
        self.assertEqual(financing[f"Grant Dnr 2026-1 ({self.funder.name})"], 15000)
        activities = list(book["Activities"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(activities[0][0], "Ledarskap för mellanchefer")
        self.assertEqual(activities[0][1].date(), date(2026, 3, 10))
        indicators = list(book["Indicators"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(indicators[0][0], "New jobs")
        self.assertEqual(indicators[0][3], 4)

    def test_other_version_and_pdf(self):
        wizard = self._wizard(self.cluster_user)
        wizard.version_id = self.granted
        wizard.action_export_xlsx()
        book = openpyxl.load_workbook(io.BytesIO(wizard.attachment_id.raw), read_only=True)
        self.assertEqual(
            list(book["Budget"].iter_rows(min_row=2, values_only=True)),
            [("Other", 99, 99), ("Total", 99, 99)],
        )
        action = wizard.action_print_pdf()
        self.assertEqual(action["report_name"], "cluster_projects.report_cluster_application")
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.cluster_user)
            ._render_qweb_html(
                "cluster_projects.report_cluster_application",
                self.project.ids,
                data=action["data"],
            )
        )
        html = html.decode()
        self.assertIn("Granted 2", html)
        self.assertNotIn("Applied 1", html)
        self.assertIn(self.firm_a.name, html)
        self.assertIn("Ledarskap för mellanchefer", html)

    def test_refusals(self):
        other = self.env["project.project"].create({"name": "Annat", "is_joint_project": True})
        wizard = self._wizard(self.cluster_user)
        wizard.version_id = self.env["cluster.budget.version"].create(
            {"project_id": other.id, "kind": "applied"}
        )
        with self.assertRaisesRegex(UserError, "not a version of"):
            wizard.action_export_xlsx()
        empty = self.env["cluster.application.wizard"].create({"project_id": other.id})
        empty.version_id = False
        with self.assertRaisesRegex(UserError, "has no budget"):
            empty.action_export_xlsx()
        employee = new_test_user(self.env, login="plain_employee", groups="base.group_user")
        with self.assertRaises(AccessError):
            self._wizard(employee)
