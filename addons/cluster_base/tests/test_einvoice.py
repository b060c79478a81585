# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import ClusterCommon

NS = {
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
BIS3_CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
BIS3_PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

# Fictional organisation numbers with a valid check digit.
ORGNR_ASSOCIATION = "5599001236"
ORGNR_MUNICIPALITY = "2120009994"
ORGNR_PRIVATE = "5599004560"


@tagged("post_install", "-at_install")
class TestEInvoice(ClusterCommon):
    """Peppol BIS Billing 3.0 invoices to public-sector partners, read back from the XML."""

    @classmethod
    def setup_main_company(cls, currency_code="SEK"):
        # The association invoices in Swedish kronor (the base test class enforces USD).
        return super().setup_main_company(currency_code="SEK")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        sweden = cls.env.ref("base.se")
        cls.company = cls.env.company
        cls.company.write(
            {
                "country_id": sweden.id,
                "street": "Storgatan 1",
                "zip": "852 30",
                "city": "Sundsvall",
                "vat": f"SE{ORGNR_ASSOCIATION}01",
                "company_registry": ORGNR_ASSOCIATION,
            }
        )
        cls.currency = cls.company.currency_id
        cls.tax_25 = cls.env["account.tax"].search(
            [
                *cls.env["account.tax"]._check_company_domain(cls.company),
                ("type_tax_use", "=", "sale"),
                ("amount_type", "=", "percent"),
                ("amount", "=", 25.0),
                ("price_include", "=", False),
            ],
            limit=1,
        )
        cls.municipality = cls.env["res.partner"].create(
            {
                "name": "Testby kommun",
                "is_company": True,
                "cluster_is_public_sector": True,
                "country_id": sweden.id,
                "street": "Rådhusgatan 5",
                "zip": "852 31",
                "city": "Testby",
                "company_registry": "212000-9994",
                "vat": f"SE{ORGNR_MUNICIPALITY}01",
                "ref": "Kommunens referens 4711",
            }
        )
        cls.private_firm = cls.env["res.partner"].create(
            {
                "name": "Testfirma Privat AB",
                "is_company": True,
                "country_id": sweden.id,
                "company_registry": ORGNR_PRIVATE,
            }
        )
        cls.accountant = new_test_user(
            cls.env, login="cluster_edi_billing", groups="account.group_account_invoice"
        )

    def _post_invoice(self, partner):
        invoice = (
            self.env["account.move"]
            .with_user(self.accountant)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": "2026-03-15",
                    "currency_id": self.currency.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Kompetensutveckling, workshop",
                                "quantity": 3,
                                "price_unit": 1234.56,
                                "tax_ids": [Command.set(self.tax_25.ids)],
                            }
                        ),
                        Command.create(
                            {
                                "name": "Kursmaterial",
                                "quantity": 1,
                                "price_unit": 499.99,
                                "tax_ids": [Command.set(self.tax_25.ids)],
                            }
                        ),
                    ],
                }
            )
        )
        invoice.action_post()
        return invoice

    def _assert_amount(self, node, amount):
        self.assertEqual(node.get("currencyID"), "SEK")
        self.assertRegex(node.text, r"^-?\d+\.\d{2}$")
        self.assertEqual(self.currency.compare_amounts(float(node.text), amount), 0, node.text)

    def test_public_sector_partner_gets_peppol_settings(self):
        self.assertEqual(self.municipality.invoice_edi_format, "ubl_bis3")
        self.assertEqual(self.municipality.peppol_eas, "0007")
        self.assertEqual(self.municipality.peppol_endpoint, ORGNR_MUNICIPALITY)
        contact = self.env["res.partner"].create(
            {"name": "Ekonomiavdelningen", "parent_id": self.municipality.id}
        )
        self.assertTrue(contact.cluster_is_public_sector)
        self.assertEqual(contact.invoice_edi_format, "ubl_bis3")
        company_partner = self.company.partner_id
        self.assertEqual(company_partner.peppol_eas, "0007")
        self.assertEqual(company_partner.peppol_endpoint, ORGNR_ASSOCIATION)

    def test_partner_form_fills_peppol_address(self):
        with Form(self.env["res.partner"]) as form:
            form.name = "Region Testland"
            form.cluster_is_public_sector = True
            self.assertTrue(form.is_company)
            form.country_id = self.env.ref("base.se")
            form.company_registry = "232100-0016"
            self.assertEqual(form.invoice_edi_format, "ubl_bis3")
            self.assertEqual(form.peppol_eas, "0007")
            self.assertEqual(form.peppol_endpoint, "2321000016")
        region = form.record
        self.assertEqual(region.company_registry, "232100-0016")
        self.assertEqual((region.peppol_eas, region.peppol_endpoint), ("0007", "2321000016"))
        self.assertEqual(region.invoice_edi_format, "ubl_bis3")

    def test_private_firm_not_forced_to_peppol(self):
        self.assertFalse(self.private_firm.cluster_is_public_sector)
        self.assertFalse(self.private_firm.invoice_edi_format)
        # The organisation number is still its address, should the firm ask for Peppol.
        self.assertEqual(self.private_firm.peppol_endpoint, ORGNR_PRIVATE)
        firm_without_orgnr = self.env["res.partner"].create(
            {"name": "Testfirma Utan Nummer AB", "is_company": True}
        )
        self.assertFalse(firm_without_orgnr.invoice_edi_format)
        self.assertFalse(firm_without_orgnr.peppol_endpoint)
        invoice = self._post_invoice(self.private_firm)
        self.env["account.move.send"]._generate_and_send_invoices(
            invoice, sending_methods={"manual"}
        )
        self.assertFalse(invoice.ubl_cii_xml_id)

    def test_public_sector_without_orgnr_refused(self):
        with self.assertRaisesRegex(ValidationError, "valid Swedish organisation number"):
            self.env["res.partner"].create(
                {
                    "name": "Länsstyrelsen i Testlän",
                    "is_company": True,
                    "cluster_is_public_sector": True,
                }
            )
        firm = self.env["res.partner"].create(
            {
                "name": "Testinstitutet",
                "is_company": True,
                "country_id": self.env.ref("base.se").id,
            }
        )
        with self.assertRaisesRegex(ValidationError, "valid Swedish organisation number"):
            firm.cluster_is_public_sector = True
        with self.assertRaisesRegex(ValidationError, "valid Swedish organisation number"):
            self.municipality.company_registry = False
        with self.assertRaisesRegex(ValidationError, "scheme 0007"):
            self.municipality.peppol_eas = "9955"
        with self.assertRaisesRegex(ValidationError, "scheme 0007"):
            self.municipality.peppol_endpoint = ORGNR_PRIVATE

    def test_export_bis3_invoice(self):
        self.assertTrue(self.tax_25, "the Swedish chart has a 25 % sales tax")
        invoice = self._post_invoice(self.municipality)
        xml, errors = (
            self.env["account.edi.xml.ubl_bis3"]
            .with_user(self.accountant)
            ._export_invoice(invoice)
        )
        self.assertFalse(errors)
        root = etree.fromstring(xml)
        self.assertEqual(root.tag, f"{{{NS['inv']}}}Invoice")
        self.assertEqual(root.findtext("cbc:CustomizationID", namespaces=NS), BIS3_CUSTOMIZATION)
        self.assertEqual(root.findtext("cbc:ProfileID", namespaces=NS), BIS3_PROFILE)
        self.assertEqual(root.findtext("cbc:ID", namespaces=NS), invoice.name)
        self.assertEqual(root.findtext("cbc:DocumentCurrencyCode", namespaces=NS), "SEK")
        self.assertEqual(root.findtext("cbc:BuyerReference", namespaces=NS), self.municipality.ref)

        for role, number in (
            ("AccountingSupplierParty", ORGNR_ASSOCIATION),
            ("AccountingCustomerParty", ORGNR_MUNICIPALITY),
        ):
            party = root.find(f"cac:{role}/cac:Party", NS)
            endpoint = party.find("cbc:EndpointID", NS)
            self.assertEqual(endpoint.get("schemeID"), "0007", role)
            self.assertEqual(endpoint.text, number, role)
            self.assertEqual(
                party.findtext("cac:PartyLegalEntity/cbc:CompanyID", namespaces=NS), number, role
            )
            self.assertEqual(
                party.findtext("cac:PartyTaxScheme/cbc:CompanyID", namespaces=NS),
                f"SE{number}01",
                role,
            )

        lines = root.findall("cac:InvoiceLine", NS)
        invoice_lines = invoice.invoice_line_ids.sorted("sequence")
        self.assertEqual(len(lines), len(invoice_lines))
        for node, line in zip(lines, invoice_lines, strict=True):
            self.assertEqual(node.findtext("cac:Item/cbc:Name", namespaces=NS), line.name)
            self._assert_amount(node.find("cbc:LineExtensionAmount", NS), line.price_subtotal)
            percent = node.findtext(
                "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent", namespaces=NS
            )
            self.assertEqual(float(percent), 25.0)
        self.assertEqual(invoice.amount_untaxed, 4203.67)
        self.assertEqual(invoice.amount_tax, 1050.92)

        tax_total = root.find("cac:TaxTotal", NS)
        self._assert_amount(tax_total.find("cbc:TaxAmount", NS), invoice.amount_tax)
        subtotals = tax_total.findall("cac:TaxSubtotal", NS)
        self.assertEqual(len(subtotals), 1)
        self._assert_amount(subtotals[0].find("cbc:TaxableAmount", NS), invoice.amount_untaxed)
        self._assert_amount(subtotals[0].find("cbc:TaxAmount", NS), invoice.amount_tax)
        self.assertEqual(subtotals[0].findtext("cac:TaxCategory/cbc:ID", namespaces=NS), "S")
        self.assertEqual(
            float(subtotals[0].findtext("cac:TaxCategory/cbc:Percent", namespaces=NS)), 25.0
        )

        totals = root.find("cac:LegalMonetaryTotal", NS)
        self._assert_amount(totals.find("cbc:LineExtensionAmount", NS), invoice.amount_untaxed)
        self._assert_amount(totals.find("cbc:TaxExclusiveAmount", NS), invoice.amount_untaxed)
        self._assert_amount(totals.find("cbc:TaxInclusiveAmount", NS), invoice.amount_total)
        self._assert_amount(totals.find("cbc:PayableAmount", NS), invoice.amount_residual)

    def test_export_needs_invoice_rights(self):
        invoice = self._post_invoice(self.municipality)
        with self.assertRaises(AccessError):
            self.env["account.edi.xml.ubl_bis3"].with_user(self.cluster_user)._export_invoice(
                invoice.with_user(self.cluster_user)
            )

    def test_send_and_print_attaches_bis3_xml(self):
        # Invoiced to a person of the municipality: the e-invoice goes to the municipality.
        contact = self.env["res.partner"].create(
            {"name": "Ekonomiavdelningen", "parent_id": self.municipality.id}
        )
        invoice = self._post_invoice(contact)
        self.env["account.move.send"].with_user(self.accountant)._generate_and_send_invoices(
            invoice, sending_methods={"manual"}
        )
        attachment = invoice.ubl_cii_xml_id
        self.assertTrue(attachment)
        root = etree.fromstring(attachment.raw)
        self.assertEqual(root.findtext("cbc:CustomizationID", namespaces=NS), BIS3_CUSTOMIZATION)
        endpoint = root.find("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", NS)
        self.assertEqual((endpoint.get("schemeID"), endpoint.text), ("0007", ORGNR_MUNICIPALITY))
