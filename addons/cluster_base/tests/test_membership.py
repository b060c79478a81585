from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ClusterMembershipCommon


@tagged("post_install", "-at_install")
class TestMembershipLifecycle(ClusterMembershipCommon):
    def _application(self, firm=None, user=None):
        Membership = self.env["cluster.membership"].with_user(user or self.cluster_user)
        membership = Membership.create(
            {"partner_id": (firm or self.firm_a).id, "membership_type_id": self.type_core.id}
        )
        membership.action_apply()
        return membership

    @freeze_time("2026-03-01")
    def test_full_lifecycle(self):
        # a cluster user registers the application
        membership = self._application()
        self.assertEqual(membership.state, "applied")
        self.assertTrue(membership.date_application)
        board_activity = self.env.ref("cluster_base.mail_activity_type_board_decision")
        self.assertEqual(membership.activity_ids.activity_type_id, board_activity)
        self.assertEqual(membership.contribution_amount, 10000.0)
        self.assertEqual(self.firm_a.cluster_member_state, "applicant")
        self.assertFalse(self.firm_a.is_cluster_member)
        # ... but cannot admit it, not even with a decision
        decision = self._adopted_decision(date=membership.date_application)
        with self.assertRaises(AccessError):
            membership.admission_decision_id = decision
        with self.assertRaises(AccessError):
            membership.action_admit()
        # the manager admits it with the adopted board decision
        membership = membership.with_user(self.cluster_manager)
        membership.admission_decision_id = decision
        membership.action_admit()
        self.assertEqual(membership.state, "admitted")
        self.assertEqual(membership.date_admission, decision.date)
        self.assertFalse(membership.activity_ids)
        self.assertEqual((decision.res_model, decision.res_id), (membership._name, membership.id))
        self.assertTrue(self.firm_a.is_cluster_member)
        # admission invoiced the contribution: one draft customer invoice in SEK
        invoice = membership.move_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.currency_id, self.currency)
        self.assertEqual(invoice.amount_total, 10000.0)
        self.assertEqual(membership.contribution_state, "to_invoice")
        # the draft is on its way: no second invoice
        self.assertEqual(membership.contribution_to_invoice, 0.0)
        with self.assertRaisesRegex(UserError, "already invoiced"):
            membership.action_invoice_contribution()
        invoice.action_post()
        self.assertEqual(membership.contribution_invoiced, 10000.0)
        self.assertEqual(membership.contribution_state, "invoiced")
        with self.assertRaises(UserError):
            membership.action_activate()
        # the payment makes the membership active
        self._pay(invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(membership.contribution_paid, 10000.0)
        self.assertEqual(membership.contribution_state, "paid")
        self.assertEqual(membership.state, "active")
        # the firm resigns; the membership ends but stays in the register
        with freeze_time("2026-09-30"):
            membership.exit_reason = "Moves its business abroad"
            membership.action_resign()
        self.assertEqual(membership.state, "resigned")
        self.assertEqual(str(membership.date_exit), "2026-09-30")
        self.assertEqual(self.firm_a.cluster_member_state, "former")
        self.assertEqual(str(membership.contribution_repayable_date), "2027-06-30")
        # the contribution is repaid only after the next annual accounts
        with freeze_time("2027-03-01"), self.assertRaises(UserError):
            membership.action_repay_contribution()
        with freeze_time("2027-07-01"):
            membership.action_repay_contribution()
        refund = membership.move_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertEqual(refund.amount_total, 10000.0)
        refund.action_post()
        self._pay(refund)
        self.assertEqual(membership.contribution_repaid, 10000.0)
        self.assertEqual(membership.contribution_state, "repaid")
        # and the firm may apply again
        again = self._application()
        self.assertEqual(again.state, "applied")
        self.assertEqual(self.firm_a.cluster_membership_id, again)

    def test_reversed_contribution_invoice_does_not_activate(self):
        membership = self._application().with_user(self.cluster_manager)
        membership.admission_decision_id = self._adopted_decision(date=membership.date_application)
        membership.action_admit()
        invoice = membership.move_ids
        invoice.action_post()
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Wrong amount"})
        )
        reversal.refund_moves()
        credit_note = invoice.reversal_move_ids
        credit_note.action_post()
        self.assertEqual(invoice.payment_state, "reversed")
        self.assertEqual(membership.state, "admitted")
        self.assertEqual(membership.contribution_paid, 0.0)
        self.assertEqual(membership.contribution_to_invoice, 10000.0)

    def test_admission_requires_adopted_decision(self):
        membership = self._application().with_user(self.cluster_manager)
        with self.assertRaisesRegex(UserError, "adopted board decision"):
            membership.action_admit()
        draft_decision = self.env["cluster.decision"].create({"title": "Admit Alfa"})
        membership.admission_decision_id = draft_decision
        with self.assertRaisesRegex(UserError, "adopted board decision"):
            membership.action_admit()
        # writing the state directly is refused the same way
        with self.assertRaisesRegex(ValidationError, "adopted board decision"):
            membership.write({"state": "admitted"})
        self.assertEqual(membership.state, "applied")

    def test_no_skipping_states(self):
        membership = self.env["cluster.membership"].create(
            {"partner_id": self.firm_a.id, "membership_type_id": self.type_core.id}
        )
        with self.assertRaises(UserError):
            membership.write({"state": "active"})
        with self.assertRaises(UserError):
            membership.action_resign()

    def test_associate_without_contribution_is_active_at_once(self):
        membership = self.env["cluster.membership"].create(
            {"partner_id": self.firm_b.id, "membership_type_id": self.type_associate.id}
        )
        membership.action_apply()
        membership.admission_decision_id = self._adopted_decision(date=membership.date_application)
        membership.with_user(self.cluster_manager).action_admit()
        self.assertEqual(membership.state, "active")
        self.assertFalse(membership.move_ids)
        self.assertEqual(membership.contribution_state, "none")

    def test_second_open_membership_refused(self):
        self._active_membership(self.firm_a)
        with self.assertRaisesRegex(ValidationError, "already has an open membership"):
            self._application()

    def test_exit_before_admission_refused(self):
        membership = self._active_membership(self.firm_a, date="2026-02-01")
        with self.assertRaisesRegex(ValidationError, "exit date"):
            membership.write({"date_exit": "2026-01-15"})
        self.assertFalse(membership.date_exit)

    def test_negative_contribution_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.env["cluster.membership"].create(
                {
                    "partner_id": self.firm_a.id,
                    "membership_type_id": self.type_core.id,
                    "contribution_amount": -1.0,
                }
            )
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.type_core.contribution_amount = -100.0

    def test_exclusion_requires_decision(self):
        membership = self._active_membership(self.firm_a).with_user(self.cluster_manager)
        with self.assertRaisesRegex(UserError, "adopted decision"):
            membership.action_exclude()
        membership.exclusion_decision_id = self._adopted_decision(title="Exclude Alfa")
        membership.action_exclude()
        self.assertEqual(membership.state, "excluded")
        self.assertEqual(self.firm_a.cluster_member_state, "former")

    def test_rights_per_step(self):
        membership = self._active_membership(self.firm_a)
        for user in (self.cluster_user, self.cluster_board):
            with self.assertRaises(AccessError):
                membership.with_user(user).action_resign()
            with self.assertRaises(AccessError):
                membership.with_user(user).write({"contribution_amount": 1.0})
            with self.assertRaises(AccessError):
                membership.with_user(user).unlink()
        self.assertEqual(membership.state, "active")
        self.assertEqual(membership.contribution_amount, 10000.0)

    def test_intent_required(self):
        self.type_core.intent_required = True
        membership = self.env["cluster.membership"].create(
            {"partner_id": self.firm_a.id, "membership_type_id": self.type_core.id}
        )
        with self.assertRaisesRegex(UserError, "statement of intent"):
            membership.action_apply()
        self.firm_a.cluster_intent_date = "2026-01-10"
        membership.action_apply()
        self.assertEqual(membership.state, "applied")

    def test_ended_membership_cannot_be_deleted(self):
        membership = self._active_membership(self.firm_a)
        with self.assertRaises(UserError):
            membership.unlink()


