from odoo.tests import tagged

from odoo.addons.cluster_base.tests.common import ClusterCommon


@tagged("post_install", "-at_install")
class TestHourUse(ClusterCommon):
    def test_hour_use_is_one_value(self):
        field = self.env["account.analytic.line"]._fields["cluster_hour_use"]
        self.assertEqual(field.type, "selection")
        self.assertFalse(field.copy, "a copied hour must not inherit its use")


@tagged("post_install", "-at_install")
class TestTimesheetReport(ClusterCommon):
    def test_report_knows_the_searched_fields(self):
        """The timesheet report's search view inherits our extended search view."""
        report = self.env["timesheets.analysis.report"]
        view = self.env.ref("hr_timesheet.hr_timesheet_report_search")
        arch = report.get_view(view.id, "search")["arch"]
        self.assertIn("cluster_member_id", arch)
        for name in ("cluster_member_id", "cluster_hour_use", "cluster_cost_category"):
            self.assertIn(name, report._fields)
        # the SQL view exposes the columns: grouping works
        report.read_group([], ["unit_amount:sum"], ["cluster_member_id"])
