import io
from datetime import date, datetime

import openpyxl

from odoo.tests import tagged

from .common import ClusterProjectsCommon


@tagged("post_install", "-at_install")
class TestReport(ClusterProjectsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.grant = cls._grant()
        cls._log(cls.employee_a, 6.0, day=date(2026, 2, 2))
        cls._log(cls.employee_a, 4.0, day=date(2026, 3, 2))
        cls._log(cls.employee_b, 5.0, day=date(2026, 3, 4))
        cls._cost(-3000.0, "external")
        cls.invoice_a = cls._share_invoice(cls.firm_a, 10000.0)  # 15 March
        cls.payment_a = cls._pay(cls.invoice_a, 10000.0, date(2026, 3, 20))
        cls.env["cluster.grant.claim"].create(
            {
                "name": "Rekv 1",
                "grant_id": cls.grant.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 6, 30),
                "amount_claimed": 2000.0,
            }
        )
        cls.env["cluster.budget.line"].create(
            [
                {
                    "project_id": cls.project.id,
                    "category": "own_staff_in_kind",
                    "date_from": date(2026, 1, 1),
                    "date_to": date(2026, 12, 31),
                    "amount_planned": 8000.0,
                },
                {
                    "project_id": cls.project.id,
                    "category": "external",
                    "date_from": date(2026, 1, 1),
                    "date_to": date(2026, 12, 31),
                    "amount_planned": 2500.0,
                },
            ]
        )
        event = cls.env["event.event"].create(
            {
                "name": "Coachning av säljare",
                "cluster_project_id": cls.project.id,
                "cluster_activity_type": "coaching",
                "date_begin": datetime(2026, 4, 1, 8, 0),
                "date_end": datetime(2026, 4, 1, 11, 0),
            }
        )
        for name, gender in (
            ("Anna", "female"),
            ("Berit", "female"),
            ("Bengt", "male"),
        ):
            cls.env["event.registration"].create(
                {"event_id": event.id, "name": name, "cluster_gender": gender}
            )
        cls.env["cluster.indicator"].create(
            {
                "project_id": cls.project.id,
                "kind": "participants_women",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
                "target": 10,
            }
        )

    def _export(self, user):
        wizard = (
            self.env["cluster.funder.report"]
            .with_user(user)
            .create({"project_id": self.project.id})
        )
        action = wizard.action_export()
        self.assertIn(f"/web/content/{wizard.attachment_id.id}", action["url"])
        return openpyxl.load_workbook(io.BytesIO(wizard.attachment_id.sudo().raw), read_only=True)

    def test_xlsx_four_way_split(self):
        """The summary carries public/private x cash/in-kind; B is a public body."""
        self.firm_b.cluster_is_public_body = True
        book = self._export(self.cluster_user)
        summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
        self.assertEqual(
            (
                summary["Public cash"],
                summary["Public in-kind"],
                summary["Private cash"],
                summary["Private in-kind"],
            ),
            (2000.0, 1200.0, 10000.0, 5000.0),
        )
        # public grant 2 000 + B's in-kind 1 200 over 9 200 eligible
        self.assertEqual(summary["Public share (%)"], 34.78)

    def test_xlsx_cells(self):
        book = self._export(self.cluster_user)
        self.assertEqual(
            book.sheetnames,
            [
                "Summary",
                "Hours",
                "Costs",
                "Co-financing",
                "Cash received",
                "Invoiced, not paid",
                "Activities",
                "Indicators",
                "Ledger",
            ],
        )
        summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
        self.assertEqual(summary["Project"], "Offentlig sektor som marknad")
        self.assertEqual(
            (summary["Period from"], summary["Period to"]), ("2026-01-01", "2026-12-31")
        )
        self.assertEqual(summary["Funder"], "Tillväxtverket Test")
        self.assertEqual(summary["Eligible cost"], 9200.0)  # 3 000 cash + 5 000 + 1 200 in-kind
        self.assertEqual(summary["In-kind value"], 6200.0)
        self.assertEqual(summary["In-kind hours"], 15.0)
        self.assertEqual(summary["Public financing"], 2000.0)
        self.assertEqual(summary["Members' cash"], 10000.0)
        self.assertEqual(summary["Members' cash invoiced, not paid"], 0.0)
        self.assertEqual(summary["Public share (%)"], 21.74)

        hours = list(book["Hours"].iter_rows(values_only=True))
        self.assertEqual(
            hours[0], ("Month", "Firm", "Person", "Hour use", "Hours", "In-kind value")
        )
        self.assertEqual(
            hours[1:],
            [
                (
                    "2026-02",
                    "Ringtorp Information AB",
                    "Anna Ringtorp",
                    "In-kind co-financing",
                    6,
                    3000,
                ),
                (
                    "2026-03",
                    "Kvarnbo Telemarketing AB",
                    "Bertil Kvarnbo",
                    "In-kind co-financing",
                    5,
                    1200,
                ),
                (
                    "2026-03",
                    "Ringtorp Information AB",
                    "Anna Ringtorp",
                    "In-kind co-financing",
                    4,
                    2000,
                ),
            ],
        )
        costs = {row[0]: row[1:] for row in book["Costs"].iter_rows(min_row=2, values_only=True)}
        self.assertEqual(costs["Own staff (in-kind)"], (8000, 6200, 1800))
        self.assertEqual(costs["External services"], (2500, 3000, -500))
        self.assertEqual(costs["Total"], (10500, 9200, 1300))

        cofin = {
            row[0]: row[1:] for row in book["Co-financing"].iter_rows(min_row=2, values_only=True)
        }
        self.assertEqual(
            cofin["Ringtorp Information AB"],
            ("Participant", 10000, 5000, 0, 10000, 10, 10, 0),
        )
        self.assertEqual(cofin["Tillväxtverket Test"][:4], ("Grant TVV-2026-1", 0, 0, 2000))
        self.assertEqual(cofin["Total"][1:4], (10000, 6200, 2000))

        cash = list(book["Cash received"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(
            cash,
            [
                (
                    "2026-03-20",
                    "Ringtorp Information AB",
                    self.invoice_a.name,
                    self.payment_a.name,
                    10000,
                ),
                ("Total", None, None, None, 10000),
            ],
        )

        activities = list(book["Activities"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(
            activities, [("Coachning av säljare", "Coaching", "2026-04-01", 2, 1, 0, 9)]
        )
        indicators = list(book["Indicators"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(
            indicators[0][:5],
            ("Participants (women)", "2026-01-01", "2026-12-31", 10, 2),
        )
        ledger = list(book["Ledger"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(len(ledger), 5)

    def test_claim_pack_for_a_period(self):
        wizard = self.env["cluster.funder.report"].create(
            {
                "project_id": self.project.id,
                "date_from": date(2026, 3, 1),
                "date_to": date(2026, 3, 31),
            }
        )
        wizard.action_export()
        book = openpyxl.load_workbook(io.BytesIO(wizard.attachment_id.raw), read_only=True)
        summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
        # March: 4 h x 500 + 5 h x 240 in-kind, 3 000 cash; the claim's period ends in
        # June
        self.assertEqual(summary["In-kind value"], 3200.0)
        self.assertEqual(summary["Eligible cost"], 6200.0)
        self.assertEqual(summary["Public financing"], 0.0)
        costs = {row[0]: row[1:] for row in book["Costs"].iter_rows(min_row=2, values_only=True)}
        self.assertEqual(costs["Own staff (in-kind)"], (8000, 3200, 4800))
        self.assertEqual(costs["External services"], (2500, 3000, -500))
        ledger = list(book["Ledger"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(
            [row[0] for row in ledger],
            ["2026-03-02", "2026-03-04", "2026-03-15", "2026-03-15"],
        )

    def test_pdf_progress_report(self):
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "cluster_projects.project_progress_report", self.project.ids
        )
        html = html.decode()
        self.assertIn("Progress report", html)
        self.assertIn("Ringtorp Information AB", html)
        self.assertIn("9,200.00", html)
