"""The experts' mailing list: active experts of member firms, kept in step."""

from odoo.tests import tagged

from odoo.addons.cluster_base.tests.common import ClusterMembershipCommon

from .common import ConsultingCommon


@tagged("post_install", "-at_install")
class TestExpertMailingList(ConsultingCommon, ClusterMembershipCommon):
    def _emails(self):
        subscriptions = self.env["mailing.subscription"].search(
            [
                ("list_id", "=", self.env.ref("cluster_base.mailing_list_cluster_experts").id),
                ("opt_out", "=", False),
            ]
        )
        return set(subscriptions.contact_id.mapped("email_normalized"))

    def setUp(self):
        super().setUp()
        self.env.cr.postcommit.clear()

    def _commit_hooks(self):
        """The sync a change schedules after commit, run here."""
        self.env.flush_all()
        self.assertTrue(self.env.cr.postcommit.data.get("cluster_base.mailing_sync"))
        self.env.cr.postcommit.clear()
        self.env["mailing.list"]._cluster_sync_all()
        self.env.invalidate_all()

    def test_experts_of_member_firms(self):
        self.env["mailing.list"]._cluster_sync_all()
        self.assertFalse({"astrid@example.com", "bertil@example.com"} & self._emails())
        self._active_membership(self.firm_a)
        self._commit_hooks()
        emails = self._emails()
        self.assertIn("astrid@example.com", emails)
        self.assertNotIn("bertil@example.com", emails, "firm B is no member")
        self.assertNotIn("sara@example.com", emails, "a signatory is no expert")
        self.expert_a.active = False
        self._commit_hooks()
        self.assertNotIn("astrid@example.com", self._emails())
