from odoo.tests import tagged

from odoo.addons.cluster_base.tests.common import ClusterCommon


@tagged("post_install", "-at_install")
class TestInstall(ClusterCommon):
    def test_menu_under_cluster_root(self):
        menu = self.env.ref("cluster_consulting.cluster_consulting_menu")
        self.assertEqual(menu.parent_id, self.env.ref("cluster_base.cluster_base_menu_root"))
