from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import ClusterMembershipCommon


@tagged("post_install", "-at_install")
class TestClusterCrm(ClusterMembershipCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env,
            login="cluster_salesman",
            groups="cluster_base.cluster_base_group_user,sales_team.group_sale_salesman",
        )
        cls.won_stage = cls.env.ref("cluster_base.crm_stage_cluster_won")

    def _lead(self, **vals):
        return (
            self.env["crm.lead"]
            .with_user(self.salesman)
            .create(
                {
                    "name": "Recruit Epsilon",
                    "type": "opportunity",
                    "partner_name": "Testbolaget Epsilon AB",
                    "cluster_opportunity_kind": "recruit_member",
                    "cluster_membership_type_id": self.type_core.id,
                    "team_id": self.env.ref("cluster_base.crm_team_cluster").id,
                    **vals,
                }
            )
        )

    def test_won_lead_becomes_application(self):
        lead = self._lead(cluster_interested_partner_ids=[(6, 0, self.firm_a.ids)])
        self.assertFalse(lead.cluster_can_create_membership)
        with self.assertRaises(UserError):
            lead.action_cluster_create_membership()
        lead.stage_id = self.won_stage
        self.assertTrue(lead.cluster_can_create_membership)
        action = lead.action_cluster_create_membership()
        membership = self.env["cluster.membership"].browse(action["res_id"])
        self.assertEqual(membership.state, "applied")
        self.assertEqual(membership.partner_id.name, "Testbolaget Epsilon AB")
        self.assertTrue(membership.partner_id.is_company)
        self.assertEqual(membership.lead_id, lead)
        self.assertEqual(lead.partner_id, membership.partner_id)
        self.assertFalse(lead.cluster_can_create_membership)
        with self.assertRaises(UserError):
            lead.action_cluster_create_membership()

    def test_other_kinds_do_not_create_members(self):
        lead = self._lead(cluster_opportunity_kind="joint_market", stage_id=self.won_stage.id)
        self.assertFalse(lead.cluster_can_create_membership)
        with self.assertRaises(UserError):
            lead.action_cluster_create_membership()
