# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

import psycopg2.errors

from odoo import fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class AccountAnalyticLine(models.Model):
    """The hour's side of the settlement links (``cluster.hour.link``): the two lines
    that settle it, searchable, and the two methods that alone write the links."""

    _inherit = "account.analytic.line"

    # Settlement links: the vendor bill line (lender -> association) and the customer
    # invoice line (association -> buyer) that settle this hour, read from the link table
    # (cluster.hour.link: one link of each kind at most, deleting the line frees the
    # hour). The two lines belong to different firms' documents, so portal users never
    # read the links (a many2one returns its target's name even where the target is
    # forbidden). Written by _cluster_link_documents / _cluster_free_documents only.
    cluster_bill_line_id = fields.Many2one(
        "account.move.line",
        string="Vendor bill line",
        groups="base.group_user",
        compute="_compute_cluster_document_lines",
        inverse="_inverse_cluster_bill_line_id",
        search="_search_cluster_bill_line_id",
        compute_sudo=True,
    )
    cluster_invoice_line_id = fields.Many2one(
        "account.move.line",
        string="Customer invoice line",
        groups="base.group_user",
        compute="_compute_cluster_document_lines",
        inverse="_inverse_cluster_invoice_line_id",
        search="_search_cluster_invoice_line_id",
        compute_sudo=True,
    )

    def _compute_cluster_document_lines(self):
        links = {
            (link.hour_id.id, link.kind): link.move_line_id
            for link in self.env["cluster.hour.link"].search_fetch(
                [("hour_id", "in", self.filtered("id").ids)], ["hour_id", "move_line_id", "kind"]
            )
        }
        empty = self.env["account.move.line"]
        for hour in self:
            hour.cluster_bill_line_id = links.get((hour.id, "bill"), empty)
            hour.cluster_invoice_line_id = links.get((hour.id, "invoice"), empty)

    def _inverse_cluster_bill_line_id(self):
        self._cluster_set_document_line("bill")

    def _inverse_cluster_invoice_line_id(self):
        self._cluster_set_document_line("invoice")

    def _cluster_set_document_line(self, kind):
        """A write of the bill or invoice line (the settlement's code and superuser only,
        see ``write``) goes through the link methods like the settlement's links."""
        field = "cluster_bill_line_id" if kind == "bill" else "cluster_invoice_line_id"
        hours_by_line = defaultdict(lambda: self.browse())
        for hour in self:
            hours_by_line[hour[field]] |= hour
        self._cluster_free_documents(kinds=(kind,))
        for move_line, hours in hours_by_line.items():
            if move_line:
                hours._cluster_link_documents(
                    {agreement: move_line for agreement in hours.agreement_id}, kind=kind
                )

    def _search_cluster_bill_line_id(self, operator, value):
        return self._cluster_search_document_line("bill", operator, value)

    def _search_cluster_invoice_line_id(self, operator, value):
        return self._cluster_search_document_line("invoice", operator, value)

    def _cluster_search_document_line(self, kind, operator, value):
        """Hours by their link of ``kind``, as a sub-query on the link table, for the
        domains of the settlement, the agreement's figures and the credit wizard.

        Hours *without* a link are ``id NOT IN`` a sub-query correlated on the hour (one
        index lookup per hour): the plain ``NOT IN (SELECT hour_id ...)`` Odoo would make
        is hashed by PostgreSQL only while every link fits in ``work_mem``, and above that
        (some 300,000 links) it scans the whole link table for each hour, which took a
        month's settlement from 7 s to 150 s on the large bench data. The hours are the
        root of their query (``account_analytic_line``): no field reaches them with
        ``auto_join``."""
        Link = self.env["cluster.hour.link"].sudo()
        if value is False and operator in ("=", "!="):
            if operator == "=":
                return [
                    (
                        "id",
                        "not in",
                        SQL(
                            "(SELECT link.hour_id FROM cluster_hour_link link"
                            " WHERE link.hour_id = %s AND link.kind = %s)",
                            SQL.identifier(self._table, "id"),
                            kind,
                        ),
                    )
                ]
            linked = Link._search([("kind", "=", kind)])
            return [("id", "in", linked.subselect("hour_id"))]
        linked = Link._search([("kind", "=", kind), ("move_line_id", operator, value)])
        return [("id", "in", linked.subselect("hour_id"))]

    def _cluster_link_documents(self, lines_by_agreement, domains=None, kind=None):
        """Link hours to the document lines that settle them: each hour to the lines of
        its agreement in ``lines_by_agreement`` (``{agreement: account.move.line}``, a
        vendor bill line and/or a customer invoice line), one link of each kind.

        The hours are ``self``; or, for a settlement run, with ``domains``
        (``{kind: domain}``, the run's candidates), every hour matching the domain of
        the line's kind: one ``INSERT ... SELECT`` into the narrow link table for any
        number of hours, which never travel to Python. PostgreSQL refuses a second link
        of one hour and kind (an hour is settled once): a ValidationError, nothing
        linked. The kind of a link is its line's (a bill's or an invoice's) unless
        ``kind`` is given.
        """
        by_kind = defaultdict(dict)  # {kind: {agreement_id: move_line_id}}
        for agreement, move_lines in lines_by_agreement.items():
            for move_line in move_lines:
                by_kind[kind or move_line._cluster_link_kind()][agreement.id] = move_line.id
        if not by_kind or not (self or domains):
            return
        selects = []
        for link_kind, lines in sorted(by_kind.items()):
            agreement_ids = sorted(lines)
            if domains is None:
                hours = self.sudo()._search([("id", "in", self.ids)])
            elif link_kind in domains:
                hours = self.sudo()._search(domains[link_kind])
            else:
                continue
            # the domain's own query (no join of the table to itself), restricted to the
            # run's agreements; each hour's line is looked up in two arrays, not joined to
            # a VALUES list: the hours of a run are often new to the planner's statistics,
            # and a join estimated at one row ran as a nested loop (200 x 100,000
            # comparisons)
            agreement = SQL.identifier(hours.table, "agreement_id")
            hours.add_where(SQL("%s = ANY(%s::int4[])", agreement, agreement_ids))
            selects.append(
                hours.select(
                    SQL.identifier(hours.table, "id"),
                    SQL(
                        "(%s::int4[])[array_position(%s::int4[], %s)]",
                        [lines[agreement_id] for agreement_id in agreement_ids],
                        agreement_ids,
                        agreement,
                    ),
                    SQL("%s", link_kind),
                )
            )
        if not selects:
            return
        query = SQL(
            "INSERT INTO cluster_hour_link (hour_id, move_line_id, kind) %s",
            SQL(" UNION ALL ").join(selects),
        )
        self.env.flush_query(query)
        try:
            with self.env.cr.savepoint(flush=False):
                # a refused second link is answered with a message, not logged as an error
                self.env.cr.execute(query, log_exceptions=False)
        except psycopg2.errors.UniqueViolation:
            raise ValidationError(
                self.env._(
                    "An hour is settled once: some of these hours are already on a vendor "
                    "bill or customer invoice line of the same kind."
                )
            ) from None
        self._cluster_invalidate_links()

    def _cluster_free_documents(self, move_lines=None, kinds=("bill", "invoice")):
        """Free hours from the document lines that settle them, so the next settlement
        takes them again: the links of ``self`` (of ``kinds``), or with ``move_lines``
        every hour linked to those lines (a cancelled or credited document)."""
        if move_lines is not None:
            if not move_lines:
                return
            where = SQL("move_line_id = ANY(%s)", move_lines.ids)
        elif self:
            where = SQL("hour_id = ANY(%s)", self.ids)
        else:
            return
        self.env["cluster.hour.link"].flush_model()
        self.env.cr.execute(
            SQL("DELETE FROM cluster_hour_link WHERE %s AND kind = ANY(%s)", where, list(kinds))
        )
        self._cluster_invalidate_links()

    def _cluster_invalidate_links(self):
        self.env["cluster.hour.link"].invalidate_model()
        self.env["account.analytic.line"].invalidate_model(
            ["cluster_bill_line_id", "cluster_invoice_line_id"]
        )
        self.env["account.move.line"].invalidate_model(["cluster_hour_ids"])
        self.env["account.move"].invalidate_model(["cluster_hour_ids", "cluster_hour_count"])

    def _cluster_action_view(self, name):
        """These hours in the timesheet list: the window a settlement document's or
        document line's *Hours settled* button opens."""
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "account.analytic.line",
            "view_mode": "list,form",
            "domain": [("id", "in", self.ids)],
            "context": {"create": False},
        }
