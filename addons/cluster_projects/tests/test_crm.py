from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ClusterProjectsCommon


@tagged("post_install", "-at_install")
class TestCrmConversion(ClusterProjectsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # CRM rights come with cluster_base's CRM; give them here so the test stands
        # alone
        cls.cluster_manager.groups_id |= cls.env.ref("sales_team.group_sale_salesman")
        cls.won = cls.env["crm.stage"].create(
            {"name": "Vunnen (test)", "is_won": True, "sequence": 99}
        )
        cls.open_stage = cls.env["crm.stage"].create({"name": "Ny (test)", "sequence": 98})
        vals = {
            "name": "Gemensam offentlig upphandling",
            "type": "opportunity",
            "partner_id": cls.firm_a.id,
            "stage_id": cls.open_stage.id,
            "user_id": cls.cluster_manager.id,
        }
        if "cluster_opportunity_kind" in cls.env["crm.lead"]._fields:
            vals["cluster_opportunity_kind"] = "joint_market"
        cls.lead = cls.env["crm.lead"].create(vals)

    def test_won_opportunity_converts_once(self):
        lead = self.lead.with_user(self.cluster_manager)
        self.assertFalse(lead.cluster_can_create_project)
        with self.assertRaisesRegex(UserError, "Only a won joint-market opportunity"):
            lead.action_cluster_create_joint_project()
        self.lead.stage_id = self.won
        lead.invalidate_recordset()
        self.assertTrue(lead.cluster_can_create_project)
        action = lead.action_cluster_create_joint_project()
        project = self.env["project.project"].browse(action["res_id"])
        self.assertTrue(project.is_joint_project)
        self.assertEqual(project.cluster_stage, "idea")
        self.assertEqual(project.cluster_lead_id, self.lead)
        self.assertEqual(project.cluster_participant_ids.partner_id, self.firm_a)
        self.assertEqual(project.cluster_participant_ids.role, "lead")
        self.assertTrue(project.account_id)
        lead.invalidate_recordset()
        self.assertFalse(lead.cluster_can_create_project)
        with self.assertRaisesRegex(UserError, "without a joint project"):
            lead.action_cluster_create_joint_project()

    def test_cluster_user_cannot_convert(self):
        self.lead.stage_id = self.won
        user = self.cluster_user
        user.groups_id |= self.env.ref("sales_team.group_sale_salesman")
        with self.assertRaises(AccessError):
            self.lead.with_user(user).action_cluster_create_joint_project()
