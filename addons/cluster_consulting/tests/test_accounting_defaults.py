from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import ConsultingCommon

YEAR = 2037  # far from the demo hours, which are dated around today


@tagged("post_install", "-at_install")
class TestAccountingDefaults(ConsultingCommon):
    """Swedish defaults of the settlement: VAT on services with its VAT-return tags,
    bought-out hours on the services purchase account, self-billed bills marked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        assert cls.company._cluster_has_swedish_chart(), "the suite keeps its books on l10n_se"
        chart = cls.env["account.chart.template"]
        cls.sale_goods = chart.ref("sale_tax_25_goods")
        cls.sale_services = chart.ref("sale_tax_25_services")
        cls.purchase_goods = chart.ref("purchase_tax_25_goods")
        cls.purchase_services = chart.ref("purchase_tax_25_services")
        # Odoo's defaults, which the products of the settlement take: VAT on goods
        hour, fee = cls.env["cluster.settlement"]._get_products()
        hour.write(
            {
                "taxes_id": [(6, 0, cls.sale_goods.ids)],
                "supplier_taxes_id": [(6, 0, cls.purchase_goods.ids)],
            }
        )
        fee.taxes_id = [(6, 0, cls.sale_goods.ids)]
        cls.firm_a.country_id = cls.firm_b.country_id = cls.env.ref("base.se")
        Account = cls.env["account.account"]
        cls.account_4600 = Account.search(
            [*Account._check_company_domain(cls.company), ("code", "=", "4600")], limit=1
        )
        cls.account_6550 = Account.search(
            [*Account._check_company_domain(cls.company), ("code", "=", "6550")], limit=1
        )
        cls.treasurer = new_test_user(
            cls.env,
            login="cons_acc_treasurer",
            groups="cluster_base.cluster_base_group_manager,account.group_account_invoice",
        )
        cls.agreement = cls._activate(
            cls._create_agreement(
                expert_id=cls.expert_b.id,
                buyer_kind="member",
                buyer_id=cls.firm_a.id,
                fee_percent=10.0,
                hour_cap=40.0,
                date_from=date(YEAR, 3, 1),
                date_to=date(YEAR, 5, 31),
            )
        )
        hours = cls._log(cls.agreement, date(YEAR, 3, 2), 5.0) | cls._log(
            cls.agreement, date(YEAR, 4, 1), 3.0
        )
        hours.with_user(cls.cluster_manager).action_cluster_submit()
        hours.with_user(cls.cluster_manager).action_cluster_approve()

    def _settle(self, month):
        settlement = (
            self.env["cluster.settlement"]
            .with_user(self.treasurer)
            .create({"date_from": date(YEAR, month, 1), "date_to": date(YEAR, month, 28)})
        )
        settlement.action_run()
        bill = settlement.move_ids.filtered(lambda m: m.move_type == "in_invoice")
        invoice = settlement.move_ids.filtered(lambda m: m.move_type == "out_invoice")
        return settlement, bill, invoice

    def _tags(self, tax, kind):
        lines = tax.invoice_repartition_line_ids.filtered(lambda r: r.repartition_type == kind)
        return lines.tag_ids

    def test_services_taxes_with_their_tags(self):
        self.company.cluster_expert_time_account_id = False
        _settlement, bill, invoice = self._settle(3)
        # the buyer's invoice: hours and fee with the 25 % on services
        self.assertEqual(len(invoice.invoice_line_ids), 2)
        for line in invoice.invoice_line_ids:
            self.assertEqual(line.tax_ids, self.sale_services)
            self.assertEqual(line.tax_tag_ids, self._tags(self.sale_services, "base"))
        self.assertEqual(self._tags(self.sale_services, "base").mapped("name"), ["+se_05"])
        tax_line = invoice.line_ids.filtered(lambda line: line.display_type == "tax")
        self.assertEqual(tax_line.tax_line_id, self.sale_services)
        self.assertEqual(tax_line.tax_tag_ids.mapped("name"), ["+se_10"])
        # same rate as before: 5 h x 700 + 10 % fee = 3,850 + 25 % VAT
        self.assertEqual(invoice.amount_untaxed, 3850.0)
        self.assertEqual(invoice.amount_tax, 962.5)
        # the lender's bill: the 25 % on services bought, input VAT in box 48
        self.assertEqual(bill.invoice_line_ids.tax_ids, self.purchase_services)
        tax_line = bill.line_ids.filtered(lambda line: line.display_type == "tax")
        self.assertEqual(tax_line.tax_line_id, self.purchase_services)
        self.assertEqual(tax_line.tax_tag_ids.mapped("name"), ["+se_48"])
        self.assertEqual(bill.amount_tax, 875.0)
        # bought-out hours on BAS 4600 by default, not on the goods account 4000
        self.assertEqual(bill.invoice_line_ids.account_id, self.account_4600)
        (bill | invoice).with_user(self.treasurer).action_post()
        self.assertEqual(bill.invoice_line_ids.account_id, self.account_4600)
        self.assertEqual(bill.invoice_line_ids.tax_ids, self.purchase_services)

    def test_configured_services_purchase_account(self):
        settings = self.env["res.config.settings"].create(
            {"cluster_expert_time_account_id": self.account_6550.id}
        )
        settings.execute()
        self.assertEqual(self.company.cluster_expert_time_account_id, self.account_6550)
        _settlement, bill, _invoice = self._settle(4)
        self.assertEqual(bill.invoice_line_ids.account_id, self.account_6550)
        # revenue or balance accounts are refused
        revenue = self.env["account.account"].search(
            [
                *self.env["account.account"]._check_company_domain(self.company),
                ("account_type", "=", "income"),
            ],
            limit=1,
        )
        with self.assertRaisesRegex(ValidationError, "expense account"):
            self.company.cluster_expert_time_account_id = revenue

    def test_self_billed_bill_marked_on_document_and_pdf(self):
        settlement, bill, invoice = self._settle(3)
        self.assertTrue(bill.cluster_self_billed)
        self.assertFalse(invoice.cluster_self_billed)
        (bill | invoice).with_user(self.treasurer).action_post()
        report = self.env["ir.actions.report"]
        html = report._render_qweb_html("account.report_invoice", bill.ids)[0].decode()
        self.assertIn("Självfakturering", html)
        self.assertIn(self.firm_b.name, html)
        html = report._render_qweb_html("account.report_invoice", invoice.ids)[0].decode()
        self.assertNotIn("Självfakturering", html)
        # the credit note of a self-billed bill is self-billed too, on the same account
        hours = self.agreement.timesheet_ids.filtered(lambda h: h.cluster_bill_line_id)
        self.env["cluster.settlement.credit"].with_user(self.treasurer).create(
            {
                "settlement_id": settlement.id,
                "line_ids": [(6, 0, hours.ids)],
                "reason": "Wrong week",
            }
        ).action_confirm()
        refund = settlement.move_ids.filtered(lambda m: m.move_type == "in_refund")
        self.assertTrue(refund.cluster_self_billed)
        self.assertEqual(refund.invoice_line_ids.account_id, bill.invoice_line_ids.account_id)
        self.assertEqual(refund.invoice_line_ids.tax_ids, self.purchase_services)
        credit = settlement.move_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertFalse(credit.cluster_self_billed)
