# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class ClusterSettlement(models.Model):
    """Netting of a settlement: each firm of its net statements pays or receives one
    amount, its open receivable set off against its open payable by a posted journal
    entry reconciled with the items it nets."""

    _inherit = "cluster.settlement"

    def action_net_balances(self):
        """Net each firm's open receivable against its open payable, so the firm pays or
        receives one amount: one posted journal entry per firm of the settlement,
        reconciled with the open items it nets. The open items are the ledger's
        (``res.partner._cluster_open_balance``), the figure of the net statement."""
        if not self.env.user.has_group("cluster_base.cluster_base_group_manager"):
            raise AccessError(self.env._("Only a cluster manager can net balances."))
        self.env["account.move"].check_access("create")
        entries = self.env["account.move"]
        for settlement in self:
            entries |= settlement._net_balances()
        if not entries:
            return True
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Netting entries"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", entries.ids)],
        }

    def _get_netting_firms(self):
        """The firms whose open items the netting of this settlement nets: the firms of
        its net statements."""
        self.ensure_one()
        self.env.flush_all()
        self.invalidate_recordset(["balance_ids"])
        return self.balance_ids.partner_id.commercial_partner_id

    @staticmethod
    def _allocate_netting(lines, amount, sign, currency):
        """Spread ``amount`` over the accounts of ``lines`` whose open total (residual
        times ``sign``) is positive: ``{account: amount}``."""
        by_account = defaultdict(float)
        for line in lines:
            by_account[line.account_id] += sign * line.amount_residual
        allocation = {}
        for account in sorted(by_account, key=lambda a: a.id):
            if currency.compare_amounts(amount, 0.0) <= 0:
                break
            part = currency.round(min(amount, by_account[account]))
            if currency.compare_amounts(part, 0.0) > 0:
                allocation[account] = part
                amount = currency.round(amount - part)
        return allocation

    def _get_netting_journal(self):
        self.ensure_one()
        journal = self.env["account.journal"].search(
            [("type", "=", "general"), ("company_id", "=", self.company_id.id)], limit=1
        )
        if not journal:
            raise UserError(self.env._("The company has no miscellaneous journal for netting."))
        return journal

    def _get_netting_amounts(self, firms):
        """``{firm: amount}``: what each of ``firms`` has both to pay and to receive (the
        smaller of its open receivable and its open payable), when positive."""
        currency = self.currency_id
        open_balance = firms._cluster_open_balance(self.company_id)
        amounts = {}
        for firm in firms:
            values = open_balance[firm]
            amount = currency.round(min(values["receivable"], -values["payable"]))
            if currency.compare_amounts(amount, 0.0) > 0:
                amounts[firm] = amount
        return amounts

    def _prepare_netting_move_vals(self, firm, lines, amount, journal):
        """Values of the journal entry that nets ``amount`` of ``firm``'s open items
        ``lines``: a debit on its payable accounts, a credit on its receivable ones."""
        currency = self.currency_id
        name = self.env._("Netting %(name)s", name=self.name)
        receivable = lines.filtered(lambda line: line.account_type == "asset_receivable")
        credits = self._allocate_netting(receivable, amount, 1, currency)
        debits = self._allocate_netting(lines - receivable, amount, -1, currency)
        line_vals = [
            fields.Command.create(
                {"name": name, "account_id": account.id, "partner_id": firm.id, side: part}
            )
            for side, allocation in (("debit", debits), ("credit", credits))
            for account, part in allocation.items()
        ]
        return {
            "move_type": "entry",
            "journal_id": journal.id,
            "date": self.date_to,
            "ref": name,
            "cluster_settlement_id": self.id,
            "line_ids": line_vals,
        }

    def _net_balances(self):
        self.ensure_one()
        journal = self._get_netting_journal()
        amounts = self._get_netting_amounts(self._get_netting_firms())
        if not amounts:
            return self.env["account.move"]
        to_net = self.env["res.partner"].union(*amounts)
        by_firm = defaultdict(lambda: self.env["account.move.line"])
        for line in to_net._cluster_open_items(self.company_id):
            by_firm[line.partner_id.commercial_partner_id] |= line
        move_vals = [
            self._prepare_netting_move_vals(firm, by_firm[firm], amount, journal)
            for firm, amount in amounts.items()
        ]
        entries = self.env["account.move"].create(move_vals)
        entries.action_post()
        for entry, firm in zip(entries, amounts, strict=True):
            lines = by_firm[firm]
            for account in entry.line_ids.account_id:
                (
                    entry.line_ids.filtered(lambda line, a=account: line.account_id == a)
                    | lines.filtered(lambda line, a=account: line.account_id == a)
                ).reconcile()
        self.message_post(body=self.env._("%(count)s netting entries posted.", count=len(entries)))
        return entries
