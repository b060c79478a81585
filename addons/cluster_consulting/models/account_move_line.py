# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

# What a line settling hours must keep equal to its hours and agreement.
LINKED_FIELDS = ("quantity", "price_unit", "account_id", "partner_id", "product_id")


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # The document side of the settlement links (see account.analytic.line): the hours a
    # vendor bill line pays the lender for, the hours a customer invoice line charges.
    cluster_billed_hour_ids = fields.One2many(
        "account.analytic.line",
        "cluster_bill_line_id",
        string="Billed hours",
        readonly=True,
        copy=False,
        groups="account.group_account_invoice",
    )
    cluster_invoiced_hour_ids = fields.One2many(
        "account.analytic.line",
        "cluster_invoice_line_id",
        string="Invoiced hours",
        readonly=True,
        copy=False,
        groups="account.group_account_invoice",
    )

    def write(self, vals):
        if any(name in vals for name in LINKED_FIELDS):
            settled = self.filtered(lambda line: line.move_id.cluster_settlement_id)
            if settled:
                linked = self.browse(
                    list({line.id for line, _agreement in settled._cluster_linked_hours()})
                )
                changed = linked.filtered(lambda line: line._cluster_changes(vals))
                if changed:
                    changed._cluster_raise_linked_edit()
        return super().write(vals)

    def _cluster_changes(self, vals):
        """Whether ``vals`` changes one of the fields a linked line keeps."""
        self.ensure_one()
        for name in LINKED_FIELDS:
            if name not in vals:
                continue
            field = self._fields[name]
            old = self[name]
            new = vals[name]
            if field.type == "many2one":
                if old.id != (new or False):
                    return True
            elif name == "price_unit":
                if self.currency_id.compare_amounts(old, new or 0.0):
                    return True
            elif float_compare(
                old, new or 0.0, precision_rounding=self.product_uom_id.rounding or 0.01
            ):
                return True
        return False

    def _cluster_hours(self):
        """The hours linked to these lines, of either kind."""
        return self.cluster_billed_hour_ids | self.cluster_invoiced_hour_ids

    def _cluster_linked_hours(self):
        """Hours settled by these lines: ``{(line, agreement): hours}``, in two queries
        (vendor bill links and customer invoice links)."""
        result = {}
        if not self.ids:
            return result
        Hour = self.env["account.analytic.line"].sudo()
        for link in ("cluster_bill_line_id", "cluster_invoice_line_id"):
            for line, agreement, hours in Hour._read_group(
                [(link, "in", self.ids)], [link, "agreement_id"], ["unit_amount:sum"]
            ):
                key = (line.with_env(self.env), agreement.with_env(self.env))
                result[key] = result.get(key, 0.0) + hours
        return result

    def _cluster_raise_linked_edit(self):
        moves = self.move_id
        raise UserError(
            self.env._(
                "%(documents)s of settlement %(settlement)s settle approved hours: a line "
                "linked to hours keeps the hours' quantity, the agreement's rate (and "
                "association fee), account and firm. To correct it, credit the hours with "
                "the settlement's “Credit settled hours” action, or cancel the document to "
                "free its hours for the next run.",
                documents=", ".join(moves.mapped("display_name")),
                settlement=", ".join(moves.cluster_settlement_id.mapped("name")),
            )
        )
