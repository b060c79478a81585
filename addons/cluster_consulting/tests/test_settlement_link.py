from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .portal_common import PortalCommon

YEAR = 2037


@tagged("post_install", "-at_install")
class TestSettlementLink(PortalCommon):
    """The link between hours and settlement document lines: written and freed by
    account.analytic.line only, shown on the document to accountants."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.treasurer = new_test_user(
            cls.env,
            login="link_treasurer",
            groups="cluster_base.cluster_base_group_manager,account.group_account_invoice",
        )
        cls.agreement = cls._activate(
            cls._create_agreement(
                expert_id=cls.expert_b.id,
                buyer_kind="member",
                buyer_id=cls.firm_a.id,
                fee_percent=10.0,
                hour_cap=10.0,
                date_from=date(YEAR, 3, 1),
                date_to=date(YEAR, 3, 31),
            )
        )
        cls.hours = cls._log(cls.agreement, date(YEAR, 3, 2), 5.0) | cls._log(
            cls.agreement, date(YEAR, 3, 3), 3.0
        )
        cls.hours.with_user(cls.cluster_manager).action_cluster_submit()
        cls.hours.with_user(cls.cluster_manager).action_cluster_approve()

    def _settle(self):
        settlement = (
            self.env["cluster.settlement"]
            .with_user(self.treasurer)
            .create({"date_from": date(YEAR, 3, 1), "date_to": date(YEAR, 3, 31)})
        )
        settlement.action_run()
        return settlement

    def _documents(self, settlement):
        bill = settlement.move_ids.filtered(lambda m: m.move_type == "in_invoice")
        invoice = settlement.move_ids.filtered(lambda m: m.move_type == "out_invoice")
        return bill, invoice

    def test_candidate_rule_is_written_once(self):
        settlement = self._settle()
        Hour = self.env["account.analytic.line"]
        domains = settlement._get_candidate_domains()
        self.assertFalse(Hour.search(domains["bill"]), "settled hours are no candidates")
        self.assertFalse(Hour.search(domains["invoice"]))
        self.hours[0]._cluster_free_documents(kinds=("bill",))
        self.assertEqual(Hour.search(domains["bill"]), self.hours[0])
        self.assertFalse(Hour.search(domains["invoice"]), "its invoice line stays")

    def test_an_hour_is_linked_once_per_kind(self):
        settlement = self._settle()
        bill, invoice = self._documents(settlement)
        first_bill_line = self.hours.cluster_bill_line_id
        self.assertEqual(first_bill_line, bill.invoice_line_ids)
        # a second link of the same kind (another run's line) is refused by PostgreSQL
        other_line = invoice.invoice_line_ids[:1]
        with self.assertRaises(ValidationError):
            self.hours._cluster_link_documents({self.agreement: other_line}, kind="bill")
        self.assertEqual(self.hours.cluster_bill_line_id, first_bill_line)
        self.assertEqual(self.hours.cluster_invoice_line_id.move_id, invoice)
        # and nobody relinks an hour by writing it
        with self.assertRaises(AccessError):
            self.hours[0].with_user(self.treasurer).write({"cluster_bill_line_id": other_line.id})

    def test_the_document_shows_its_hours(self):
        settlement = self._settle()
        bill, invoice = self._documents(settlement)
        bill = bill.with_user(self.treasurer)
        self.assertEqual(bill.cluster_hour_ids, self.hours)
        self.assertEqual(invoice.with_user(self.treasurer).cluster_hour_ids, self.hours)
        [hour_line] = bill.invoice_line_ids
        hour_line = hour_line.with_user(self.treasurer)
        self.assertEqual(hour_line.cluster_hour_ids, self.hours)
        self.assertEqual(hour_line.cluster_hour_count, 2)
        self.assertEqual(sum(hour_line.cluster_hour_ids.mapped("unit_amount")), 8.0)
        # on the accountant's bill form (the page, and each line's button to its hours)
        views = self.env["account.move"].with_user(self.treasurer).get_views([(False, "form")])
        self.assertIn("cluster_hour_ids", views["models"]["account.move"]["fields"])
        self.assertIn("cluster_hour_count", views["models"]["account.move.line"]["fields"])
        action = hour_line.action_cluster_view_hours()
        self.assertEqual(self.env["account.analytic.line"].search(action["domain"]), self.hours)
        # not for portal users, who read the firm's invoices: the links name both firms
        portal = self.signatory_a_user
        self.assertNotIn(
            "cluster_hour_ids", self.env["account.move"].with_user(portal).fields_get()
        )
        with self.assertRaises(AccessError):
            invoice.with_user(portal).read(["cluster_hour_ids"])

    def test_credit_and_cancel_free_the_hours_on_both_sides(self):
        settlement = self._settle()
        bill, invoice = self._documents(settlement)
        settlement.move_ids.with_user(self.treasurer).action_post()
        credited, kept = self.hours
        self.env["cluster.settlement.credit"].with_user(self.treasurer).create(
            {"settlement_id": settlement.id, "line_ids": [(6, 0, credited.ids)], "reason": "x"}
        ).action_confirm()
        self.assertFalse(credited.cluster_bill_line_id | credited.cluster_invoice_line_id)
        self.assertEqual(bill.cluster_hour_ids, kept, "the bill no longer shows the hour")
        self.assertEqual(invoice.invoice_line_ids.cluster_hour_ids, kept)
        # a later run links the freed hour again, to new lines
        settlement.action_run()
        self.assertNotIn(credited.cluster_bill_line_id, bill.invoice_line_ids)
        self.assertTrue(credited.cluster_invoice_line_id)

    def test_hours_without_a_link_are_one_index_lookup_each(self):
        """``cluster_bill_line_id = False`` is a sub-query correlated on the hour: a plain
        NOT IN over every link is scanned in full for each hour once the links outgrow
        PostgreSQL's work_mem (a month's settlement went from 7 s to 150 s)."""
        settlement = self._settle()
        Hour = self.env["account.analytic.line"]
        for fname in ("cluster_bill_line_id", "cluster_invoice_line_id"):
            code = Hour._search([(fname, "=", False)]).select().code
            self.assertIn('WHERE link.hour_id = "account_analytic_line"."id"', code, fname)
        domain = [("agreement_id", "=", self.agreement.id)]
        self.assertFalse(Hour.search(domain + [("cluster_bill_line_id", "=", False)]))
        self.assertEqual(Hour.search(domain + [("cluster_bill_line_id", "!=", False)]), self.hours)
        self.hours[0]._cluster_free_documents(kinds=("invoice",))
        self.assertEqual(
            Hour.search(domain + [("cluster_invoice_line_id", "=", False)]), self.hours[0]
        )
        # the run's candidates: the same hours, with only the period's links hashed
        domains = settlement._get_candidate_domains()
        self.assertEqual(Hour.search(domains["invoice"]), self.hours[0])
        self.assertFalse(Hour.search(domains["bill"]))
