from odoo.addons.cluster_base.tests.common import ClusterCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestHourUse(ClusterCommon):
    def test_hour_use_is_one_value(self):
        field = self.env["account.analytic.line"]._fields["cluster_hour_use"]
        self.assertEqual(field.type, "selection")
        self.assertFalse(field.copy, "a copied hour must not inherit its use")
