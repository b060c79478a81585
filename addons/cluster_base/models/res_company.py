# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# BAS 2083 "Medlemsinsatser": the members' paid-in contributions of an economic association
CONTRIBUTION_ACCOUNT_CODE = "2083"
CONTRIBUTION_ACCOUNT_TYPES = ("equity", "liability_non_current", "liability_current")
# l10n_se's tax templates: for each tax on goods, the tax of the same rate on services.
# At home both report the base in box 05 and the VAT in box 10/11/12 (sales) or 48
# (purchases) of the VAT return; abroad the fiscal positions map the services taxes to
# the boxes of services (e.g. 39 for services sold to the EU, 21 for services bought there).
SERVICES_TAX_TEMPLATES = {
    "sale_tax_25_goods": "sale_tax_25_services",
    "sale_tax_12_goods": "sale_tax_12_services",
    "sale_tax_6_goods": "sale_tax_6_services",
    "purchase_tax_25_goods": "purchase_tax_25_services",
    "purchase_tax_12_goods": "purchase_tax_12_services",
    "purchase_tax_6_goods": "purchase_tax_6_services",
}


class ResCompany(models.Model):
    _inherit = "res.company"

    # Every login of the company, all member firms' portal users among them: not for
    # portal users (SECURITY.md, related records across the firm boundary).
    user_ids = fields.Many2many(groups="base.group_user")

    cluster_contribution_account_id = fields.Many2one(
        "account.account",
        string="Members' contributions account",
        check_company=True,
        domain=[("account_type", "in", CONTRIBUTION_ACCOUNT_TYPES)],
        help="Account credited by capital contribution invoices and debited by their "
        "repayment. Empty: the account with code 2083 (BAS: Medlemsinsatser) when the "
        "chart has one, else the contribution product's income account.",
    )

    @api.constrains("cluster_contribution_account_id")
    def _check_cluster_contribution_account(self):
        for company in self:
            account = company._cluster_wrong_type_account(
                "cluster_contribution_account_id", CONTRIBUTION_ACCOUNT_TYPES
            )
            if account:
                raise ValidationError(
                    self.env._(
                        "A capital contribution is the members' capital, not revenue: choose "
                        "an equity or liability account for it, not %(account)s.",
                        account=account.display_name,
                    )
                )

    def _cluster_contribution_account(self):
        """The account of capital contributions for this company (may be empty)."""
        return self._cluster_account_or_code(
            "cluster_contribution_account_id",
            CONTRIBUTION_ACCOUNT_CODE,
            CONTRIBUTION_ACCOUNT_TYPES,
        )

    def _cluster_wrong_type_account(self, fname, account_types):
        """The account set in ``fname`` when its type is not one of ``account_types``."""
        self.ensure_one()
        account = self[fname]
        return account if account and account.account_type not in account_types else False

    def _cluster_account_or_code(self, fname, code, account_types):
        """The account set in ``fname``, else the company's account with the BAS ``code``
        and one of ``account_types`` when its chart has one (may be empty)."""
        self.ensure_one()
        if self[fname]:
            return self[fname]
        return (
            self.env["account.account"]
            .sudo()
            .with_company(self)
            .search(
                [
                    *self.env["account.account"]._check_company_domain(self),
                    ("code", "=", code),
                    ("account_type", "in", account_types),
                ],
                limit=1,
            )
        )

    def _cluster_has_swedish_chart(self):
        """Whether the company keeps its books on l10n_se's chart: ``se`` or one of its
        variants (``se_K2``, ``se_K3``)."""
        self.ensure_one()
        chart = self.chart_template or ""
        return chart == "se" or chart.startswith("se_")

    def _cluster_services_taxes(self, taxes):
        """The taxes of a line that sells or buys a service, instead of ``taxes`` (those
        of its product or the company's default).

        With l10n_se's chart, each of the chart's taxes on goods becomes the chart's tax
        of the same rate on services, found by its template id (``sale_tax_25_goods`` →
        ``sale_tax_25_services``, ``purchase_tax_25_goods`` →
        ``purchase_tax_25_services``, ...); other taxes stay, and a line without tax
        stays without (e.g. a fee outside VAT). With any other chart ``taxes`` are
        returned unchanged: that chart's own taxes decide. A Swedish chart that lacks
        (or archived) the services tax needed gives a UserError naming it.
        """
        self.ensure_one()
        if not taxes or not self._cluster_has_swedish_chart():
            return taxes
        chart = self.env["account.chart.template"].with_company(self)
        services_of = {}
        for goods_xmlid, services_xmlid in SERVICES_TAX_TEMPLATES.items():
            goods = chart.ref(goods_xmlid, raise_if_not_found=False)
            if goods:
                services_of[goods] = services_xmlid
        result = self.env["account.tax"]
        for tax in taxes:
            if tax not in services_of:
                result |= tax
                continue
            services = chart.ref(services_of[tax], raise_if_not_found=False)
            if not services or not services.active:
                raise UserError(
                    self.env._(
                        "%(company)s keeps Swedish VAT, but its chart has no active tax "
                        "on services to use instead of %(goods)s (template "
                        "%(template)s): restore it under Accounting › Configuration › "
                        "Taxes.",
                        company=self.name,
                        goods=tax.display_name,
                        template=services_of[tax],
                    )
                )
            result |= services
        return result


class ResCompanyNotice(models.Model):
    """The notice window of general meetings, as the statutes set it.

    Defaults: lagen (2018:672) om ekonomiska föreningar, 6 kap. 17 § (ordinary meeting: at the
    earliest six weeks, at the latest four weeks before; the statutes may allow a later
    notice, down to two weeks) and 18 § (extra meeting: six to two weeks before; at the
    latest four weeks when it deals with a change of the statutes, a liquidation or a
    merger, which the statutes too may bring down to two weeks).
    """

    _inherit = "res.company"

    cluster_notice_earliest_days = fields.Integer(
        string="Notice at the earliest (days before)", default=42
    )
    cluster_notice_latest_days = fields.Integer(
        string="Notice at the latest, annual meeting (days before)", default=28
    )
    cluster_notice_latest_days_extra = fields.Integer(
        string="Notice at the latest, extra meeting (days before)", default=14
    )

    @api.constrains(
        "cluster_notice_earliest_days",
        "cluster_notice_latest_days",
        "cluster_notice_latest_days_extra",
    )
    def _check_cluster_notice_window(self):
        for company in self:
            latest = (company.cluster_notice_latest_days, company.cluster_notice_latest_days_extra)
            earliest = company.cluster_notice_earliest_days
            if min(latest) < 14 or earliest > 42 or earliest < max(latest):
                raise ValidationError(
                    self.env._(
                        "The notice window is wrong: the act allows a notice at the earliest "
                        "six weeks (42 days) and at the latest two weeks (14 days) before the "
                        "meeting, and the earliest day must come before the latest ones."
                    )
                )
