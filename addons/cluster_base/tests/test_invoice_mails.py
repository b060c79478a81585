"""Fee and contribution invoices and reminders go to the firm's billing contact, from
translated templates with the invoice PDF, through the mail queue."""

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import ClusterMembershipCommon


@tagged("post_install", "-at_install")
class TestInvoiceMails(ClusterMembershipCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("cluster_base.send_invoices", "True")
        cls.billing_a = cls.env["res.partner"].create(
            {
                "name": "Ekonomi Alfa",
                "type": "invoice",
                "parent_id": cls.firm_a.id,
                "email": "ekonomi@alfa.example",
                "lang": "en_US",
            }
        )
        cls.firm_b.email = "info@beta.example"
        cls.membership_a = cls._active_membership(cls.firm_a)
        cls.membership_b = cls._active_membership(cls.firm_b)

    def _run_fees(self):
        wizard = Form(self.env["cluster.fee.run"].with_user(self.cluster_manager))
        wizard.year = 2026
        wizard.post = True
        wizard.save().action_run()
        return (self.membership_a | self.membership_b).move_ids.filtered(
            lambda m: m.cluster_move_kind == "fee"
        )

    def _mail_to(self, move, partner):
        messages = move.message_ids.filtered(
            lambda m: partner in m.partner_ids and m.message_type == "comment"
        )
        return messages

    def test_fee_invoices_go_to_the_billing_contact_with_the_pdf(self):
        moves = self._run_fees()
        move_a = moves.filtered(lambda m: m.partner_id == self.firm_a)
        move_b = moves.filtered(lambda m: m.partner_id == self.firm_b)
        message = self._mail_to(move_a, self.billing_a)
        self.assertEqual(len(message), 1, "to the invoice address, not the firm")
        self.assertIn("annual fee", message.subject)
        self.assertTrue(message.attachment_ids, "with the invoice PDF")
        self.assertTrue(move_a.is_move_sent)
        # a firm without an invoice address gets it on its own address
        self.assertEqual(len(self._mail_to(move_b, self.firm_b)), 1)
        # queued in Odoo's mail queue, not sent inside the transaction
        mails = self.env["mail.mail"].search([("mail_message_id", "in", message.ids)])
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})

    def test_reminder_mail(self):
        self.env["ir.config_parameter"].sudo().set_param("cluster_base.reminder_days", "10")
        with freeze_time("2026-03-01"):
            moves = self._run_fees()
        with freeze_time("2026-06-01"):
            reminded = self.env["cluster.membership"]._cron_fee_reminders()
        self.assertEqual(reminded, moves)
        move_a = moves.filtered(lambda m: m.partner_id == self.firm_a)
        reminder = self._mail_to(move_a, self.billing_a).filtered(
            lambda m: "reminder" in (m.subject or "")
        )
        self.assertEqual(len(reminder), 1)
        self.assertIn("5,000.00", reminder.body.replace("\xa0", " "))

    def test_in_swedish_for_a_swedish_contact(self):
        self.env["res.lang"]._activate_lang("sv_SE")
        self.env["ir.module.module"]._load_module_terms(["cluster_base"], ["sv_SE"])
        self.billing_a.lang = "sv_SE"
        self.firm_a.lang = "sv_SE"
        move_a = self._run_fees().filtered(lambda m: m.partner_id == self.firm_a)
        message = self._mail_to(move_a, self.billing_a)
        self.assertIn("årsavgift", message.subject)
        self.assertIn("Hej", message.body)

    def test_switched_off(self):
        self.env["ir.config_parameter"].sudo().set_param("cluster_base.send_invoices", False)
        move_a = self._run_fees().filtered(lambda m: m.partner_id == self.firm_a)
        self.assertFalse(self._mail_to(move_a, self.billing_a))
