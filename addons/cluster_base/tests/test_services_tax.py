from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import ClusterMembershipCommon


@tagged("post_install", "-at_install")
class TestServicesTax(ClusterMembershipCommon):
    """A membership fee pays for the association's services: with l10n_se's chart it
    carries the 25 % VAT on services (and its VAT-return tags), not the one on goods."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        assert cls.company._cluster_has_swedish_chart(), "the suite keeps its books on l10n_se"
        chart = cls.env["account.chart.template"]
        cls.sale_goods = chart.ref("sale_tax_25_goods")
        cls.sale_services = chart.ref("sale_tax_25_services")
        # Odoo's default for a new product of this company: the 25 % on goods
        cls.fee_product.taxes_id = [Command.set(cls.sale_goods.ids)]
        cls.membership_a = cls._active_membership(cls.firm_a)

    def _run_fees(self, year=2026):
        wizard = Form(self.env["cluster.fee.run"].with_user(self.cluster_manager))
        wizard.year = year
        wizard.post = True
        wizard.save().action_run()
        return self.membership_a.move_ids.filtered(lambda m: m.cluster_move_kind == "fee")

    def test_fee_invoice_taxed_as_a_service(self):
        fee = self._run_fees()
        line = fee.invoice_line_ids
        self.assertEqual(line.tax_ids, self.sale_services)
        self.assertEqual(line.tax_tag_ids.mapped("name"), ["+se_05"])
        tax_line = fee.line_ids.filtered(lambda aml: aml.display_type == "tax")
        self.assertEqual(tax_line.tax_line_id, self.sale_services)
        self.assertEqual(tax_line.tax_tag_ids.mapped("name"), ["+se_10"])
        self.assertEqual((fee.amount_untaxed, fee.amount_tax), (5000.0, 1250.0))

    def test_fee_without_tax_stays_without(self):
        self.fee_product.taxes_id = [Command.clear()]
        fee = self._run_fees()
        self.assertFalse(fee.invoice_line_ids.tax_ids)
        self.assertEqual(fee.amount_total, 5000.0)

    def test_other_chart_keeps_its_taxes(self):
        company = self.company
        self.assertEqual(company._cluster_services_taxes(self.sale_goods), self.sale_services)
        other_taxes = self.sale_services | self.env["account.chart.template"].ref(
            "sale_tax_services_EC"
        )
        self.assertEqual(company._cluster_services_taxes(other_taxes), other_taxes)
        company.chart_template = "generic_coa"
        self.assertEqual(company._cluster_services_taxes(self.sale_goods), self.sale_goods)

    def test_missing_services_tax_named(self):
        self.sale_services.active = False
        with self.assertRaisesRegex(UserError, "sale_tax_25_services"):
            self._run_fees()
