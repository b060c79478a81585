# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import fields, models
from odoo.tools import SQL


class ProjectProject(models.Model):
    """The members' cash of a joint project: what the participating firms were invoiced
    on the project's analytic account and what they paid, from the ledger's
    reconciliations (read by the co-financing, the funder report and the portal)."""

    _inherit = "project.project"

    def _cluster_member_payments(self, date_from=None, date_to=None):
        """Money received from the project's customer invoices, in one query.

        The project's customer invoices are the posted customer invoices and credit
        notes with lines on its analytic account; the project's share of one is its
        analytic amount (untaxed). A payment (any entry reconciled with the invoice's
        receivable that is not itself an invoice or credit note: a bank payment, a
        netting entry) counts as received on its own date, for the project's share of
        the amount it pays: share x paid / invoice total. What an invoice still has open
        on ``date_to`` (payments and credit notes reconciled until then deducted) is
        ``open``. Returns one dict per invoice and reconciliation (or per unpaid
        invoice): ``account_id, partner_id, move_id, move_name, invoice_date, share,
        payment_date, payment_name, received, open``.
        """
        accounts = self.account_id
        if not accounts:
            return []
        date_from, date_to = date_from or None, date_to or None  # a wizard's empty date
        self.env.flush_all()
        self.env.cr.execute(self._cluster_member_payments_query(date_to))
        fetched = self.env.cr.fetchall()
        currency = self.env.company.currency_id
        rows, settled, first = [], defaultdict(float), {}
        for (
            account_id,
            partner_id,
            move_id,
            move_name,
            invoice_date,
            share,
            total,
            paid_date,
            paid_name,
            credit,
            amount,
        ) in fetched:
            if not total:
                continue
            row = {
                "account_id": account_id,
                "partner_id": partner_id,
                "move_id": move_id,
                "move_name": move_name,
                "invoice_date": invoice_date,
                "share": share,
                "payment_date": False,
                "payment_name": False,
                "received": 0.0,
                "open": 0.0,
            }
            if paid_date and (not date_to or paid_date <= date_to):
                settled[account_id, move_id] += amount
                if not credit and (not date_from or paid_date >= date_from):
                    row.update(
                        payment_date=paid_date,
                        payment_name=paid_name,
                        received=currency.round(share * amount / total),
                    )
            rows.append(row)
            first.setdefault((account_id, move_id), (row, share, total))
        # what each invoice still has open on date_to, on its first row
        for key, (row, share, total) in first.items():
            row["open"] = currency.round(share * (total - settled.get(key, 0.0)) / total)
        return rows

    def _cluster_member_payments_query(self, date_to=None):
        """The query of ``_cluster_member_payments``: each posted customer invoice or
        credit note on the projects' analytic accounts up to ``date_to`` with its
        project share, total and every reconciliation of its payment terms."""
        return SQL(
            """
            WITH share AS (
                SELECT aal.account_id, move.id AS move_id, SUM(aal.amount) AS amount
                  FROM account_analytic_line aal
                  JOIN account_move_line aml ON aml.id = aal.move_line_id
                  JOIN account_move move ON move.id = aml.move_id
                 WHERE aal.account_id = ANY(%(accounts)s)
                   AND move.move_type IN ('out_invoice', 'out_refund')
                   AND move.state = 'posted'
                   AND (%(date_to)s::date IS NULL OR move.date <= %(date_to)s::date)
                 GROUP BY aal.account_id, move.id
            ),
            part AS (
                SELECT term.move_id, other.date, other_move.name,
                       other_move.move_type IN ('out_invoice', 'out_refund') AS credit,
                       partial.amount
                  FROM account_move_line term
                  JOIN account_partial_reconcile partial
                    ON partial.debit_move_id = term.id
                  JOIN account_move_line other ON other.id = partial.credit_move_id
                  JOIN account_move other_move ON other_move.id = other.move_id
                 WHERE term.move_id IN (SELECT move_id FROM share)
                   AND term.display_type = 'payment_term'
                 UNION ALL
                SELECT term.move_id, other.date, other_move.name,
                       other_move.move_type IN ('out_invoice', 'out_refund') AS credit,
                       partial.amount
                  FROM account_move_line term
                  JOIN account_partial_reconcile partial
                    ON partial.credit_move_id = term.id
                  JOIN account_move_line other ON other.id = partial.debit_move_id
                  JOIN account_move other_move ON other_move.id = other.move_id
                 WHERE term.move_id IN (SELECT move_id FROM share)
                   AND term.display_type = 'payment_term'
            )
            SELECT share.account_id, move.commercial_partner_id, move.id, move.name,
                   move.invoice_date, share.amount::float8,
                   ABS(move.amount_total_signed)::float8,
                   part.date, part.name, part.credit, part.amount::float8
              FROM share
              JOIN account_move move ON move.id = share.move_id
         LEFT JOIN part ON part.move_id = share.move_id
             ORDER BY move.invoice_date, move.id, part.date, part.name
            """,
            accounts=self.account_id.ids,
            date_to=date_to,
        )

    def _cluster_demo_member_cash(self, items):
        """Demo data only: invoice each ``(firm id, amount, date, paid on)`` on the
        project's analytic account, post it and pay it in full on ``paid on`` (if set).
        Runs once: a project that already has these demo invoices is left alone."""
        self.ensure_one()
        ref = "Demo: kontant insats"
        Move = self.env["account.move"]
        if Move.search_count([("ref", "=", ref), ("move_type", "=", "out_invoice")], limit=1):
            return False
        for firm_id, amount, day, paid_on in items:
            invoice = Move.create(
                {
                    "move_type": "out_invoice",
                    "partner_id": firm_id,
                    "invoice_date": day,
                    "ref": ref,
                    "invoice_line_ids": [
                        fields.Command.create(
                            {
                                "name": self.env._(
                                    "Cash contribution %(project)s", project=self.name
                                ),
                                "quantity": 1.0,
                                "price_unit": amount,
                                "tax_ids": [fields.Command.clear()],
                                "analytic_distribution": {str(self.account_id.id): 100},
                            }
                        )
                    ],
                }
            )
            invoice.action_post()
            if paid_on:
                self.env["account.payment.register"].with_context(
                    active_model="account.move", active_ids=invoice.ids
                ).create({"payment_date": paid_on})._create_payments()
        return True
