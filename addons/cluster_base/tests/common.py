from odoo.tests import new_test_user
from odoo.addons.base.tests.common import BaseCommon


class ClusterCommon(BaseCommon):
    """Fixtures shared by the cluster addons' tests (importable from the other addons)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cluster_manager = new_test_user(
            cls.env, login="cluster_manager", groups="cluster_base.cluster_base_group_manager"
        )
        cls.cluster_user = new_test_user(
            cls.env, login="cluster_user", groups="cluster_base.cluster_base_group_user"
        )
