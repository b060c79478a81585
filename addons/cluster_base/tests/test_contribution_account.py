from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ClusterMembershipCommon


@tagged("post_install", "-at_install")
class TestContributionAccount(ClusterMembershipCommon):
    """A capital contribution is members' capital (BAS 2083), never revenue."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Account = cls.env["account.account"]
        cls.account_2083 = Account.search(
            [*Account._check_company_domain(cls.company), ("code", "=", "2083")], limit=1
        )
        if not cls.account_2083:  # a chart without BAS 2083: make the account of the rule
            cls.account_2083 = Account.create(
                {"code": "2083", "name": "Medlemsinsatser", "account_type": "equity"}
            )
        cls.income_account = (
            cls.env["product.product"]
            .browse(cls.env.ref("cluster_base.product_cluster_contribution").id)
            ._get_product_accounts()["income"]
        )

    def _admitted(self):
        membership = self.env["cluster.membership"].create(
            {"partner_id": self.firm_a.id, "membership_type_id": self.type_core.id}
        )
        membership.action_apply()
        membership.admission_decision_id = self._adopted_decision(date="2026-03-01")
        membership.action_admit()
        return membership

    @freeze_time("2026-03-01")
    def test_invoice_and_repayment_use_2083(self):
        self.company.cluster_contribution_account_id = False
        membership = self._admitted()
        invoice = membership.move_ids
        invoice.action_post()
        line = invoice.invoice_line_ids
        self.assertEqual(line.account_id, self.account_2083)
        self.assertNotEqual(line.account_id, self.income_account)
        # the credit of 10,000 SEK lands on the members' capital
        self.assertEqual(line.credit, 10000.0)
        self._pay(invoice)
        self.assertEqual(membership.state, "active")
        with freeze_time("2026-09-30"):
            membership.exit_reason = "Merged with another member"
            membership.action_resign()
        with freeze_time("2027-07-01"):
            membership.action_repay_contribution()
        refund = membership.move_ids.filtered(lambda m: m.move_type == "out_refund")
        refund.action_post()
        # the repayment debits the members' capital back
        self.assertEqual(refund.invoice_line_ids.account_id, self.account_2083)
        self.assertEqual(refund.invoice_line_ids.debit, 10000.0)

    @freeze_time("2026-03-01")
    def test_company_setting_wins(self):
        other = self.env["account.account"].create(
            {"code": "2084", "name": "Förlagsinsatser test", "account_type": "equity"}
        )
        self.company.cluster_contribution_account_id = other
        membership = self._admitted()
        self.assertEqual(membership.move_ids.invoice_line_ids.account_id, other)

    def test_income_account_refused(self):
        with self.assertRaisesRegex(ValidationError, "not revenue"):
            self.company.cluster_contribution_account_id = self.income_account
        self.assertFalse(self.company.cluster_contribution_account_id)
