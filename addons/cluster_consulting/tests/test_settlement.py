from datetime import date, timedelta
from unittest.mock import patch

import psycopg2.errors

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.cluster_base.tests.jobs_common import JobCapture

from .common import ConsultingCommon

# A settlement takes every approved hour of its period in the company; the demo hours are
# dated around today, so these tests settle a year far from them.
YEAR = 2036


def _orgnr(index):
    """A valid Swedish organisation number (Luhn check digit), unique per index."""
    digits = f"559{8000 + index:04d}{index % 100:02d}"
    total = 0
    for position, char in enumerate(digits):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return f"{digits[:6]}-{digits[6:]}{(10 - total % 10) % 10}"


@tagged("post_install", "-at_install")
class TestSettlement(ConsultingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.date_from = date(YEAR, 3, 1)
        cls.date_to = date(YEAR, 5, 31)
        cls.treasurer = new_test_user(
            cls.env,
            login="cons_treasurer",
            groups="cluster_base.cluster_base_group_manager,account.group_account_invoice",
        )
        cls.agreement_a = cls._activate(cls._create_agreement(hour_cap=60.0))
        cls.agreement_b = cls._activate(
            cls._create_agreement(
                expert_id=cls.expert_b.id,
                buyer_kind="member",
                buyer_id=cls.firm_a.id,
                fee_percent=10.0,
                hour_cap=40.0,
            )
        )
        cls.hours_a = cls.env["account.analytic.line"]
        for day in (2, 3, 4):
            cls.hours_a |= cls._log(cls.agreement_a, date(YEAR, 3, day), 4.0)
        cls.hours_b = cls._log(cls.agreement_b, date(YEAR, 3, 2), 5.0) | cls._log(
            cls.agreement_b, date(YEAR, 3, 3), 5.0
        )
        cls.pending = cls._log(cls.agreement_a, date(YEAR, 3, 5), 2.0)
        cls.april = cls._log(cls.agreement_a, date(YEAR, 4, 1), 3.0)
        approved = cls.hours_a | cls.hours_b | cls.april
        (approved | cls.pending).with_user(cls.cluster_manager).action_cluster_submit()
        approved.with_user(cls.cluster_manager).action_cluster_approve()

    def _settle(self, date_from=date(YEAR, 3, 1), date_to=date(YEAR, 3, 31)):
        settlement = (
            self.env["cluster.settlement"]
            .with_user(self.treasurer)
            .create({"date_from": date_from, "date_to": date_to})
        )
        settlement.action_run()
        return settlement

    def test_run_creates_bills_and_invoices_linked_to_hours(self):
        settlement = self._settle()
        bills = settlement.move_ids.filtered(lambda m: m.move_type == "in_invoice")
        invoices = settlement.move_ids.filtered(lambda m: m.move_type == "out_invoice")
        self.assertEqual(bills.partner_id, self.firm_a | self.firm_b)
        self.assertEqual(invoices.partner_id, self.firm_a, "only the member buyer is invoiced")
        self.assertEqual(set(settlement.move_ids.mapped("state")), {"draft"})
        bill_a = bills.filtered(lambda m: m.partner_id == self.firm_a)
        self.assertEqual(bill_a.invoice_line_ids.quantity, 12.0)
        self.assertEqual(bill_a.amount_untaxed, 9600.0)
        currency = settlement.currency_id
        for move in settlement.move_ids:
            self.assertFalse(
                currency.compare_amounts(move.amount_total, move.amount_untaxed + move.amount_tax)
            )
        # hours x rate plus the 10 % fee on the member invoice
        self.assertEqual(invoices.amount_untaxed, 7000.0 + 700.0)
        # every hour on exactly one line of each kind it needs
        self.assertEqual(self.hours_a.cluster_bill_line_id, bill_a.invoice_line_ids)
        self.assertFalse(self.hours_a.cluster_invoice_line_id)
        self.assertEqual(len(self.hours_b.cluster_bill_line_id), 1)
        self.assertEqual(len(self.hours_b.cluster_invoice_line_id), 1)
        self.assertEqual(self.hours_b.cluster_invoice_line_id.move_id, invoices)
        self.assertFalse(self.pending.cluster_bill_line_id, "submitted hours wait")
        self.assertFalse(self.april.cluster_bill_line_id, "outside the period")
        self.assertEqual(settlement.unbilled_hours, 0.0)
        self.assertEqual(settlement.billed_hours, 22.0)
        self.assertEqual(self.agreement_a.hours_invoiced, 12.0)
        # net per firm: firm A owes the invoice (bought hours + fee) and is owed its bill
        self.env.flush_all()
        settlement.invalidate_recordset(["balance_ids"])
        balance = {row.partner_id: row for row in settlement.balance_ids}
        self.assertEqual(set(balance), {self.firm_a, self.firm_b})
        self.assertEqual(balance[self.firm_a].amount_owed, invoices.amount_total)
        self.assertEqual(balance[self.firm_a].amount_due, bill_a.amount_total)
        self.assertEqual(
            balance[self.firm_a].amount_period_net, invoices.amount_total - bill_a.amount_total
        )
        self.assertEqual(balance[self.firm_b].amount_period_net, -(bills - bill_a).amount_total)
        # nothing is posted yet: nothing is open in the ledger
        self.assertEqual(balance[self.firm_a].amount_net, 0.0)

    def test_statements_show_only_the_firms_own_documents(self):
        settlement = self._settle()
        self.env.flush_all()
        settlement.invalidate_recordset(["balance_ids"])
        balance_b = settlement.balance_ids.filtered(lambda b: b.partner_id == self.firm_b)
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "cluster_consulting.report_settlement_statement", balance_b.ids
            )[0]
        )
        self.assertIn(self.firm_b.name, html)
        bill_b = settlement.move_ids.filtered(lambda m: m.partner_id == self.firm_b)
        self.assertEqual(balance_b._get_statement_moves(), bill_b)
        self.assertNotIn(self.firm_a.name, html)
        with self.assertRaises(AccessError):
            settlement.with_user(self.board_user).action_send_statements()
        settlement.with_user(self.treasurer).action_send_statements()
        mails = self.env["mail.mail"].search(
            [("model", "=", "cluster.settlement"), ("res_id", "=", settlement.id)]
        )
        self.assertEqual(mails.recipient_ids, self.signatory_a | self.signatory_b)
        self.assertEqual(len(mails.attachment_ids), 2)
        # from the translated template, each firm's own statement, queued for the commit
        mail_b = mails.filtered(lambda m: self.signatory_b in m.recipient_ids)
        self.assertEqual(mail_b.subject, f"Net statement {settlement.name}")
        self.assertIn(self.firm_b.name, mail_b.body_html)
        self.assertNotIn(self.firm_a.name, mail_b.body_html)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})

    def test_netting_leaves_one_amount_per_firm(self):
        settlement = self._settle()
        settlement.move_ids.with_user(self.treasurer).action_post()
        hours_a, hours_b = (
            self.hours_a.with_env(self.env),
            self.hours_b.with_env(self.env),
        )
        invoice = hours_b.cluster_invoice_line_id.move_id
        bill_a = hours_a.cluster_bill_line_id.move_id
        bill_b = hours_b.cluster_bill_line_id.move_id
        with self.assertRaises(AccessError):
            settlement.with_user(self.board_user).action_net_balances()
        action = settlement.with_user(self.treasurer).action_net_balances()
        entries = self.env["account.move"].search(action["domain"])
        self.assertEqual(len(entries), 1, "only firm A both owes and is owed")
        self.assertEqual(entries.state, "posted")
        currency = settlement.currency_id
        self.assertFalse(currency.compare_amounts(entries.amount_total, invoice.amount_total))
        # firm A: its invoice is settled by netting, its bill keeps the difference
        self.assertEqual(invoice.payment_state, "paid")
        self.assertFalse(
            currency.compare_amounts(
                bill_a.amount_residual, bill_a.amount_total - invoice.amount_total
            )
        )
        self.assertEqual(bill_b.payment_state, "not_paid")
        # a second netting finds nothing left to net
        self.assertIs(settlement.with_user(self.treasurer).action_net_balances(), True)
        # the balance report ignores the netting entry
        self.env.flush_all()
        settlement.invalidate_recordset(["balance_ids"])
        balance_a = settlement.balance_ids.filtered(lambda b: b.partner_id == self.firm_a)
        self.assertEqual(balance_a.amount_owed, invoice.amount_total)

    def test_rerun_creates_only_what_is_new(self):
        settlement = self._settle()
        moves = settlement.move_ids
        settlement.action_run()
        self.assertEqual(settlement.move_ids, moves, "nothing new, nothing created")
        self.pending.with_user(self.project_manager).action_cluster_approve()
        settlement.action_run()
        new = settlement.move_ids - moves
        self.assertEqual(len(new), 1)
        self.assertEqual(new.partner_id, self.firm_a)
        self.assertEqual(new.invoice_line_ids.quantity, 2.0)
        self.assertEqual(self.pending.cluster_bill_line_id, new.invoice_line_ids)

    def test_settled_hours_are_frozen_and_cancel_frees_them(self):
        settlement = self._settle()
        hour = self.hours_a[0]
        with self.assertRaises(UserError):
            hour.with_user(self.cluster_manager).write({"unit_amount": 1.0})
        with self.assertRaises(UserError):
            hour.with_user(self.cluster_manager).unlink()
        bill_a = settlement.move_ids.filtered(
            lambda m: m.move_type == "in_invoice" and m.partner_id == self.firm_a
        )
        bill_a.with_user(self.treasurer).button_cancel()
        self.assertFalse(self.hours_a.cluster_bill_line_id, "cancelling frees exactly its hours")
        self.assertTrue(self.hours_b.cluster_bill_line_id)
        with self.assertRaises(UserError):
            bill_a.with_user(self.treasurer).button_draft()
        settlement.action_run()
        self.assertEqual(len(self.hours_a.cluster_bill_line_id), 1)
        self.assertNotEqual(self.hours_a.cluster_bill_line_id.move_id, bill_a)

    def test_settlement_document_stays_equal_to_its_hours(self):
        settlement = self._settle()
        moves = settlement.move_ids.with_user(self.treasurer)
        moves.action_post()
        bill_a = moves.filtered(
            lambda m: m.move_type == "in_invoice" and m.partner_id == self.firm_a
        )
        invoice = moves.filtered(lambda m: m.move_type == "out_invoice")
        # the reviewer's path: reset to draft, 12 h become 112 h, post again
        bill_a.button_draft()
        hour_line = bill_a.invoice_line_ids
        self.assertEqual(hour_line.quantity, 12.0)
        other_account = self.env["account.account"].search(
            [
                ("account_type", "=", "expense"),
                ("id", "!=", hour_line.account_id.id),
                ("company_ids", "in", bill_a.company_id.id),
            ],
            limit=1,
        )
        for vals in (
            {"quantity": 112.0},
            {"price_unit": 1.0},
            {"account_id": other_account.id},
            {"partner_id": self.firm_b.id},
        ):
            with self.assertRaisesRegex(UserError, rf"{bill_a.name}.*{settlement.name}"):
                bill_a.write({"invoice_line_ids": [Command.update(hour_line.id, vals)]})
        with self.assertRaisesRegex(UserError, "Credit settled hours"):
            bill_a.write({"partner_id": self.firm_b.id})
        fiscal_position = self.env["account.fiscal.position"].create({"name": "Test position"})
        with self.assertRaisesRegex(UserError, "Credit settled hours"):
            bill_a.write({"fiscal_position_id": fiscal_position.id})
        with self.assertRaisesRegex(UserError, settlement.name):
            invoice.button_draft()
            invoice.invoice_line_ids.filtered(lambda line: line.quantity == 10.0).write(
                {"price_unit": 1.0}
            )
        # an unchanged value and the other fields of the line stay editable
        hour_line.write({"quantity": 12.0, "name": "Coaching, March"})
        self.assertEqual(hour_line.quantity, 12.0)
        # posting checks the lines against their hours: a line that drifted is refused
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE account_move_line SET quantity = 112 WHERE id = %s", [hour_line.id]
        )
        hour_line.invalidate_recordset(["quantity"])
        with self.assertRaisesRegex(UserError, bill_a.name):
            bill_a.action_post()
        self.env.cr.execute(
            "UPDATE account_move_line SET quantity = 12 WHERE id = %s", [hour_line.id]
        )
        hour_line.invalidate_recordset(["quantity"])
        bill_a.action_post()
        self.assertEqual(bill_a.state, "posted")
        self.assertEqual(bill_a.invoice_line_ids.quantity, 12.0)
        # the association fee of the buyer's invoice is checked as well
        invoice = invoice.with_user(self.treasurer)
        invoice.button_draft()
        fee_line = invoice.invoice_line_ids.filtered(lambda line: line.quantity == 1.0)
        fee_line.write({"price_unit": fee_line.price_unit + 100.0})
        with self.assertRaisesRegex(UserError, invoice.name):
            invoice.action_post()
        # cancelling still frees the hours
        invoice.button_cancel()
        self.assertFalse(self.hours_b.cluster_invoice_line_id)
        self.assertTrue(self.hours_b.cluster_bill_line_id, "the lender's bill keeps them")
        # deleting a linked line frees its hours; a line typed in its place is refused
        bill_a.button_draft()
        bill_a.write({"invoice_line_ids": [Command.delete(hour_line.id)]})
        self.assertFalse(self.hours_a.cluster_bill_line_id)
        bill_a.write(
            {
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.env.ref(
                                "cluster_consulting.product_product_cluster_expert_time"
                            ).id,
                            "quantity": 112.0,
                            "price_unit": 800.0,
                        }
                    )
                ]
            }
        )
        with self.assertRaisesRegex(UserError, bill_a.name):
            bill_a.action_post()

    def test_partial_credit_note_frees_exactly_the_credited_hours(self):
        settlement = self._settle()
        settlement.move_ids.with_user(self.treasurer).action_post()
        credited = self.hours_b[0]
        kept = self.hours_b[1]
        invoice = kept.cluster_invoice_line_id.move_id
        bill = kept.cluster_bill_line_id.move_id
        wizard = (
            self.env["cluster.settlement.credit"]
            .with_user(self.treasurer)
            .create(
                {
                    "settlement_id": settlement.id,
                    "line_ids": [(6, 0, credited.ids)],
                    "reason": "wrong day",
                }
            )
        )
        with self.assertRaises(AccessError):
            wizard.with_user(self.cluster_user).action_confirm()
        wizard.action_confirm()
        refunds = settlement.move_ids.filtered(
            lambda m: m.move_type in ("in_refund", "out_refund")
        )
        self.assertEqual(len(refunds), 2, "one credit note per document")
        self.assertEqual(refunds.reversed_entry_id, invoice | bill)
        out_refund = refunds.filtered(lambda m: m.move_type == "out_refund")
        # 5 h x 700 plus 10 % fee
        self.assertEqual(out_refund.amount_untaxed, 3500.0 + 350.0)
        self.assertFalse(credited.cluster_bill_line_id)
        self.assertFalse(credited.cluster_invoice_line_id)
        self.assertTrue(kept.cluster_bill_line_id, "the other hour stays settled")
        self.assertTrue(kept.cluster_invoice_line_id)
        # the next run settles exactly the freed hour again
        settlement.action_run()
        self.assertEqual(credited.cluster_bill_line_id.quantity, 5.0)
        self.assertEqual(credited.cluster_invoice_line_id.quantity, 5.0)

    def test_documents_are_built_by_overridable_prepare_methods(self):
        """Bills, invoices, their hour and fee lines and the credit notes come from one
        ``_prepare_*`` method each, so an extension changes them in one place."""
        Settlement = type(self.env["cluster.settlement"])
        Credit = type(self.env["cluster.settlement.credit"])
        originals = {
            name: getattr(Settlement, name)
            for name in ("_prepare_move_vals", "_prepare_hour_line_vals", "_prepare_fee_line_vals")
        }
        original_refund = Credit._prepare_refund_vals

        def mark(name):
            def prepare(record, *args, **kwargs):
                vals = originals[name](record, *args, **kwargs)
                key = "narration" if name == "_prepare_move_vals" else "name"
                vals[key] = f"{vals.get(key) or ''} [{name}]"
                return vals

            return prepare

        def mark_refund(wizard, move, lines):
            return original_refund(wizard, move, lines) | {"narration": "[refund]"}

        with (
            patch.object(Settlement, "_prepare_move_vals", mark("_prepare_move_vals")),
            patch.object(Settlement, "_prepare_hour_line_vals", mark("_prepare_hour_line_vals")),
            patch.object(Settlement, "_prepare_fee_line_vals", mark("_prepare_fee_line_vals")),
            patch.object(Credit, "_prepare_refund_vals", mark_refund),
        ):
            settlement = self._settle()
            moves = settlement.move_ids
            self.assertEqual(len(moves), 3)
            for move in moves:
                self.assertIn("[_prepare_move_vals]", str(move.narration))
            hour_product, fee_product = settlement._get_products()
            lines = moves.invoice_line_ids
            for line in lines.filtered(lambda x: x.product_id == hour_product):
                self.assertIn("[_prepare_hour_line_vals]", line.name)
            fee_lines = lines.filtered(lambda x: x.product_id == fee_product)
            self.assertEqual(len(fee_lines), 1)
            self.assertIn("[_prepare_fee_line_vals]", fee_lines.name)
            moves.with_user(self.treasurer).action_post()
            self.env["cluster.settlement.credit"].with_user(self.treasurer).create(
                {
                    "settlement_id": settlement.id,
                    "line_ids": [(6, 0, self.hours_b.ids)],
                    "reason": "x",
                }
            ).action_confirm()
        refunds = settlement.move_ids - moves
        self.assertEqual(set(refunds.mapped("move_type")), {"in_refund", "out_refund"})
        self.assertEqual(set(refunds.mapped("narration")), {"<p>[refund]</p>"})

    def test_scheduled_run_settles_last_month(self):
        with freeze_time(f"{YEAR}-04-03"):
            jobs = JobCapture(self)
            settlement = self.env["cluster.settlement"]._cron_settle_previous_month()
            self.assertEqual(
                (settlement.date_from, settlement.date_to),
                (date(YEAR, 3, 1), date(YEAR, 3, 31)),
            )
            # the scheduled action enqueues the same job as the button
            [job] = jobs.records
            self.assertEqual((job.records, job.method_name), (settlement, "_cluster_job_run"))
            self.assertEqual(job.channel, "root.cluster.money")
            jobs.run()
            self.assertEqual(len(self.hours_a.cluster_bill_line_id), 1)
            again = self.env["cluster.settlement"]._cron_settle_previous_month()
            jobs.run()
            self.assertEqual(again, settlement, "a second call reruns the same settlement")
            self.assertEqual(len(settlement.move_ids), 3)

    def test_failed_run_leaves_nothing(self):
        settlement = (
            self.env["cluster.settlement"]
            .with_user(self.treasurer)
            .create({"date_from": date(YEAR, 3, 1), "date_to": date(YEAR, 3, 31)})
        )
        with (
            patch.object(type(settlement), "_link_hours", side_effect=UserError("boom")),
            self.assertRaises(UserError),
        ):
            settlement.action_run()
        self.assertFalse(settlement.move_ids)
        self.assertFalse(self.hours_a.cluster_bill_line_id)
        self.assertEqual(settlement.state, "draft")

    def test_links_cannot_be_written_directly(self):
        self._settle()
        hour = self.hours_a[0]
        for vals in (
            {"cluster_bill_line_id": False},
            {"cluster_invoice_line_id": False},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                hour.with_user(self.treasurer).write(vals)
        self.assertTrue(hour.cluster_bill_line_id)

    def test_deleting_a_line_frees_its_hours(self):
        settlement = self._settle()
        invoice = settlement.move_ids.filtered(lambda m: m.move_type == "out_invoice")
        hour_line = self.hours_b.cluster_invoice_line_id
        invoice.with_user(self.treasurer).write({"invoice_line_ids": [(2, hour_line.id)]})
        self.hours_b.invalidate_recordset()
        self.assertFalse(self.hours_b.cluster_invoice_line_id)
        self.assertTrue(self.hours_b.cluster_bill_line_id, "the bill line stays")

    def test_bad_input(self):
        self._settle()
        with self.assertRaises(ValidationError):
            self._settle(date(YEAR, 3, 15), date(YEAR, 4, 15))
        with self.assertRaises(ValidationError):
            self._settle(date(YEAR, 5, 31), date(YEAR, 5, 1))
        with self.assertRaises(AccessError):
            self.env["cluster.settlement"].with_user(self.cluster_user).create(
                {"date_from": date(YEAR, 6, 1), "date_to": date(YEAR, 6, 30)}
            )
        settlement = self.env["cluster.settlement"].create(
            {"date_from": date(YEAR, 4, 1), "date_to": date(YEAR, 4, 30)}
        )
        with self.assertRaises(AccessError):
            settlement.with_user(self.board_user).action_run()
        self.assertFalse(settlement.move_ids)
        # self-billing needs the lender's organisation number; nothing is created
        self.firm_a.company_registry = False
        with self.assertRaisesRegex(UserError, "organisation number"):
            settlement.with_user(self.treasurer).action_run()
        self.assertFalse(settlement.move_ids)
        self.assertFalse(self.april.with_env(self.env).cluster_bill_line_id)

    def test_rate_change_refused_once_hours_exist(self):
        with self.assertRaises(UserError):
            self.agreement_a.with_user(self.cluster_manager).write({"hourly_rate": 900.0})

    def test_query_count_does_not_grow_with_hours(self):
        agreement = self._activate(
            self._create_agreement(
                hour_cap=60.0,
                project_id=self.other_project.id,
                date_from=date(YEAR, 6, 1),
                date_to=date(YEAR, 9, 30),
                hourly_rate=600.0,
            )
        )
        lines = self.env["account.analytic.line"]
        for month, count in ((6, 3), (7, 3), (8, 10), (9, 20)):
            for offset in range(count):
                lines |= self._log(agreement, date(YEAR, month, 1) + timedelta(days=offset), 1.0)
        lines.with_user(self.cluster_manager).action_cluster_submit()
        lines.with_user(self.cluster_manager).action_cluster_approve()
        settlements = (
            self.env["cluster.settlement"]
            .with_user(self.treasurer)
            .create(
                [
                    {
                        "date_from": date(YEAR, month, 1),
                        "date_to": date(YEAR, month, 30),
                    }
                    for month in (6, 7, 8, 9)
                ]
            )
        )
        counts = []
        for settlement in settlements:  # two warm-up runs, then N and 2N hours
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            settlement.action_run()
            self.env.flush_all()
            counts.append(self.cr.sql_log_count - before)
        self.assertEqual(counts[2], counts[3], "10 and 20 hours cost the same queries")
        self.assertEqual(settlements[3].move_ids.invoice_line_ids.quantity, 20.0)

    # The documents are the ones Odoo makes ----------------------------------------

    def _reference_moves(self, moves):
        """The same documents made by Odoo alone from what a user would enter (the
        settlement's choice of taxes and account included)."""
        return self.env["account.move"].create(
            [
                {
                    "move_type": move.move_type,
                    "partner_id": move.partner_id.id,
                    "invoice_date": move.invoice_date,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": line.product_id.id,
                                "name": line.name,
                                "quantity": line.quantity,
                                "price_unit": line.price_unit,
                                "analytic_distribution": line.analytic_distribution,
                                "tax_ids": [Command.set(line.tax_ids.ids)],
                                "account_id": line.account_id.id,
                            }
                        )
                        for line in move.invoice_line_ids.sorted("id")
                    ],
                }
                for move in moves
            ]
        )

    def _assert_same_documents(self, moves):
        references = self._reference_moves(moves)
        for move, reference in zip(moves, references, strict=True):

            def lines(record):
                return sorted(
                    (
                        line.display_type,
                        line.account_id.id,
                        tuple(line.tax_ids.ids),
                        tuple(sorted(line.tax_tag_ids.ids)),
                        line.balance,
                        line.amount_currency,
                    )
                    for line in record.line_ids
                )

            with self.subTest(move=move.move_type, partner=move.partner_id.name):
                self.assertEqual(lines(move), lines(reference))
                self.assertEqual(
                    (move.amount_untaxed, move.amount_tax, move.amount_total),
                    (reference.amount_untaxed, reference.amount_tax, reference.amount_total),
                )

    def _set_countries(self):
        # firm A at home (Swedish VAT), firm B abroad (the fiscal position maps the taxes)
        self.firm_a.country_id = self.env.ref("base.se")
        self.firm_b.country_id = self.env.ref("base.no")

    def test_documents_are_the_ones_odoo_makes(self):
        self._set_countries()
        settlement = self._settle()
        self.assertTrue(settlement.move_ids.invoice_line_ids.tax_ids, "taxed lines are tested")
        self._assert_same_documents(settlement.move_ids)
        settlement.move_ids.with_user(self.treasurer).action_post()
        self.assertEqual(set(settlement.move_ids.mapped("state")), {"posted"})

    def test_wrong_expected_values_are_corrected_by_odoo(self):
        """The values given at creation only spare writes: wrong ones are rewritten."""
        self._set_countries()
        tag = self.env["account.account.tag"].search([("applicability", "=", "taxes")], limit=1)
        wrong = {
            "tax_tag_ids": [Command.set(tag.ids)],
            "amount_currency": 1.0,
            "balance": 1.0,
        }
        settlement_model = type(self.env["cluster.settlement"])
        with patch.object(settlement_model, "_expected_line_values", return_value=wrong):
            settlement = self._settle()
        self._assert_same_documents(settlement.move_ids)

    def test_untaxed_documents_keep_no_tags(self):
        """Where Odoo finds no tax at all for a document, the expected tags are dropped."""
        hour, fee = self.env["cluster.settlement"]._get_products()
        (hour | fee).write({"taxes_id": [Command.clear()], "supplier_taxes_id": [Command.clear()]})
        tag = self.env["account.account.tag"].search([("applicability", "=", "taxes")], limit=1)
        settlement_model = type(self.env["cluster.settlement"])
        with patch.object(
            settlement_model,
            "_expected_line_values",
            return_value={"tax_tag_ids": [Command.set(tag.ids)]},
        ):
            settlement = self._settle()
        untaxed = settlement.move_ids.filtered(lambda m: not m.invoice_line_ids.tax_ids)
        self.assertFalse(untaxed.invoice_line_ids.tax_tag_ids)
        self._assert_same_documents(settlement.move_ids)

    # Query-count guards ---------------------------------------------------------------

    def _firm_agreements(self, count, offset):
        """``count`` agreements from June to September, each lent by its own new firm and
        bought by another new firm (a vendor bill and a customer invoice each)."""
        firms = self.env["res.partner"].create(
            [
                {
                    "name": f"Kvotfirma {offset + i}",
                    "is_company": True,
                    "company_registry": _orgnr(offset + i),
                }
                for i in range(2 * count)
            ]
        )
        people = self.env["res.partner"].create(
            [{"name": f"Expert {offset + i}", "parent_id": firms[i].id} for i in range(count)]
        )
        self.env["res.partner"].create(
            [
                {
                    "name": f"Signatory {offset + i}",
                    "parent_id": firms[i].id,
                    "email": f"signatory{offset + i}@example.com",
                    "cluster_is_signatory": True,
                }
                for i in range(count)
            ]
        )
        return self._summer_agreements(people, firms[count:])

    def _summer_agreements(self, people, buyers):
        """One active agreement from June to September for each expert-to-be in
        ``people``, bought (5 % fee) by the buyer at the same position in ``buyers``."""
        experts = (
            self.env["cluster.expert"]
            .with_user(self.cluster_manager)
            .create(
                [
                    {"partner_id": person.id, "hourly_rate": 600.0, "hours_per_month": 200.0}
                    for person in people
                ]
            )
        )
        agreements = self.env["cluster.agreement"]
        for expert, buyer in zip(experts, buyers, strict=True):
            agreements |= self._activate(
                self._create_agreement(
                    expert_id=expert.id,
                    project_id=self.other_project.id,
                    buyer_kind="member",
                    buyer_id=buyer.id,
                    fee_percent=5.0,
                    hour_cap=40.0,
                    date_from=date(YEAR, 6, 1),
                    date_to=date(YEAR, 9, 30),
                )
            )
        return agreements

    def _approved_hours(self, agreements, month, per_agreement):
        lines = self.env["account.analytic.line"]
        for agreement in agreements:
            for offset in range(per_agreement):
                lines |= self._log(agreement, date(YEAR, month, 1) + timedelta(days=offset), 1.0)
        lines.with_user(self.cluster_manager).action_cluster_submit()
        lines.with_user(self.cluster_manager).action_cluster_approve()
        return lines

    def _count_run_and_post(self, settlements):
        counts = []
        for settlement in settlements:
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            settlement.action_run()
            settlement.move_ids.with_user(self.treasurer).action_post()
            self.env.flush_all()
            counts.append(self.cr.sql_log_count - before)
        return counts

    def _month_settlements(self):
        return (
            self.env["cluster.settlement"]
            .with_user(self.treasurer)
            .create(
                [
                    {"date_from": date(YEAR, month, 1), "date_to": date(YEAR, month, 30)}
                    for month in (6, 7, 8, 9)
                ]
            )
        )

    def test_query_count_of_run_and_post_does_not_grow_with_hours(self):
        agreements = self._firm_agreements(2, 0)
        for month, per_agreement in ((6, 2), (7, 2), (8, 5), (9, 10)):
            self._approved_hours(agreements, month, per_agreement)
        settlements = self._month_settlements()
        counts = self._count_run_and_post(settlements)  # two warm-up runs, then N and 2N
        self.assertEqual(counts[2], counts[3], "N and 2N hours cost the same queries")
        bills = settlements[3].move_ids.filtered(lambda m: m.move_type == "in_invoice")
        self.assertEqual(sum(bills.invoice_line_ids.mapped("quantity")), 20.0)

    def test_query_count_grows_at_most_linearly_with_documents(self):
        small = self._firm_agreements(2, 10)
        large = self._firm_agreements(4, 20)
        self._approved_hours(small, 6, 2)
        self._approved_hours(small, 7, 2)
        self._approved_hours(small, 8, 3)
        self._approved_hours(large, 9, 3)
        settlements = self._month_settlements()
        counts = self._count_run_and_post(settlements)  # two warm-up runs, then M and 2M
        documents = len(settlements[2].move_ids)
        self.assertEqual(documents, 4)
        self.assertEqual(len(settlements[3].move_ids), 2 * documents)
        # PERFORMANCE.md: at most 45 queries per document on top of a constant
        self.assertLessEqual(counts[3] - counts[2], 45 * documents, counts)

    def _two_then_four_agreements(self, name):
        """The June, July and August settlements of six new experts of firm A, bought by
        firm B: one approved hour each on two agreements in June (a warm-up) and July, on
        the four others in August (one bill and one invoice a month)."""
        people = self.env["res.partner"].create(
            [{"name": f"{name} {i}", "parent_id": self.firm_a.id} for i in range(6)]
        )
        agreements = self._summer_agreements(people, [self.firm_b] * len(people))
        self._approved_hours(agreements[:2], 6, 1)
        self._approved_hours(agreements[:2], 7, 1)
        self._approved_hours(agreements[2:], 8, 1)
        return self._month_settlements()[:3]

    def test_analytic_defaults_are_searched_once_per_document_not_per_line(self):
        """The fee lines take Odoo's analytic defaults (distribution models); one bill
        and one invoice with two or with four agreements search them as often: Odoo's
        per-call cache works (account.analytic.distribution.model._create_domain)."""
        settlements = self._two_then_four_agreements("Analytic expert")
        searches = []
        for settlement in settlements:
            self.env.flush_all()
            self.env.invalidate_all()
            with self.assertLogs("odoo.sql_db", "DEBUG") as logs:
                settlement.action_run()
                self.env.flush_all()
            searches.append(
                sum('FROM "account_analytic_distribution_model"' in line for line in logs.output)
            )
            self.assertEqual(len(settlement.move_ids), 2)
        fee = self.env.ref("cluster_consulting.product_product_cluster_association_fee")
        fee_lines = settlement.move_ids.invoice_line_ids.filtered(
            lambda line: line.product_id == fee
        )
        self.assertEqual(len(fee_lines), 4)
        self.assertEqual(searches[1], searches[2], searches)

    def test_analytic_accounts_are_checked_once_per_posting_not_per_line(self):
        """Odoo's posting asks whether a line's analytic accounts exist, once per line;
        a settlement's documents are asked once for all their lines
        (account.analytic.account.exists), and still get their analytic lines."""
        exists = 'FROM "account_analytic_account" WHERE "account_analytic_account"."id" IN'
        checks = []
        for settlement in self._two_then_four_agreements("Posting expert"):
            settlement.action_run()
            self.env.flush_all()
            self.env.invalidate_all()
            with self.assertLogs("odoo.sql_db", "DEBUG") as logs:
                settlement.move_ids.with_user(self.treasurer).action_post()
                self.env.flush_all()
            checks.append(sum(exists in line for line in logs.output))
            hour_lines = settlement.move_ids.invoice_line_ids.filtered("analytic_distribution")
            self.assertEqual(
                hour_lines.analytic_line_ids.account_id, self.other_project.account_id
            )
            self.assertEqual(len(hour_lines.analytic_line_ids), len(hour_lines))
        self.assertEqual(
            len(hour_lines), 8, "four agreements: a bill line and an invoice line each"
        )
        self.assertEqual(checks[1], checks[2], checks)

    def test_known_analytic_accounts_are_not_asked_again(self):
        Account = self.env["account.analytic.account"]
        account = self.other_project.account_id
        gone = Account.browse(account.id + 100000)
        known = Account.with_context(cluster_existing_analytic_account_ids=frozenset(account.ids))
        with self.assertQueryCount(0):
            self.assertEqual(known.browse(account.ids).exists(), account)
        # an id outside the known set is asked, and one that does not exist is dropped
        self.assertEqual(known.browse([account.id, gone.id]).exists(), account)
        self.assertFalse(gone.exists())

    def test_standard_credit_note_points_to_the_settlement_wizard(self):
        settlement = self._settle()
        moves = settlement.move_ids.with_user(self.treasurer)
        moves.action_post()
        invoice = moves.filtered(lambda m: m.move_type == "out_invoice")
        with self.assertRaisesRegex(UserError, "Credit settled hours"):
            invoice.action_reverse()
        reversal = (
            self.env["account.move.reversal"]
            .with_user(self.treasurer)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "standard path"})
        )
        with self.assertRaisesRegex(UserError, settlement.name):
            reversal.refund_moves()
        self.assertFalse(invoice.reversal_move_ids)
        self.assertTrue(self.hours_b.cluster_invoice_line_id, "the hours stay settled")
        # the settlement's own netting entries are ordinary entries: Odoo reverses them
        entries = settlement.with_user(self.treasurer)._net_balances()
        reversed_entries = entries._reverse_moves(cancel=True)
        self.assertEqual(reversed_entries.reversed_entry_id, entries)

    # The link between hours and document lines (cluster.hour.link) -----------------

    def test_database_refuses_linking_an_hour_twice(self):
        settlement = self._settle()
        hour = self.hours_b[0]
        invoice = settlement.move_ids.filtered(lambda m: m.move_type == "out_invoice")
        other_line = invoice.invoice_line_ids.filtered(
            lambda line: line != hour.cluster_invoice_line_id
        )[:1]
        self.assertTrue(other_line)
        links = self.env["cluster.hour.link"].sudo()
        self.assertEqual(links.search_count([("hour_id", "=", hour.id)]), 2, "bill + invoice")
        # through the link method: a clean message, nothing linked
        with self.assertRaisesRegex(ValidationError, "settled once"):
            hour._cluster_link_documents({self.agreement_b: other_line})
        # and PostgreSQL itself, whoever writes the table
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.cr.execute(
                "INSERT INTO cluster_hour_link (hour_id, move_line_id, kind) "
                "VALUES (%s, %s, 'invoice')",
                (hour.id, other_line.id),
            )
        self.assertEqual(links.search_count([("hour_id", "=", hour.id)]), 2)
        # nobody writes the links through the ORM
        with self.assertRaises(AccessError):
            self.env["cluster.hour.link"].with_user(self.treasurer).create(
                {"hour_id": hour.id, "move_line_id": other_line.id, "kind": "bill"}
            )

    def test_credit_frees_the_links_through_the_link_method(self):
        settlement = self._settle()
        settlement.move_ids.with_user(self.treasurer).action_post()
        credited = self.hours_b[0]
        Hour = type(self.env["account.analytic.line"])
        with patch.object(
            Hour,
            "_cluster_free_documents",
            autospec=True,
            side_effect=Hour._cluster_free_documents,
        ) as free:
            self.env["cluster.settlement.credit"].with_user(self.treasurer).create(
                {"settlement_id": settlement.id, "line_ids": [(6, 0, credited.ids)], "reason": "x"}
            ).action_confirm()
        self.assertEqual(free.call_count, 1)
        self.assertEqual(free.call_args.args[0], credited)
        self.assertFalse(
            self.env["cluster.hour.link"].sudo().search([("hour_id", "=", credited.id)])
        )
        self.assertEqual(self.hours_b[1].cluster_invoice_line_id.quantity, 10.0)
        # the credited hour is a candidate of the next run again, and only it
        settlement.action_run()
        self.assertEqual(credited.cluster_bill_line_id.quantity, 5.0)

    def test_documents_show_their_hours(self):
        """The accountant who posts the settlement's documents (invoicing rights, no
        cluster or timesheet group) opens a bill and one of its lines and sees the hours
        they settle; portal users never see the field."""
        settlement = self._settle()
        accountant = new_test_user(
            self.env, login="cons_accountant", groups="account.group_account_invoice"
        )
        bill_a = settlement.move_ids.filtered(
            lambda m: m.move_type == "in_invoice" and m.partner_id == self.firm_a
        ).with_user(accountant)
        self.assertEqual(bill_a.cluster_hour_ids, self.hours_a)
        self.assertEqual(bill_a.cluster_hour_count, 3)
        line = bill_a.invoice_line_ids
        self.assertEqual(line.cluster_hour_ids, self.hours_a)
        action = line.action_cluster_view_hours()
        self.assertEqual(
            self.env["account.analytic.line"].with_user(accountant).search(action["domain"]),
            self.hours_a,
        )
        self.assertEqual(
            sorted(
                self.env["account.analytic.line"]
                .with_user(accountant)
                .search(bill_a.action_cluster_view_hours()["domain"])
                .mapped("unit_amount")
            ),
            [4.0, 4.0, 4.0],
        )
        arch = bill_a.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="cluster_hour_ids"', arch)
        self.assertIn("action_cluster_view_hours", arch)
        portal = new_test_user(self.env, login="cons_portal_link", groups="base.group_portal")
        for model in ("account.move", "account.move.line"):
            self.assertNotIn("cluster_hour_ids", self.env[model].with_user(portal).fields_get())
        self.assertFalse(self.env["cluster.hour.link"].with_user(portal).has_access("read"))

    def test_link_statement_count_does_not_grow_with_hours(self):
        """Linking the hours of a run is one statement whatever their number."""
        settlement = self._settle()
        invoice = settlement.move_ids.filtered(lambda m: m.move_type == "out_invoice")
        Hour = self.env["account.analytic.line"]
        counts = []
        for hours in (self.hours_b[:1], self.hours_b):
            hours._cluster_free_documents(kinds=("invoice",))
            self.env.flush_all()
            before = self.cr.sql_log_count
            Hour._cluster_link_documents(
                {self.agreement_b: invoice.invoice_line_ids[:1]},
                domains=settlement._get_candidate_domains(),
            )
            counts.append(self.cr.sql_log_count - before)
            self.assertEqual(len(self.hours_b.cluster_invoice_line_id), 1)
        self.assertEqual(counts[0], counts[1])
