from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import ConsultingCommon


@tagged("post_install", "-at_install")
class TestAgreement(ConsultingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.signatory_a_user = new_test_user(
            cls.env,
            login="cons_sig_a",
            groups="base.group_portal,cluster_base.cluster_base_group_signatory",
            partner_id=cls.signatory_a.id,
        )
        cls.signatory_b_user = new_test_user(
            cls.env,
            login="cons_sig_b",
            groups="base.group_portal,cluster_base.cluster_base_group_signatory",
            partner_id=cls.signatory_b.id,
        )

    def test_defaults(self):
        agreement = self._create_agreement()
        self.assertRegex(agreement.name, r"^AGR/2026/\d{4}$")
        self.assertEqual(agreement.lender_id, self.firm_a)
        self.assertEqual(agreement.signatory_id, self.signatory_a)
        self.assertEqual(agreement.buyer_id, self.company.partner_id)
        self.assertEqual(agreement.hourly_rate, 800.0, "rate from the expert")
        self.assertEqual(agreement.amount_cap, 48000.0)
        self.assertEqual(agreement.currency_id, self.company.currency_id)
        other = self._create_agreement(hour_cap=10.0, hourly_rate=650.0)
        self.assertEqual(other.hourly_rate, 650.0, "rate can be overridden")

    def test_state_machine_and_who(self):
        agreement = self._create_agreement()
        # a plain cluster user and a board member cannot request
        for user in (self.cluster_user, self.board_user):
            with self.assertRaises(AccessError):
                agreement.with_user(user).action_request()
        agreement.with_user(self.cluster_manager).action_request()
        self.assertEqual(agreement.state, "requested")
        self.assertIn(self.signatory_a, agreement.message_ids[0].partner_ids)
        # the other firm's signatory cannot answer; the lender's can
        with self.assertRaises(AccessError):
            agreement.with_user(self.signatory_b_user).action_lender_approve()
        with self.assertRaises(AccessError):
            agreement.with_user(self.cluster_user).action_lender_approve()
        agreement.with_user(self.signatory_a_user).action_lender_approve()
        self.assertEqual(agreement.state, "lender_approved")
        self.assertEqual(agreement.lender_approved_by, self.signatory_a_user)
        self.assertTrue(agreement.lender_approved_on)
        # approving twice is refused
        with self.assertRaises(UserError):
            agreement.with_user(self.signatory_a_user).action_lender_approve()
        with self.assertRaises(AccessError):
            agreement.with_user(self.board_user).action_activate()
        agreement.with_user(self.cluster_manager).action_activate()
        self.assertEqual(agreement.state, "active")
        with self.assertRaises(UserError):
            agreement.with_user(self.cluster_manager).action_request()
        agreement.with_user(self.cluster_manager).action_close()
        self.assertEqual(agreement.state, "closed")
        with self.assertRaises(UserError):
            agreement.with_user(self.cluster_manager).action_cancel()

    def test_decline_cancel_reset(self):
        agreement = self._create_agreement()
        agreement.with_user(self.cluster_manager).action_request()
        agreement.with_user(self.signatory_a_user).action_lender_decline()
        self.assertEqual(agreement.state, "declined")
        agreement.with_user(self.cluster_manager).action_reset_draft()
        self.assertEqual(agreement.state, "draft")
        agreement.with_user(self.cluster_manager).action_cancel()
        self.assertEqual(agreement.state, "cancelled")

    def test_request_needs_signatory(self):
        self.signatory_a.cluster_is_signatory = False
        agreement = self._create_agreement()
        self.assertFalse(agreement.signatory_id)
        with self.assertRaises(UserError):
            agreement.with_user(self.cluster_manager).action_request()

    def test_activation_above_threshold_needs_decision(self):
        self.company.cluster_agreement_decision_threshold = 10000.0
        agreement = self._create_agreement()
        self.assertTrue(agreement.decision_required)
        agreement = agreement.with_user(self.cluster_manager)
        agreement.action_request()
        agreement.action_lender_approve()
        with self.assertRaises(UserError):
            agreement.action_activate()
        agreement.action_request_decision()
        decision = agreement.decision_id
        self.assertEqual((decision.res_model, decision.res_id), (agreement._name, agreement.id))
        with self.assertRaises(UserError):
            agreement.action_activate()
        decision.action_adopt()
        agreement.action_activate()
        self.assertEqual(agreement.state, "active")

    def test_bad_amounts(self):
        for values in (
            {"hour_cap": 0.0},
            {"hour_cap": -5.0},
            {"hourly_rate": 0.0},
            {"hour_cap": float("nan")},
            {"hourly_rate": float("inf")},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                self._create_agreement(**values)

    def test_buyer_rules(self):
        with self.assertRaises(ValidationError):
            self._create_agreement(buyer_kind="member")
        with self.assertRaises(ValidationError):
            self._create_agreement(fee_percent=5.0)
        with self.assertRaises(ValidationError):
            self._create_agreement(buyer_kind="member", buyer_id=self.firm_a.id)
        agreement = self._create_agreement(
            buyer_kind="member", buyer_id=self.firm_b.id, fee_percent=10.0
        )
        self.assertEqual(agreement.buyer_id, self.firm_b)

    def test_overlap_beyond_released_hours(self):
        # 40 h/month; March-May have 22, 22 and 21 working days: 80 h take 27.08 h in
        # March and April and 25.85 h in May
        self._create_agreement(hour_cap=80.0)
        with self.assertRaisesRegex(ValidationError, "releases"):
            # April: 27.08 + 50 x 22/43 = 52.66 h
            self._create_agreement(hour_cap=50.0, date_from=date(2026, 4, 1))
        # outside the period there is room again
        self._create_agreement(
            hour_cap=50.0, date_from=date(2026, 6, 1), date_to=date(2026, 7, 31)
        )
        # a cancelled agreement frees its hours (38 h take 12.86 h in March and April)
        agreement = self._create_agreement(hour_cap=38.0)
        agreement.with_user(self.cluster_manager).action_cancel()
        self._create_agreement(hour_cap=38.0, project_id=self.other_project.id)

    def test_raise_cap(self):
        agreement = self._activate(self._create_agreement(hour_cap=10.0))
        wizard = (
            self.env["cluster.agreement.raise.cap"]
            .with_user(self.cluster_manager)
            .create(
                {
                    "agreement_id": agreement.id,
                    "new_cap": 20.0,
                    "reason": "More coaching",
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(agreement.hour_cap, 20.0)
        self.assertIn("More coaching", agreement.message_ids[0].body)
        with self.assertRaises(UserError):
            agreement.with_user(self.cluster_manager)._raise_cap(15.0, "lower")
        with self.assertRaises(AccessError):
            agreement.with_user(self.cluster_user)._raise_cap(30.0, "not mine")

    def test_cannot_delete_active(self):
        agreement = self._activate(self._create_agreement())
        with self.assertRaises(UserError):
            agreement.with_user(self.cluster_manager).unlink()
