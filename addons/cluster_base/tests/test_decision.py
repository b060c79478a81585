from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ClusterCommon


@tagged("post_install", "-at_install")
class TestDecision(ClusterCommon):
    def test_numbered_per_year(self):
        Decision = self.env["cluster.decision"].with_user(self.cluster_manager)
        first = Decision.create({"title": "Admit A", "date": "2026-03-01"})
        second = Decision.create({"title": "Admit B", "date": "2026-04-01"})
        other_year = Decision.create({"title": "Admit C", "date": "2027-01-10"})
        self.assertRegex(first.name, r"^2026:\d{2,}$")
        self.assertEqual(int(second.name[5:]), int(first.name[5:]) + 1)
        self.assertEqual(other_year.name, "2027:01")

    def test_user_cannot_create(self):
        with self.assertRaises(AccessError):
            self.env["cluster.decision"].with_user(self.cluster_user).create({"title": "X"})
