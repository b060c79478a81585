# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ClusterSettlement(models.Model):
    """Taxes, accounts and expected amounts of the lines a settlement run creates: given
    at creation, so Odoo's defaults for goods do not apply and the tax synchronisation
    has little left to write."""

    _inherit = "cluster.settlement"

    def _get_fiscal_position(self, partner, cache):
        if ("fiscal_position", partner.id) not in cache:
            delivery = partner.browse(partner.address_get(["delivery"])["delivery"])
            cache["fiscal_position", partner.id] = (
                self.env["account.fiscal.position"]
                .with_company(self.company_id)
                ._get_fiscal_position(partner, delivery=delivery)
            )
        return cache["fiscal_position", partner.id]

    def _get_line_taxes(self, move_type, partner, product, cache):
        """The taxes of a new line of ``product`` on an invoice (``out_invoice``) or bill
        (``in_invoice``) to ``partner``: the product's taxes of the company, as taxes on
        services (``res.company._cluster_services_taxes``: Swedish VAT on services, not on
        goods), mapped by the partner's fiscal position."""
        key = ("taxes", move_type, partner.id, product.id)
        if key not in cache:
            # the product's taxes as taxes on services are the same for every partner
            product_key = ("product_taxes", move_type, product.id)
            if product_key not in cache:
                company = self.company_id
                product_taxes = (
                    product.taxes_id if move_type == "out_invoice" else product.supplier_taxes_id
                )
                cache[product_key] = company._cluster_services_taxes(
                    product_taxes.filtered_domain(
                        self.env["account.tax"]._check_company_domain(company)
                    )._filter_taxes_by_company(company)
                )
            taxes = cache[product_key]
            fiscal_position = self._get_fiscal_position(partner, cache)
            if taxes and fiscal_position:
                taxes = fiscal_position.map_tax(taxes)
            cache[key] = taxes
        return cache[key]

    def _prepare_line_accounting(self, move_type, partner, line, cache):
        """Taxes and, for the hours on a bill, the account of a new line: given at
        creation, so Odoo's defaults from the product (taxes on goods, the goods purchase
        account) do not apply."""
        product = self.env["product.product"].browse(line["product_id"])
        taxes = self._get_line_taxes(move_type, partner, product, cache)
        values = {"tax_ids": [fields.Command.set(taxes.ids)]}
        if move_type == "in_invoice":
            if "expert_time_account" not in cache:
                cache["expert_time_account"] = self.company_id._cluster_expert_time_account()
            account = cache["expert_time_account"]
            fiscal_position = self._get_fiscal_position(partner, cache)
            if account and fiscal_position:
                account = fiscal_position.map_account(account)
            if account:
                values["account_id"] = account.id
        return values

    def _expected_line_values(self, move_type, partner, line, cache):
        """The tax tags and signed amounts Odoo's tax synchronisation gives a new product
        line of an invoice (``out_invoice``) or bill (``in_invoice``) in the company
        currency, computed with Odoo's own tax engine (``compute_all``).

        Given at creation, they spare the synchronisation two writes per line (the tax
        tags and amounts, then the balance), which made each line cost several
        milliseconds and grew with the lines of the move. They are only the expected
        values: the synchronisation still computes every line and writes those that
        differ (taxes mapped otherwise, global rounding, cash-basis tags), so the
        documents are the same as without them. Lines whose product has no tax of the
        company are left to Odoo.
        """
        company = self.company_id
        if self.currency_id != company.currency_id:
            return {}
        product = self.env["product.product"].browse(line["product_id"])
        key = (move_type, partner.id, product.id)
        if key not in cache:
            taxes = self._get_line_taxes(move_type, partner, product, cache)
            # the base tags depend on the taxes only; for taxes excluded from the price
            # (percent or fixed), the line's amount is its rounded price x quantity
            simple = all(
                not tax.price_include and tax.amount_type in ("percent", "fixed") for tax in taxes
            )
            tags = []
            if taxes:
                tags = taxes.compute_all(1.0, currency=self.currency_id, product=product)
                tags = tags["base_tags"]
            cache[key] = (taxes, tags, simple)
        taxes, tags, simple = cache[key]
        if not taxes:
            return {}
        if simple:
            amount = self.currency_id.round(line["price_unit"] * line["quantity"])
        else:
            result = taxes.compute_all(
                line["price_unit"],
                currency=self.currency_id,
                quantity=line["quantity"],
                product=product,
                partner=partner,
            )
            amount, tags = result["total_excluded"], result["base_tags"]
        if move_type == "out_invoice":
            amount = -amount
        return {
            "tax_tag_ids": [fields.Command.set(tags)],
            "amount_currency": amount,
            "balance": amount,
        }

    def _clear_untaxed_tags(self, moves):
        """A document whose lines all end up without tax keeps the amounts given at
        creation and is not synchronised: if Odoo mapped the taxes away where
        ``_expected_line_values`` expected some, drop the tags it gave, as Odoo would
        have set none."""
        untaxed = moves.filtered(
            lambda m: not m.invoice_line_ids.tax_ids and m.invoice_line_ids.tax_tag_ids
        )
        if untaxed:
            untaxed.invoice_line_ids.tax_tag_ids = [fields.Command.clear()]
