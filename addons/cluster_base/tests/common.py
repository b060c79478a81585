from contextlib import contextmanager

from odoo import Command
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
        cls.cluster_board = new_test_user(
            cls.env, login="cluster_board", groups="cluster_base.cluster_base_group_board"
        )

    @contextmanager
    def _assertRaisesRegexRollback(self, exception, regex):
        with self.assertRaises(exception) as cm:
            yield cm
        self.assertRegex(str(cm.exception), regex)

    def assertRaisesRegex(self, exception, regex, *args, **kwargs):
        """Like ``assertRaises``, roll back to a savepoint on the expected error.

        unittest's version keeps whatever the failed call left in the cache and the
        database, so "nothing saved changes" could not be asserted after it.
        """
        if args or kwargs:
            return super().assertRaisesRegex(exception, regex, *args, **kwargs)
        return self._assertRaisesRegexRollback(exception, regex)


class ClusterMembershipCommon(ClusterCommon):
    """Membership types, firms and helpers for tests of the member register."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.currency = cls.company.currency_id
        cls.fee_product = cls.env["product.product"].create(
            {
                "name": "Test annual fee",
                "type": "service",
                "membership": True,
                "list_price": 5000.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.type_core = cls.env["cluster.membership.type"].create(
            {
                "name": "Test core firm",
                "category": "core",
                "contribution_amount": 10000.0,
                "fee_product_id": cls.fee_product.id,
                "voting_right": True,
            }
        )
        cls.type_associate = cls.env["cluster.membership.type"].create(
            {
                "name": "Test associate",
                "category": "associate",
                "contribution_amount": 0.0,
                "voting_right": False,
            }
        )
        cls.firm_a = cls.env["res.partner"].create(
            {"name": "Testbolaget Alfa AB", "is_company": True, "cluster_municipality": "Testby"}
        )
        cls.firm_b = cls.env["res.partner"].create(
            {"name": "Testbolaget Beta AB", "is_company": True, "cluster_municipality": "Testby"}
        )

    @classmethod
    def _adopted_decision(cls, title="Admission", date="2026-02-01"):
        decision = cls.env["cluster.decision"].create({"title": title, "date": date})
        decision.action_adopt()
        return decision

    @classmethod
    def _active_membership(cls, firm, mtype=None, date="2026-02-01"):
        """An active membership created the short way (as superuser), for fixtures."""
        membership = cls.env["cluster.membership"].create(
            {"partner_id": firm.id, "membership_type_id": (mtype or cls.type_core).id}
        )
        membership.action_apply()
        membership.admission_decision_id = cls._adopted_decision(date=date)
        membership.write({"date_application": date, "date_admission": date})
        membership.write({"state": "admitted"})
        membership.write({"state": "active"})
        return membership

    def _pay(self, moves):
        """Register a full payment of posted invoices the way the accountant does."""
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=moves.ids)
            .create({"payment_date": moves[:1].invoice_date})
            ._create_payments()
        )
