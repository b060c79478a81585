"""Newsletters: the cluster's mailing lists follow the member register, opt-outs stay."""

from odoo.tests import tagged

from .common import ClusterMembershipCommon


@tagged("post_install", "-at_install")
class TestMailingLists(ClusterMembershipCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.list_all = cls.env.ref("cluster_base.mailing_list_cluster_all")
        cls.list_sign = cls.env.ref("cluster_base.mailing_list_cluster_signatories")
        cls.anna = Partner.create(
            {"name": "Anna Alfa", "parent_id": cls.firm_a.id, "email": "anna@alfa.example"}
        )
        cls.sven = Partner.create(
            {
                "name": "Sven Signatur",
                "parent_id": cls.firm_a.id,
                "email": "Sven <sven@alfa.example>",
                "cluster_is_signatory": True,
            }
        )
        cls.bo = Partner.create(
            {"name": "Bo Beta", "parent_id": cls.firm_b.id, "email": "bo@beta.example"}
        )
        cls.nomail = Partner.create({"name": "Utan Post", "parent_id": cls.firm_a.id})
        cls.membership_a = cls._active_membership(cls.firm_a)

    def _emails(self, mailing_list, opted_out=False):
        """Addresses of this test's contacts on the list (a database may hold others)."""
        subscriptions = self.env["mailing.subscription"].search(
            [("list_id", "=", mailing_list.id), ("opt_out", "=", opted_out)]
        )
        return set(subscriptions.contact_id.mapped("email_normalized")) & {
            "anna@alfa.example",
            "anna2@alfa.example",
            "sven@alfa.example",
            "bo@beta.example",
            "bo2@beta.example",
        }

    def setUp(self):
        super().setUp()
        self.env.cr.postcommit.clear()

    def _commit_hooks(self, scheduled=True):
        """What happens once the transaction is committed: the sync it scheduled."""
        self.env.flush_all()
        if scheduled:
            self.assertTrue(
                self.env.cr.postcommit.data.get("cluster_base.mailing_sync"),
                "the change schedules the sync after commit",
            )
        self.env.cr.postcommit.clear()
        self.env["mailing.list"]._cluster_sync_all()
        self.env.invalidate_all()

    def test_lists_follow_the_register(self):
        self._commit_hooks(scheduled=False)
        self.assertEqual(self._emails(self.list_all), {"anna@alfa.example", "sven@alfa.example"})
        self.assertEqual(self._emails(self.list_sign), {"sven@alfa.example"})
        # firm B becomes a member: Bo joins at the next commit
        self._active_membership(self.firm_b)
        self._commit_hooks()
        self.assertIn("bo@beta.example", self._emails(self.list_all))
        # Sven stops signing: he leaves the signatories' list, stays on the members' one
        self.sven.cluster_is_signatory = False
        self._commit_hooks()
        self.assertEqual(self._emails(self.list_sign), set())
        self.assertIn("sven@alfa.example", self._emails(self.list_all))
        # firm A resigns: its contacts leave the lists
        self.membership_a.action_resign()
        self._commit_hooks()
        self.assertEqual(self._emails(self.list_all), {"bo@beta.example"})

    def test_unsubscribed_stays_unsubscribed(self):
        self._commit_hooks(scheduled=False)
        subscription = self.env["mailing.subscription"].search(
            [
                ("list_id", "=", self.list_all.id),
                ("contact_id.email_normalized", "=", "anna@alfa.example"),
            ]
        )
        subscription.opt_out = True
        self.anna.email = "anna@alfa.example"  # any change: the sync runs again
        self._commit_hooks()
        self.env["mailing.list"]._cron_cluster_sync()
        self.assertIn("anna@alfa.example", self._emails(self.list_all, opted_out=True))
        self.assertNotIn("anna@alfa.example", self._emails(self.list_all))
        # the opt-out is kept even when her firm leaves and comes back
        self.membership_a.action_resign()
        self._commit_hooks()
        self.assertIn("anna@alfa.example", self._emails(self.list_all, opted_out=True))

    def test_sync_is_once_per_transaction(self):
        self.anna.email = "anna2@alfa.example"
        self.bo.email = "bo2@beta.example"
        self.assertEqual(len(self.env.cr.postcommit._funcs), 1, "one sync for the transaction")
        self._commit_hooks()
        self.assertIn("anna2@alfa.example", self._emails(self.list_all))
        self.assertNotIn("anna@alfa.example", self._emails(self.list_all))
