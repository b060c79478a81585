"""Expert-time mails from templates: the request to the lender's signatory and the hours
waiting for the buyer's approval — translated, queued, and without money."""

from datetime import date

from odoo.tests import new_test_user, tagged

from .common import ConsultingCommon


@tagged("post_install", "-at_install")
class TestConsultingMails(ConsultingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.expert_user = new_test_user(
            cls.env, login="mail_expert_a", groups="base.group_portal", partner_id=cls.person_a.id
        )
        cls.person_a.name = "Astrid Lind"  # new_test_user renames the partner

    def _messages_to(self, record, partner):
        return record.message_ids.filtered(
            lambda m: partner in m.partner_ids and m.message_type == "comment"
        )

    def test_request_to_the_lender_without_money(self):
        agreement = self._create_agreement(hour_cap=40.0, hourly_rate=850.0)
        agreement.action_request()
        message = self._messages_to(agreement, self.signatory_a)
        self.assertEqual(len(message), 1)
        self.assertIn("Request to lend Astrid Lind", message.subject)
        self.assertIn("40", message.body)
        self.assertIn(f"/my/cluster/agreements/{agreement.id}", message.body)
        self.assertNotIn("850", message.body)
        mails = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(set(mails.mapped("state")), {"outgoing"}, "queued, sent after commit")

    def test_hours_to_approve_go_to_the_buying_firm(self):
        agreement = self._activate(
            self._create_agreement(
                buyer_kind="member", buyer_id=self.firm_b.id, fee_percent=10.0, hour_cap=40.0
            )
        )
        hours = self._log(agreement, date(2026, 3, 2), 3.0) | self._log(
            agreement, date(2026, 3, 3), 2.5
        )
        # the expert (a portal user) submits their own hours
        hours.with_user(self.expert_user).action_cluster_submit()
        message = self._messages_to(agreement, self.signatory_b)
        self.assertEqual(len(message), 1, "one mail per agreement, not per hour")
        self.assertIn("Hours to approve", message.subject)
        self.assertIn("5.5", message.body)
        self.assertIn("/my/cluster/hours?filterby=submitted", message.body)
        self.assertFalse(
            self._messages_to(agreement, self.signatory_a).filtered(
                lambda m: "Hours to approve" in (m.subject or "")
            ),
            "the lender's signatory does not approve",
        )

    def test_hours_bought_by_the_association_give_an_activity(self):
        agreement = self._activate(self._create_agreement(hour_cap=40.0))
        hours = self._log(agreement, date(2026, 3, 2), 3.0)
        hours.with_user(self.expert_user).action_cluster_submit()
        activity = agreement.activity_ids.filtered(
            lambda a: a.summary == "Approve the submitted hours"
        )
        self.assertEqual(activity.user_id, agreement.user_id)
