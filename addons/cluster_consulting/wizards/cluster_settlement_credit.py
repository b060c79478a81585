# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class ClusterSettlementCredit(models.TransientModel):
    """Credit chosen hours or cost shares of a settlement: a credit note for exactly
    these on each posted document that settled them; the hours are freed for a later
    run and the shares are marked credited.

    As Odoo's ``account.move.reversal``, the wizard owns the credit notes: their values
    are built by ``_prepare_refund_vals`` (the header) and ``_prepare_refund_line_vals``
    (a line), for hours and cost shares alike."""

    _name = "cluster.settlement.credit"
    _description = "Credit Settled Hours"

    settlement_id = fields.Many2one("cluster.settlement", required=True, ondelete="cascade")
    line_ids = fields.Many2many(
        "account.analytic.line",
        string="Hours to credit",
        domain="[('cluster_bill_line_id.move_id.cluster_settlement_id', '=', settlement_id)]",
    )
    share_ids = fields.Many2many(
        "cluster.settlement.share",
        string="Cost shares to credit",
        domain="[('settlement_id', '=', settlement_id), ('state', '=', 'invoiced')]",
    )
    reason = fields.Char(required=True)

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group("cluster_base.cluster_base_group_manager"):
            raise AccessError(self.env._("Only a cluster manager can credit settled hours."))
        self.env["account.move"].check_access("create")
        if not self.line_ids and not self.share_ids:
            raise UserError(self.env._("Choose the hours or cost shares to credit."))
        if self.share_ids:
            self._credit_shares()
        if not self.line_ids:
            return {"type": "ir.actions.act_window_close"}
        return self._credit_hours()

    # Values of the credit notes ---------------------------------------------------

    def _prepare_refund_vals(self, move, lines):
        """Values of the credit note of ``move`` with the line values ``lines`` (each a
        dict of ``_prepare_refund_line_vals``), as ``account.move.reversal``'s
        ``_prepare_default_reversal``: the credit note of a self-billed bill is
        self-billed too."""
        self.ensure_one()
        return {
            "move_type": "in_refund" if move.move_type == "in_invoice" else "out_refund",
            "partner_id": move.partner_id.id,
            "company_id": move.company_id.id,
            "currency_id": move.currency_id.id,
            "invoice_date": fields.Date.context_today(self),
            "reversed_entry_id": move.id,
            "ref": self.env._(
                "Credit of %(name)s: %(reason)s", name=move.name, reason=self.reason
            ),
            "cluster_settlement_id": self.settlement_id.id,
            "cluster_self_billed": move.cluster_self_billed,
            "invoice_line_ids": [fields.Command.create(line) for line in lines],
        }

    def _prepare_refund_line_vals(self, origin_line, quantity, name):
        """Values of a credit note line taking back ``quantity`` of ``origin_line`` at its
        price, on its account, taxes and analytic distribution."""
        return {
            "product_id": origin_line.product_id.id,
            "name": name,
            "quantity": quantity,
            "price_unit": origin_line.price_unit,
            "account_id": origin_line.account_id.id,
            "tax_ids": [fields.Command.set(origin_line.tax_ids.ids)],
            "analytic_distribution": origin_line.analytic_distribution,
        }

    def _prepare_refund_fee_line_vals(self, move, origin_line, quantity, agreement):
        """Values of the credit note line taking back the association fee on ``quantity``
        hours of ``origin_line`` (a line of the customer invoice ``move``)."""
        fee_product = self.settlement_id._get_products()[1]
        fee_line = move.invoice_line_ids.filtered(lambda line: line.product_id == fee_product)[:1]
        return {
            "product_id": fee_product.id,
            "name": self.env._("Credit of the association fee on %(hours)s h", hours=quantity),
            "quantity": 1,
            "price_unit": self.settlement_id.currency_id.round(
                quantity * origin_line.price_unit * agreement.fee_percent / 100
            ),
            "tax_ids": [fields.Command.set(fee_line.tax_ids.ids)],
        }

    # Hours ----------------------------------------------------------------------------

    def _get_hours_to_credit(self):
        """The chosen hours that this settlement's posted documents settle."""
        settlement = self.settlement_id
        hours = self.line_ids.sudo().filtered(
            lambda h: h.cluster_bill_line_id.move_id.cluster_settlement_id == settlement
            or h.cluster_invoice_line_id.move_id.cluster_settlement_id == settlement
        )
        if not hours:
            raise UserError(
                self.env._("None of these hours is settled by %(name)s.", name=settlement.name)
            )
        origin_lines = hours.cluster_bill_line_id | hours.cluster_invoice_line_id
        if origin_lines.move_id.filtered(lambda m: m.state != "posted"):
            raise UserError(
                self.env._(
                    "Some of these hours are on a draft document: edit or cancel the draft "
                    "instead of crediting it."
                )
            )
        return hours

    def _prepare_hour_refunds(self, hours):
        """Values of one credit note per document that settled ``hours``: per document
        line, the hours credited and, on a customer invoice, the fee on them."""
        credited = defaultdict(float)
        for hour in hours:
            for aml in hour.cluster_bill_line_id | hour.cluster_invoice_line_id:
                credited[aml] += hour.unit_amount
        by_move = defaultdict(list)
        for aml in sorted(credited, key=lambda line: line.id):
            by_move[aml.move_id].append(aml)
        move_vals = []
        for move, amls in by_move.items():
            lines = []
            for aml in amls:
                qty = credited[aml]
                name = self.env._(
                    "Credit %(hours)s h of %(line)s: %(reason)s",
                    hours=qty,
                    line=aml.name,
                    reason=self.reason,
                )
                lines.append(self._prepare_refund_line_vals(aml, qty, name))
                agreement = hours.filtered(
                    lambda h, aml=aml: aml in (h.cluster_invoice_line_id | h.cluster_bill_line_id)
                ).agreement_id[:1]
                if move.move_type == "out_invoice" and agreement.fee_percent:
                    lines.append(self._prepare_refund_fee_line_vals(move, aml, qty, agreement))
            move_vals.append(self._prepare_refund_vals(move, lines))
        return move_vals

    def _credit_hours(self):
        """Create the credit notes for the chosen hours and free exactly these hours."""
        self.ensure_one()
        settlement = self.settlement_id
        hours = self._get_hours_to_credit()
        move_vals = self._prepare_hour_refunds(hours)
        with self.env.cr.savepoint():
            refunds = self.env["account.move"].create(move_vals)
            # the credited hours are on no document line of the settlement any more
            hours._cluster_free_documents()
        settlement.message_post(
            body=self.env._(
                "%(hours)s hours credited (%(count)s credit notes): %(reason)s",
                hours=sum(hours.mapped("unit_amount")),
                count=len(refunds),
                reason=self.reason,
            )
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit notes"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", refunds.ids)],
        }

    # Cost shares ----------------------------------------------------------------------

    def _credit_shares(self):
        """Credit notes for exactly the chosen posted shares; they are freed for a rerun."""
        self.ensure_one()
        settlement = self.settlement_id
        shares = self.share_ids.filtered(
            lambda s: s.settlement_id == settlement and s.state == "invoiced"
        )
        if not shares:
            raise UserError(
                self.env._(
                    "None of these cost shares is invoiced by %(name)s.", name=settlement.name
                )
            )
        if shares.move_id.filtered(lambda m: m.state != "posted"):
            raise UserError(
                self.env._(
                    "Some of these cost shares are on a draft invoice: edit or cancel the "
                    "draft instead of crediting it."
                )
            )
        by_move = defaultdict(list)
        for share in shares.sorted("id"):
            line = share.move_line_id
            name = self.env._("Credit of %(line)s: %(reason)s", line=line.name, reason=self.reason)
            by_move[share.move_id].append(
                self._prepare_refund_line_vals(line, line.quantity, name)
            )
        refunds = self.env["account.move"].create(
            [self._prepare_refund_vals(move, lines) for move, lines in by_move.items()]
        )
        shares._cluster_release("credited")
        settlement.message_post(
            body=self.env._(
                "%(count)s cost shares credited: %(reason)s", count=len(shares), reason=self.reason
            )
        )
        return refunds
