# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models, tools
from odoo.tools import SQL

from odoo.addons.cluster_base.models.res_users import ROLE_SIGNATORY


class ClusterSettlementReportBalance(models.Model):
    """A firm's net statement for a settlement.

    The figure the firm pays or receives (``amount_net``) is the ledger's: the open items
    of its commercial partner (``res.partner._cluster_open_balance``), so payments,
    partial payments, netting entries and credit notes are all reflected. The other
    amounts are information: what the period created (membership fee invoices of the
    period, cost shares, bought hours owed to the association; vendor bills for lent
    hours owed by it). Cancelled documents are left out; credit notes reduce the side
    they correct."""

    _name = "cluster.settlement.report.balance"
    _description = "Settlement Balance per Firm"
    _auto = False
    _order = "date_to desc, partner_id"

    settlement_id = fields.Many2one("cluster.settlement", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Firm", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date_to = fields.Date(string="Period end", readonly=True)
    amount_fees = fields.Monetary(
        string="Membership fees",
        readonly=True,
        aggregator="sum",
        help="Capital contribution and annual fee invoices of the period (cluster_base).",
    )
    amount_cost_shares = fields.Monetary(
        string="Cost shares",
        readonly=True,
        aggregator="sum",
        help="The firm's cash shares of joint-project costs of the period.",
    )
    amount_hours_bought = fields.Monetary(
        string="Bought hours",
        readonly=True,
        aggregator="sum",
        help="Expert hours the firm bought, with the association fee.",
    )
    amount_owed = fields.Monetary(
        string="Owed to the association", readonly=True, aggregator="sum"
    )
    amount_due = fields.Monetary(
        string="Owed by the association",
        readonly=True,
        aggregator="sum",
        help="The firm's lent expert hours (vendor bills).",
    )
    amount_period_net = fields.Monetary(
        string="Created this period (net)",
        readonly=True,
        aggregator="sum",
        help="Owed to the association minus owed by it, for the documents of the period "
        "(before payments and netting); information only.",
    )
    amount_open_receivable = fields.Monetary(
        string="Open: firm owes",
        compute="_compute_open_balance",
        help="Open receivable items of the firm in the ledger (all periods).",
    )
    amount_open_payable = fields.Monetary(
        string="Open: association owes",
        compute="_compute_open_balance",
        help="Open payable items of the firm in the ledger (all periods), as a positive "
        "amount.",
    )
    amount_net = fields.Monetary(
        string="Net now (firm pays)",
        compute="_compute_open_balance",
        help="The firm's open items in the ledger: what it pays (positive) or receives "
        "(negative) now, after payments, netting and credit notes.",
    )

    def _compute_open_balance(self):
        by_company = {}
        for balance in self:
            by_company.setdefault(balance.company_id, self.browse())
            by_company[balance.company_id] |= balance
        for company, balances in by_company.items():
            # the rows were read as the user (record rules on the firm): their firms'
            # figures only
            open_balance = balances.partner_id._cluster_open_balance(company)
            for balance in balances:
                values = open_balance.get(balance.partner_id.commercial_partner_id, {})
                balance.amount_open_receivable = values.get("receivable", 0.0)
                balance.amount_open_payable = -values.get("payable", 0.0)
                balance.amount_net = values.get("net", 0.0)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    WITH docs AS (
                        SELECT s.id AS settlement_id,
                               m.commercial_partner_id,
                               CASE WHEN m.move_type IN ('in_invoice', 'in_refund')
                                        THEN 'lent'
                                    WHEN EXISTS (
                                        SELECT 1 FROM cluster_settlement_share sh
                                         WHERE sh.move_id = COALESCE(m.reversed_entry_id, m.id)
                                    ) THEN 'share'
                                    ELSE 'bought' END AS kind,
                               CASE WHEN m.move_type IN ('out_refund', 'in_refund')
                                        THEN -m.amount_total
                                    ELSE m.amount_total END AS amount
                          FROM account_move m
                          JOIN cluster_settlement s ON s.id = m.cluster_settlement_id
                         WHERE m.state != 'cancel'
                           AND m.move_type IN
                               ('out_invoice', 'out_refund', 'in_invoice', 'in_refund')
                        UNION ALL
                        SELECT s.id, m.commercial_partner_id, 'fee',
                               CASE WHEN m.move_type = 'out_refund'
                                        THEN -m.amount_total
                                    ELSE m.amount_total END
                          FROM account_move m
                          JOIN cluster_settlement s
                            ON s.company_id = m.company_id
                           AND m.invoice_date BETWEEN s.date_from AND s.date_to
                         WHERE m.cluster_move_kind IS NOT NULL
                           AND m.cluster_settlement_id IS NULL
                           AND m.state != 'cancel'
                           AND m.move_type IN ('out_invoice', 'out_refund')
                    )
                    SELECT row_number() OVER (ORDER BY s.id, d.commercial_partner_id) AS id,
                           s.id AS settlement_id,
                           d.commercial_partner_id AS partner_id,
                           s.company_id,
                           c.currency_id,
                           s.date_to,
                           SUM(CASE WHEN d.kind = 'fee' THEN d.amount ELSE 0 END)
                               AS amount_fees,
                           SUM(CASE WHEN d.kind = 'share' THEN d.amount ELSE 0 END)
                               AS amount_cost_shares,
                           SUM(CASE WHEN d.kind = 'bought' THEN d.amount ELSE 0 END)
                               AS amount_hours_bought,
                           SUM(CASE WHEN d.kind != 'lent' THEN d.amount ELSE 0 END)
                               AS amount_owed,
                           SUM(CASE WHEN d.kind = 'lent' THEN d.amount ELSE 0 END)
                               AS amount_due,
                           SUM(CASE WHEN d.kind = 'lent' THEN -d.amount ELSE d.amount END)
                               AS amount_period_net
                      FROM docs d
                      JOIN cluster_settlement s ON s.id = d.settlement_id
                      JOIN res_company c ON c.id = s.company_id
                     GROUP BY s.id, d.commercial_partner_id, s.company_id, c.currency_id,
                              s.date_to
                )
                """,
                table=SQL.identifier(self._table),
            )
        )

    def _get_statement_moves(self):
        """The firm's documents of the settlement (read as the current user)."""
        self.ensure_one()
        return self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", self.partner_id.id),
                ("state", "!=", "cancel"),
                *self.settlement_id._get_statement_domain(),
            ],
            order="move_type, id",
        )

    def _get_open_items(self):
        """The firm's open items behind ``amount_net`` (the PDF lists them). sudo: the
        ledger lines of exactly the firm of this row, which the user was allowed to
        read."""
        self.ensure_one()
        return self.partner_id.sudo()._cluster_open_items(self.company_id)

    def _get_report_base_filename(self):
        """The statement PDF's file name in the portal (``CustomerPortal._show_report``).
        sudo: only the name of this row's settlement."""
        self.ensure_one()
        return f"statement_{self.sudo().settlement_id.name}"

    @api.model
    def _cluster_get_portal_domain(self):
        """The firm's statements, for its signatory only: the portal rules' set (see
        ``models/portal_domain.py``)."""
        user = self.env.user
        firm = user.commercial_partner_id
        if user._cluster_has_role(firm, ROLE_SIGNATORY):
            return [("partner_id", "=", firm.id)]
        return [("id", "=", 0)]
