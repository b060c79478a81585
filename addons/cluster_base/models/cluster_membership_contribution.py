# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class ClusterMembership(models.Model):
    """The capital contribution of a membership: what is due, invoiced, paid and repaid."""

    _inherit = "cluster.membership"

    @api.depends("membership_type_id")
    def _compute_contribution_amount(self):
        for membership in self:
            if membership.state in ("draft", "applied") or not membership.contribution_amount:
                membership.contribution_amount = membership.membership_type_id.contribution_amount

    @api.depends(
        "contribution_amount",
        "move_ids.state",
        "move_ids.move_type",
        "move_ids.cluster_move_kind",
        "move_ids.amount_total",
        "move_ids.amount_residual",
        "move_ids.payment_state",
    )
    def _compute_contribution(self):
        # sudo: the totals of the membership's own contribution moves; a cluster user who
        # cannot read invoices must still see whether the contribution is paid.
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("cluster_membership_id", "in", self.ids),
                    ("cluster_move_kind", "=", "contribution"),
                    ("state", "in", ("draft", "posted")),
                    # an invoice cancelled by a credit note was never owed
                    ("payment_state", "!=", "reversed"),
                ],
                ["cluster_membership_id", "move_type", "state"],
                ["amount_total:sum", "amount_residual:sum"],
            )
        )
        totals = {}
        for membership, move_type, state, total, residual in groups:
            totals[(membership.id, move_type, state)] = (total, residual)
        for membership in self:
            currency = membership.currency_id or self.env.company.currency_id
            inv_total, inv_residual = totals.get(
                (membership.id, "out_invoice", "posted"), (0.0, 0.0)
            )
            draft_total = totals.get((membership.id, "out_invoice", "draft"), (0.0, 0.0))[0]
            ref_total, ref_residual = totals.get(
                (membership.id, "out_refund", "posted"), (0.0, 0.0)
            )
            membership.contribution_invoiced = inv_total
            membership.contribution_paid = inv_total - inv_residual
            membership.contribution_repaid = ref_total - ref_residual
            # a draft invoice is on its way: do not invoice the same amount twice
            membership.contribution_to_invoice = max(
                membership.contribution_amount - inv_total - draft_total, 0.0
            )
            due = membership.contribution_amount
            if currency.is_zero(due):
                state = "none"
            elif membership.contribution_repaid and not currency.is_zero(
                membership.contribution_repaid
            ):
                state = "repaid"
            elif currency.compare_amounts(membership.contribution_paid, due) >= 0:
                state = "paid"
            elif not currency.is_zero(membership.contribution_paid):
                state = "partial"
            elif not currency.is_zero(inv_total):
                state = "invoiced"
            else:
                state = "to_invoice"
            membership.contribution_state = state

    @api.depends("date_exit", "company_id")
    def _compute_contribution_repayable_date(self):
        for membership in self:
            if not membership.date_exit:
                membership.contribution_repayable_date = False
                continue
            fy_end = membership.company_id.compute_fiscalyear_dates(membership.date_exit)[
                "date_to"
            ]
            membership.contribution_repayable_date = fy_end + relativedelta(months=6)

    def action_invoice_contribution(self):
        self._check_state_group("active")
        for membership in self:
            if membership.state not in ("admitted", "active"):
                raise UserError(
                    self.env._("The contribution is invoiced once the firm is admitted.")
                )
            if membership.currency_id.is_zero(membership.contribution_to_invoice):
                raise UserError(
                    self.env._(
                        "The capital contribution of %(firm)s is already invoiced.",
                        firm=membership.partner_id.display_name,
                    )
                )
        moves = self._create_contribution_invoices()
        return self._action_view_moves(moves)

    def action_repay_contribution(self):
        """Credit the paid contribution back once the statutes allow it."""
        self._check_state_group("active")
        today = fields.Date.context_today(self)
        for membership in self:
            if membership.state not in ("resigned", "excluded"):
                raise UserError(
                    self.env._("A contribution is repaid only after the membership has ended.")
                )
            if not membership.contribution_repayable_date or (
                today < membership.contribution_repayable_date
            ):
                raise UserError(
                    self.env._(
                        "The contribution of %(firm)s can be repaid from %(date)s, after the "
                        "annual accounts of the year of exit.",
                        firm=membership.partner_id.display_name,
                        date=membership.contribution_repayable_date or "-",
                    )
                )
            if membership.currency_id.is_zero(
                membership.contribution_paid - membership.contribution_repaid
            ):
                raise UserError(self.env._("There is no paid contribution left to repay."))
        moves = self.env["account.move"].create(
            [
                m._prepare_contribution_move_vals(
                    "out_refund", m.contribution_paid - m.contribution_repaid
                )
                for m in self
            ]
        )
        return self._action_view_moves(moves)

    def action_view_invoices(self):
        self.ensure_one()
        return self._action_view_moves(self.move_ids)

    def _action_view_moves(self, moves):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", moves.ids)]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        if len(moves) == 1:
            action["views"] = [(self.env.ref("account.view_move_form").id, "form")]
            action["res_id"] = moves.id
        return action

    # ------------------------------------------------------------------ invoicing
    def _get_contribution_product(self):
        self.ensure_one()
        product = self.membership_type_id.contribution_product_id or self.env.ref(
            "cluster_base.product_cluster_contribution", raise_if_not_found=False
        )
        if not product:
            raise UserError(self.env._("Configure a capital contribution product first."))
        return product

    def _prepare_contribution_move_vals(self, move_type, amount):
        self.ensure_one()
        product = self._get_contribution_product()
        account = self.company_id._cluster_contribution_account()
        return {
            "move_type": move_type,
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "invoice_date": fields.Date.context_today(self),
            "cluster_membership_id": self.id,
            "cluster_move_kind": "contribution",
            "invoice_origin": self.name,
            "invoice_line_ids": [
                fields.Command.create(
                    {
                        "product_id": product.id,
                        "name": self.env._(
                            "Capital contribution, %(type)s (%(ref)s)",
                            type=self.membership_type_id.name,
                            ref=self.name,
                        ),
                        "quantity": 1,
                        "price_unit": amount,
                        # a capital contribution is equity, not a sale: no VAT, and it
                        # is credited to the members' capital (BAS 2083), not revenue
                        "tax_ids": [fields.Command.clear()],
                        **({"account_id": account.id} if account else {}),
                    }
                )
            ],
        }

    def _create_contribution_invoices(self, post=None):
        moves = self.env["account.move"].create(
            [
                m._prepare_contribution_move_vals("out_invoice", m.contribution_to_invoice)
                for m in self
            ]
        )
        if self._post_invoices() if post is None else post:
            moves.action_post()
            if self._send_invoices():
                moves._cluster_send_mail("contribution")
        for membership, move in zip(self, moves, strict=True):
            membership.message_post(
                body=self.env._(
                    "Capital contribution invoiced: %(move)s", move=move.name or move.display_name
                )
            )
        return moves

    @api.model
    def _send_invoices(self):
        """Posted fee and contribution invoices and reminders go to the firm by e-mail."""
        return self.env["ir.config_parameter"].sudo().get_param("cluster_base.send_invoices") in (
            "1",
            "True",
        )

    @api.model
    def _post_invoices(self):
        return self.env["ir.config_parameter"].sudo().get_param("cluster_base.post_invoices") in (
            "1",
            "True",
        )
