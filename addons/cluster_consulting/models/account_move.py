# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .account_analytic_account import EXISTING_KEY

# Fields of a settlement document its lines linked to hours follow (partner, and the
# accounts and prices Odoo recomputes from the fiscal position and currency).
MOVE_KEPT_FIELDS = ("partner_id", "fiscal_position_id", "currency_id")


class AccountMove(models.Model):
    _inherit = "account.move"

    cluster_settlement_id = fields.Many2one(
        "cluster.settlement",
        string="Settlement",
        index="btree_not_null",
        copy=False,
        readonly=True,
        ondelete="restrict",
        # a settlement holds every firm's documents: not for portal users
        groups="base.group_user",
    )
    cluster_self_billed = fields.Boolean(
        string="Self-billing",
        readonly=True,
        copy=False,
        help="The association issued this invoice in the supplier's name and on its behalf "
        "(the settlement's bills of bought-out hours): the document and its PDF carry the "
        "marking “Självfakturering” the VAT act requires.",
    )

    # The hours the document settles, all lines together (as sale_timesheet's
    # timesheet_ids): for accountants and cluster managers, never for portal users.
    cluster_hour_ids = fields.Many2many(
        "account.analytic.line",
        string="Settled hours",
        compute="_compute_cluster_hour_ids",
        compute_sudo=True,
        groups="account.group_account_invoice,cluster_base.cluster_base_group_manager",
    )
    cluster_hour_count = fields.Integer(
        string="Hours settled",
        compute="_compute_cluster_hour_ids",
        compute_sudo=True,
        groups="account.group_account_invoice,cluster_base.cluster_base_group_manager",
    )

    def _compute_cluster_hour_ids(self):
        # the lines' hours, computed for every line of these documents at once
        for move in self:
            hours = move.line_ids.cluster_hour_ids
            move.cluster_hour_ids = hours
            move.cluster_hour_count = len(hours)

    def action_cluster_view_hours(self):
        """The hours this document settles, in the timesheet list (with the line each
        one is on)."""
        self.ensure_one()
        self.check_access("read")
        return self.cluster_hour_ids._cluster_action_view(
            self.env._("Hours of %(document)s", document=self.display_name)
        )

    def _cluster_free_hours(self):
        """Free the hours of these documents so the next settlement takes them again."""
        self.env["account.analytic.line"]._cluster_free_documents(move_lines=self.line_ids)

    def write(self, vals):
        keys = [key for key in MOVE_KEPT_FIELDS if key in vals]
        if keys and self.filtered("cluster_settlement_id"):
            # the lines' partner, account, taxes and amounts follow these fields of the
            # document: a settled document keeps them
            changed = self.filtered(
                lambda m: m.cluster_settlement_id
                and any(m[key].id != (vals[key] or False) for key in keys)
            )
            linked = changed.line_ids._cluster_linked_hours() if changed else {}
            if linked:
                self.env["account.move.line"].browse(
                    [line.id for line, _agreement in linked]
                )._cluster_raise_linked_edit()
        return super().write(vals)

    def _post(self, soft=True):
        documents = self.filtered("cluster_settlement_id")
        documents._cluster_check_hour_lines()
        if documents:
            # the analytic accounts of a settlement's lines are asked for once, not once
            # per line as Odoo's posting does (see account.analytic.account.exists)
            accounts = self.line_ids._cluster_analytic_accounts()
            self = self.with_context(**{EXISTING_KEY: frozenset(accounts.exists().ids)})
        return super()._post(soft=soft)

    def _cluster_check_hour_lines(self):
        """A settlement bill or invoice is posted only while it equals its hours: each
        line linked to hours has their summed quantity, the agreement's rate and the
        agreement's firm (lender on a bill, buyer on an invoice); every expert-time line is
        linked to hours; an invoice's association fee lines total the agreements' fee on
        those hours.

        A constant number of queries for any number of documents and lines."""
        documents = self.filtered(lambda m: m.move_type in ("in_invoice", "out_invoice"))
        if not documents:
            return
        linked = documents.line_ids._cluster_linked_hours()
        hour_product, fee_product = self.env["cluster.settlement"]._get_products()
        hours_by_line = defaultdict(float)
        agreements_by_line = defaultdict(lambda: self.env["cluster.agreement"])
        for (line, agreement), hours in linked.items():
            hours_by_line[line] += hours
            agreements_by_line[line] |= agreement
        fee_expected = defaultdict(float)
        bad = []
        for line, hours in hours_by_line.items():
            agreement = agreements_by_line[line]
            move = line.move_id
            currency = move.currency_id
            if len(agreement) != 1:
                bad.append(line)
                continue
            firm = agreement.lender_id if move.move_type == "in_invoice" else agreement.buyer_id
            if (
                float_compare(
                    line.quantity, hours, precision_rounding=line.product_uom_id.rounding or 0.01
                )
                or currency.compare_amounts(line.price_unit, agreement.hourly_rate)
                or line.partner_id.commercial_partner_id != firm.commercial_partner_id
            ):
                bad.append(line)
            if move.move_type == "out_invoice" and agreement.fee_percent:
                fee_expected[move] += currency.round(
                    line.quantity * agreement.hourly_rate * agreement.fee_percent / 100
                )
        # an hour line linked to no hours (its hours freed, a line typed in by hand) would
        # bill hours that the next run bills again
        bad.extend(
            documents.invoice_line_ids.filtered(
                lambda ml: ml.product_id == hour_product and ml not in hours_by_line
            )
        )
        for move in documents.filtered(lambda m: m.move_type == "out_invoice"):
            fee_lines = move.invoice_line_ids.filtered(lambda ml: ml.product_id == fee_product)
            expected = fee_expected.get(move, 0.0)
            if move.currency_id.compare_amounts(sum(fee_lines.mapped("price_subtotal")), expected):
                bad.append(fee_lines[:1] or move.invoice_line_ids[:1])
        if bad:
            self.env["account.move.line"].union(*bad)._cluster_raise_linked_edit()

    def button_cancel(self):
        res = super().button_cancel()
        settled = self.filtered("cluster_settlement_id")
        settled._cluster_free_hours()
        self.env["cluster.settlement.share"].sudo().search(
            [("move_id", "in", settled.ids), ("state", "=", "invoiced")]
        )._cluster_release("cancelled")
        # Odoo's button returns None, which XML-RPC cannot carry: a client would get a
        # Fault after the cancel was committed
        return True if res is None else res

    def _cluster_check_reversal(self):
        """Odoo's own credit note (reversal) would leave the settled hours and cost shares
        linked to the credited document, so they could never be settled again: a
        settlement's invoices, bills and credit notes are credited with the settlement's
        wizard, which frees exactly what it credits."""
        settled = self.filtered(lambda m: m.cluster_settlement_id and m.is_invoice())
        if settled:
            raise UserError(
                self.env._(
                    "%(documents)s belong to settlement %(settlement)s: credit them with "
                    "the settlement's “Credit settled hours” action, which frees exactly "
                    "the credited hours and cost shares for a later run.",
                    documents=", ".join(settled.mapped("display_name")),
                    settlement=", ".join(settled.cluster_settlement_id.mapped("name")),
                )
            )

    def action_reverse(self):
        self._cluster_check_reversal()
        return super().action_reverse()

    def _reverse_moves(self, default_values_list=None, cancel=False):
        self._cluster_check_reversal()
        return super()._reverse_moves(default_values_list=default_values_list, cancel=cancel)

    def button_draft(self):
        if self.filtered(lambda m: m.cluster_settlement_id and m.state == "cancel"):
            raise UserError(
                self.env._(
                    "A cancelled settlement document has released its hours; "
                    "rerun the settlement instead of resetting it."
                )
            )
        res = super().button_draft()
        return True if res is None else res
