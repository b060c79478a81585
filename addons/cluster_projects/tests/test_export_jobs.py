import io
from datetime import date

import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.cluster_base.tests.jobs_common import JobCapture

from .common import ClusterProjectsCommon


@tagged("post_install", "-at_install")
class TestExportJobs(ClusterProjectsCommon):
    """The funder XLSX (and claim pack), the cluster ledger and the SIE export run as jobs
    on the export channel; each request persists, shows its state and keeps its file for
    the user who asked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._grant()
        cls._log(cls.employee_a, 6.0, day=date(2026, 3, 2))
        cls.env.company.company_registry = "556677-8899"

    def _run(self, wizard, kind):
        jobs = JobCapture(self)
        action = wizard.action_export_job()
        request = self.env["cluster.job.request"].browse(action["res_id"])
        self.assertEqual(request.kind, kind)
        [job] = jobs.records
        self.assertEqual((job.records, job.method_name), (request, "_cluster_job_run"))
        self.assertEqual(job.args[0], wizard._name)
        self.assertEqual(job.channel, "root.cluster.export")
        self.assertEqual(request.cluster_job_state, "queued")
        self.assertFalse(request.attachment_id, "the button writes no file")
        jobs.run()
        self.assertEqual(request.cluster_job_state, "done")
        self.assertTrue(request.attachment_id)
        self.assertEqual(request.attachment_id.res_model, "cluster.job.request")
        self.assertEqual(request.attachment_id.res_id, request.id)
        self.assertIn("is ready", request.summary)
        return request

    def test_funder_report_job(self):
        wizard = (
            self.env["cluster.funder.report"]
            .with_user(self.cluster_user)
            .create(
                {
                    "project_id": self.project.id,
                    "date_from": date(2026, 3, 1),
                    "date_to": date(2026, 3, 31),
                }
            )
        )
        request = self._run(wizard, "funder_report")
        # the user reopens the run later and downloads the workbook
        request = request.with_user(self.cluster_user)
        book = openpyxl.load_workbook(io.BytesIO(request.attachment_id.raw), read_only=True)
        self.assertIn("Summary", book.sheetnames)
        self.assertEqual(
            request.action_download()["url"],
            f"/web/content/{request.attachment_id.id}?download=true",
        )
        # another cluster user sees neither the run nor its file
        other = self.env["res.users"].create(
            {
                "name": "Other user",
                "login": "export_other",
                "groups_id": [(6, 0, self.cluster_user.groups_id.ids)],
            }
        )
        self.assertFalse(
            self.env["cluster.job.request"].with_user(other).search([("id", "=", request.id)])
        )
        with self.assertRaises(AccessError):
            request.attachment_id.with_user(other).read(["raw"])

    def test_ledger_export_job(self):
        wizard = self.env["cluster.ledger.export"].with_user(self.cluster_user).create({})
        request = self._run(wizard, "ledger_export")
        book = openpyxl.load_workbook(io.BytesIO(request.attachment_id.raw), read_only=True)
        self.assertIn("Ledger", book.sheetnames)

    def test_sie_export_job(self):
        wizard = (
            self.env["cluster.sie.export"]
            .with_user(self.cluster_manager)
            .create({"date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)})
        )
        request = self._run(wizard, "sie_export")
        self.assertEqual(request.attachment_id.name, "5566778899_2026.se")
        self.assertIn(b"#SIETYP 4", request.attachment_id.raw)

    def test_export_job_refused_to_whom_the_export_is(self):
        # the SIE export is the managers': a cluster user cannot even open it
        jobs = JobCapture(self)
        with self.assertRaises(AccessError):
            self.env["cluster.sie.export"].with_user(self.cluster_user).create(
                {"date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)}
            ).action_export_job()
        # a funder report needs read access to the project
        outsider = self.env["res.users"].create(
            {
                "name": "Board reader",
                "login": "export_outsider",
                "groups_id": [(6, 0, self.env.ref("base.group_user").ids)],
            }
        )
        with self.assertRaises(AccessError):
            self.env["cluster.funder.report"].with_user(outsider).create(
                {"project_id": self.project.id}
            ).action_export_job()
        self.assertFalse(jobs.records)
