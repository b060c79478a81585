# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare

# What a line settling hours must keep equal to its hours and agreement.
LINKED_FIELDS = ("quantity", "price_unit", "account_id", "partner_id", "product_id")


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # The hours this line settles (as sale_timesheet's timesheet_ids on the invoice):
    # for the accountant who posts the settlement's bills and invoices, never for portal
    # users (they belong to two firms' documents).
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
        hours = {}
        for link in self.env["cluster.hour.link"].search_fetch(
            [("move_line_id", "in", self.filtered("id").ids)], ["hour_id", "move_line_id"]
        ):
            hours.setdefault(link.move_line_id.id, []).append(link.hour_id.id)
        for line in self:
            line.cluster_hour_ids = [fields.Command.set(hours.get(line.id, []))]
            line.cluster_hour_count = len(hours.get(line.id, []))

    def _cluster_analytic_accounts(self):
        """The analytic accounts of these lines' distributions (a key may name several
        accounts, comma-separated)."""
        return self.env["account.analytic.account"].browse(
            {
                int(account_id)
                for distribution in self.mapped("analytic_distribution")
                if distribution
                for key in distribution
                for account_id in key.split(",")
            }
        )

    def _cluster_link_kind(self):
        """The kind of link this line settles hours with: a bill's or an invoice's."""
        self.ensure_one()
        return "bill" if self.move_id.move_type in ("in_invoice", "in_refund") else "invoice"

    def action_cluster_view_hours(self):
        """The hours this line settles, in the timesheet list."""
        self.ensure_one()
        self.check_access("read")
        return self.cluster_hour_ids._cluster_action_view(
            self.env._("Hours of %(line)s", line=self.name or self.move_id.name)
        )

    def write(self, vals):
        if any(name in vals for name in LINKED_FIELDS):
            settled = self.filtered(lambda line: line.move_id.cluster_settlement_id)
            # compared in memory first: Odoo's own syncing of a new document writes these
            # fields with the values they have, and asks the link table nothing then
            changed = settled.filtered(lambda line: line._cluster_changes(vals))
            if changed:
                linked = self.browse(
                    list({line.id for line, _agreement in changed._cluster_linked_hours()})
                )
                if linked:
                    linked._cluster_raise_linked_edit()
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

    def _cluster_linked_hours(self):
        """Hours settled by these lines: ``{(line, agreement): hours}``, in one query on
        the link table."""
        if not self.ids:
            return {}
        self.env["account.analytic.line"].flush_model(["agreement_id", "unit_amount"])
        self.env["cluster.hour.link"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT link.move_line_id, hour.agreement_id, SUM(hour.unit_amount)
                  FROM cluster_hour_link link
                  JOIN account_analytic_line hour ON hour.id = link.hour_id
                 WHERE link.move_line_id = ANY(%s)
                 GROUP BY link.move_line_id, hour.agreement_id
                """,
                self.ids,
            )
        )
        # one prefetch set per model, so reading the lines and agreements is batched
        line_ids = tuple({row[0] for row in rows})
        agreement_ids = tuple({row[1] for row in rows})
        Agreement = self.env["cluster.agreement"]
        return {
            (
                self.browse(line_id).with_prefetch(line_ids),
                Agreement.browse(agreement_id).with_prefetch(agreement_ids),
            ): hours
            for line_id, agreement_id, hours in rows
        }

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
