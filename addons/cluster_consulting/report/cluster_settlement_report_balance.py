# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models, tools
from odoo.tools import SQL


class ClusterSettlementReportBalance(models.Model):
    """Net balance per firm and settlement: what the firm owes the association (customer
    invoices) and what the association owes the firm (vendor bills for its lent hours).
    Cancelled documents are left out; credit notes reduce the side they correct."""

    _name = "cluster.settlement.report.balance"
    _description = "Settlement Balance per Firm"
    _auto = False
    _order = "date_to desc, partner_id"

    settlement_id = fields.Many2one("cluster.settlement", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Firm", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date_to = fields.Date(string="Period end", readonly=True)
    amount_owed = fields.Monetary(
        string="Owed to the association", readonly=True, aggregator="sum"
    )
    amount_due = fields.Monetary(
        string="Owed by the association", readonly=True, aggregator="sum"
    )
    amount_net = fields.Monetary(
        string="Net (firm pays)",
        readonly=True,
        aggregator="sum",
        help="Positive: the firm pays the association; negative: the association pays.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    SELECT row_number() OVER (ORDER BY s.id, m.commercial_partner_id) AS id,
                           s.id AS settlement_id,
                           m.commercial_partner_id AS partner_id,
                           s.company_id,
                           c.currency_id,
                           s.date_to,
                           SUM(CASE m.move_type
                                   WHEN 'out_invoice' THEN m.amount_total
                                   WHEN 'out_refund' THEN -m.amount_total
                                   ELSE 0 END) AS amount_owed,
                           SUM(CASE m.move_type
                                   WHEN 'in_invoice' THEN m.amount_total
                                   WHEN 'in_refund' THEN -m.amount_total
                                   ELSE 0 END) AS amount_due,
                           SUM(CASE
                                   WHEN m.move_type IN ('out_invoice', 'in_refund')
                                       THEN m.amount_total
                                   ELSE -m.amount_total END) AS amount_net
                      FROM account_move m
                      JOIN cluster_settlement s ON s.id = m.cluster_settlement_id
                      JOIN res_company c ON c.id = s.company_id
                     WHERE m.state != 'cancel'
                       AND m.move_type IN ('out_invoice', 'out_refund', 'in_invoice', 'in_refund')
                     GROUP BY s.id, m.commercial_partner_id, s.company_id, c.currency_id,
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
                ("cluster_settlement_id", "=", self.settlement_id.id),
                ("commercial_partner_id", "=", self.partner_id.id),
                ("state", "!=", "cancel"),
            ],
            order="move_type, id",
        )
