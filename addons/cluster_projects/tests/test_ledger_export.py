import io
import os
import tempfile
from datetime import date

import openpyxl

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import ClusterProjectsCommon


@tagged("post_install", "-at_install")
class TestLedgerExport(ClusterProjectsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._grant()
        cls._log(cls.employee_a, 6.0, day=date(2026, 2, 2))
        cls._log(cls.employee_b, 5.0, day=date(2026, 3, 4))
        cls._cost(-3000.0, "external", day=date(2026, 5, 5))
        cls.other = cls.env["project.project"].create(
            {
                "name": "Norrbotten bygger digitalt",
                "is_joint_project": True,
                "date_start": date(2026, 1, 1),
                "date": date(2026, 12, 31),
                "cluster_participant_ids": [
                    Command.create(
                        {"partner_id": cls.firm_b.id, "cost_share": 100.0, "hourly_value": 400.0}
                    )
                ],
            }
        )
        cls.env["account.analytic.line"].create(
            {
                "name": "Workshop",
                "project_id": cls.other.id,
                "employee_id": cls.employee_b.id,
                "unit_amount": 3.0,
                "date": date(2026, 4, 1),
            }
        )
        # a project that is not a joint project stays out of the export
        cls.internal = cls.env["project.project"].create({"name": "Internt"})

    def _export(self, user, **vals):
        wizard = self.env["cluster.ledger.export"].with_user(user).create(vals)
        action = wizard.action_export()
        self.assertIn(f"/web/content/{wizard.attachment_id.id}", action["url"])
        return openpyxl.load_workbook(io.BytesIO(wizard.attachment_id.sudo().raw), read_only=True)

    def _ledger(self, book):
        rows = list(book["Ledger"].iter_rows(values_only=True))
        return rows[0], [row for row in rows[1:] if row[0] in (self.project.name, self.other.name)]

    def test_whole_cluster(self):
        book = self._export(self.cluster_user)
        self.assertEqual(book.sheetnames, ["Projects", "Ledger"])
        header, rows = self._ledger(book)
        self.assertEqual(
            header,
            (
                "Project",
                "Date",
                "Description",
                "Person",
                "Firm",
                "Hour use",
                "Cost category",
                "Hours",
                "Amount",
                "In-kind value",
            ),
        )
        self.assertEqual(
            [(r[0], r[1], r[3], r[4], r[5], r[6], r[7], r[9]) for r in rows],
            [
                (
                    "Offentlig sektor som marknad",
                    "2026-02-02",
                    "Anna Ringtorp",
                    "Ringtorp Information AB",
                    "In-kind co-financing",
                    "Own staff (in-kind)",
                    6.0,
                    3000.0,
                ),
                (
                    "Offentlig sektor som marknad",
                    "2026-03-04",
                    "Bertil Kvarnbo",
                    "Kvarnbo Telemarketing AB",
                    "In-kind co-financing",
                    "Own staff (in-kind)",
                    5.0,
                    1200.0,
                ),
                (
                    "Offentlig sektor som marknad",
                    "2026-05-05",
                    None,
                    None,
                    None,
                    "External services",
                    0.0,
                    0.0,
                ),
                (
                    "Norrbotten bygger digitalt",
                    "2026-04-01",
                    "Bertil Kvarnbo",
                    "Kvarnbo Telemarketing AB",
                    "In-kind co-financing",
                    "Own staff (in-kind)",
                    3.0,
                    1200.0,
                ),
            ],
        )
        projects = {row[0]: row for row in book["Projects"].iter_rows(min_row=2, values_only=True)}
        self.assertNotIn("Internt", projects)
        # eligible = 3 000 cash + 6 x 500 + 5 x 240 in-kind
        self.assertEqual(projects[self.project.name][1], 7200.0)
        self.assertEqual(projects[self.other.name][4], 3.0)

    def test_projects_and_period(self):
        book = self._export(
            self.cluster_user,
            project_ids=[Command.set(self.project.ids)],
            date_from=date(2026, 3, 1),
            date_to=date(2026, 4, 30),
        )
        _header, rows = self._ledger(book)
        self.assertEqual([(r[0], r[1]) for r in rows], [(self.project.name, "2026-03-04")])
        self.assertEqual(
            [row[0] for row in book["Projects"].iter_rows(min_row=2, values_only=True)],
            [self.project.name],
        )

    def test_bad_period(self):
        with self.assertRaisesRegex(UserError, "end after it starts"):
            self._export(self.cluster_user, date_from=date(2026, 5, 1), date_to=date(2026, 4, 1))

    def test_denied(self):
        employee = new_test_user(self.env, login="ledger_employee", groups="base.group_user")
        portal = self._portal_user("ledger_portal", self.firm_a)
        for user in (employee, portal):
            with self.assertRaises(AccessError):
                self.env["cluster.ledger.export"].with_user(user).create({})

    def _queries(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        func()
        return self.env.cr.sql_log_count - before

    def _write(self, wizard):
        fd, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(fd)
        try:
            wizard._cluster_write_xlsx(path, wizard._cluster_projects())
        finally:
            os.unlink(path)

    def _more_hours(self, count):
        self.env["account.analytic.line"].create(
            [
                {
                    "name": "Arbete",
                    "project_id": project.id,
                    "employee_id": employee.id,
                    "unit_amount": 0.5,
                    "date": date(2026, 6, 1 + i % 28),
                }
                for i in range(count)
                for project, employee in (
                    (self.project, self.employee_a),
                    (self.other, self.employee_b),
                )
            ]
        )

    def test_query_count_does_not_grow_with_lines(self):
        """The cluster export and a project's funder report cost the same queries at N and 2N
        lines (the lines are streamed, the figures grouped)."""
        wizard = self.env["cluster.ledger.export"].with_user(self.cluster_user).create({})
        report = (
            self.env["cluster.funder.report"]
            .with_user(self.cluster_user)
            .create({"project_id": self.project.id})
        )
        self._more_hours(20)
        export_n = self._queries(lambda: self._write(wizard))
        report_n = self._queries(report._cluster_build_xlsx)
        self._more_hours(40)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(export_n):
            self._write(wizard)
        self.env.invalidate_all()
        with self.assertQueryCount(report_n):
            report._cluster_build_xlsx()