@tagged("post_install", "-at_install")
class TestMemberRegisterReport(ClusterMembershipCommon):
    def test_report_lists_members_and_contributions(self):
        self.firm_a.company_registry = "556036-0793"
        membership = self._active_membership(self.firm_a)
        html, _format = (
            self.env["ir.actions.report"]
            .with_user(self.cluster_user)
            ._render_qweb_html("cluster_base.report_member_register", membership.ids)
        )
        html = html.decode()
        self.assertIn("Testbolaget Alfa AB", html)
        self.assertIn("556036-0793", html)
        self.assertIn("Test core firm", html)


@tagged("post_install", "-at_install")
class TestMembershipRejection(ClusterMembershipCommon):
    def test_reject_and_apply_again(self):
        membership = (
            self.env["cluster.membership"]
            .with_user(self.cluster_user)
            .create({"partner_id": self.firm_b.id, "membership_type_id": self.type_core.id})
        )
        membership.action_apply()
        with self.assertRaises(AccessError):
            membership.action_reject()
        membership.with_user(self.cluster_manager).action_reject()
        self.assertEqual(membership.state, "rejected")
        self.assertEqual(self.firm_b.cluster_member_state, "none")
        # a rejected application does not block a new one, and may be deleted
        again = (
            self.env["cluster.membership"]
            .with_user(self.cluster_user)
            .create({"partner_id": self.firm_b.id, "membership_type_id": self.type_core.id})
        )
        self.assertEqual(self.firm_b.cluster_membership_id, again)
        membership.with_user(self.cluster_manager).unlink()
        self.assertFalse(membership.exists())

    def test_user_registers_application_in_form(self):
        form = Form(self.env["cluster.membership"].with_user(self.cluster_user))
        form.partner_id = self.firm_b
        form.membership_type_id = self.type_associate
        form.membership_type_id = self.type_core
        self.assertEqual(form.contribution_amount, 10000.0)
        membership = form.save()
        self.assertEqual(membership.contribution_amount, 10000.0)
        with Form(membership.with_user(self.cluster_user)) as edit:
            edit.membership_type_id = self.type_associate
        self.assertEqual(membership.contribution_amount, 0.0)
        # but a contribution of its own choosing is the manager's to set
        with self.assertRaises(AccessError):
            membership.with_user(self.cluster_user).contribution_amount = 1.0
        with self.assertRaises(AccessError):
            self.env["cluster.membership"].with_user(self.cluster_user).create(
                {
                    "partner_id": self.firm_a.id,
                    "membership_type_id": self.type_core.id,
                    "admission_decision_id": self._adopted_decision().id,
                }
            )

    def test_board_cannot_run_fees_or_admit(self):
        membership = self.env["cluster.membership"].create(
            {"partner_id": self.firm_b.id, "membership_type_id": self.type_core.id}
        )
        membership.action_apply()
        membership.admission_decision_id = self._adopted_decision(date=membership.date_application)
        with self.assertRaises(AccessError):
            membership.with_user(self.cluster_board).action_admit()
        with self.assertRaises(AccessError):
            self.env["cluster.fee.run"].with_user(self.cluster_board).create({"year": 2026})
        # the board takes the decisions
        decision = (
            self.env["cluster.decision"]
            .with_user(self.cluster_board)
            .create({"title": "Admit Beta"})
        )
        decision.action_adopt()
        self.assertEqual(decision.state, "adopted")
        self.assertEqual(membership.state, "applied")
