# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import psycopg2.errors

from odoo import fields, models
from odoo.exceptions import UserError

# the columns of cluster_settlement_share that its active-share unique index and its
# required fields need: what the probe insert writes
_SHARE_PROBE_COLUMNS = (
    "settlement_id",
    "project_id",
    "partner_id",
    "company_id",
    "currency_id",
    "move_line_id",
    "date_from",
    "date_to",
)


class ClusterSettlement(models.Model):
    """Cost-share invoicing of a settlement run: the participants' cash shares of the
    joint projects for the period (decided by cluster_projects,
    ``project.project._cluster_cost_shares``) on one draft invoice per firm, one line
    and one ``cluster.settlement.share`` per project."""

    _inherit = "cluster.settlement"

    def _get_share_product(self):
        return self.env.ref("cluster_consulting.product_product_cluster_cost_share")

    def _get_share_projects(self):
        Project = self.env["project.project"]
        return Project.search(Project._cluster_get_share_domain(self.company_id))

    def _get_cost_share_plan(self):
        """``[(project, figures, [(participant, amount)])]``: the cost shares of the
        period (``project.project._cluster_cost_shares``)."""
        self.ensure_one()
        return self._get_share_projects()._cluster_cost_shares(
            self.date_from, self.date_to, self.currency_id
        )

    def _get_shares_to_invoice(self, plan):
        """``{partner: [(project, figures, participant, amount)]}``: the shares of ``plan``
        that have no active share of the period yet, their participants locked."""
        Participant = self.env["cluster.project.participant"]
        self.env["project.project"]._cluster_lock_share_participants(
            Participant.union(*(p for _pr, _f, amounts in plan for p, _a in amounts))
        )
        existing = {
            (project.id, partner.id)
            for project, partner in self.env["cluster.settlement.share"]._read_group(
                [
                    ("project_id", "in", [project.id for project, _f, _a in plan]),
                    ("date_from", "=", self.date_from),
                    ("state", "=", "invoiced"),
                ],
                ["project_id", "partner_id"],
            )
        }
        by_partner = {}
        for project, figures, amounts in plan:
            for participant, amount in amounts:
                partner = participant.partner_id
                if (project.id, partner.id) in existing or self.currency_id.is_zero(amount):
                    continue
                by_partner.setdefault(partner, []).append((project, figures, participant, amount))
        for items in by_partner.values():
            items.sort(key=lambda item: item[0].id)
        return by_partner

    def _share_line_name(self, project, participant, figures):
        return self.env._(
            "Cost share %(share).2f %% of %(project)s, %(date_from)s – %(date_to)s "
            "(cash cost %(cost).2f, public funding %(public).2f)",
            share=participant.cost_share,
            project=project.name,
            date_from=self.date_from,
            date_to=self.date_to,
            cost=figures["cost"],
            public=figures["public"],
        )

    def _prepare_share_invoice_vals(self, partner):
        """Values of the cost-share invoice to ``partner``, without lines."""
        self.ensure_one()
        return {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "invoice_date": self.date_to,
            "ref": self.env._("Cost shares %(name)s", name=self.name),
            "cluster_settlement_id": self.id,
            "invoice_line_ids": [],
        }

    def _get_share_tax(self):
        # a cost share pays for the association's services: Swedish VAT on services
        return self.company_id._cluster_services_taxes(self.company_id.account_sale_tax_id)

    def _prepare_share_invoice_line_vals(
        self, project, figures, participant, amount, product, tax
    ):
        """Values of the invoice line of ``participant``'s share ``amount`` of
        ``project`` (``product`` and ``tax``: the cost-share product and its tax)."""
        self.ensure_one()
        return {
            "product_id": product.id,
            "name": self._share_line_name(project, participant, figures),
            "quantity": 1.0,
            "price_unit": amount,
            "tax_ids": [fields.Command.set(tax.ids)],
            # the share is the project's income: on its analytic account (a share
            # project always has one)
            "analytic_distribution": {str(project.account_id.id): 100},
        }

    def _prepare_share_vals(self, move, line, project, figures, participant, amount):
        """Values of the ``cluster.settlement.share`` invoiced on ``line`` of ``move``."""
        self.ensure_one()
        return {
            "settlement_id": self.id,
            "project_id": project.id,
            "partner_id": participant.partner_id.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "cost_amount": figures["cost"],
            "public_amount": figures["public"],
            "base_amount": figures["base"],
            "cost_share": participant.cost_share,
            "amount": amount,
            "move_line_id": line.id,
            "move_id": move.id,
        }

    def _create_share_invoices(self, move_vals, rows):
        """Create the invoices ``move_vals`` and a share per line (``rows``: per invoice,
        the ``(project, figures, participant, amount)`` of its lines)."""
        try:
            # a run from an old snapshot hits the shares' unique index (probed unlogged
            # below): rolled back to the savepoint and answered cleanly
            with self.env.cr.savepoint():
                moves = self.env["account.move"].create(move_vals)
                share_vals = [
                    self._prepare_share_vals(move, line, *item)
                    for move, items in zip(moves, rows, strict=True)
                    for line, item in zip(move.invoice_line_ids.sorted("id"), items, strict=True)
                ]
                # a run from an older snapshot that committed these shares meanwhile:
                # the unique index refuses them here, unlogged
                self._probe_insert(
                    "cluster_settlement_share",
                    [
                        {key: vals[key] for key in _SHARE_PROBE_COLUMNS} | {"state": "invoiced"}
                        for vals in share_vals
                    ],
                )
                # sudo: shares are written by the run only (its rights checked in
                # action_run); managers read them but never edit them by hand
                self.env["cluster.settlement.share"].sudo().create(share_vals)
                self.env.flush_all()
        except psycopg2.errors.UniqueViolation:
            raise UserError(
                self.env._(
                    "Another settlement has just invoiced these cost shares; reload and "
                    "rerun to see what is left."
                )
            ) from None
        return moves

    def _run_cost_shares(self):
        """Invoice the participants' cash shares of the period that have no active share
        yet: one draft invoice per firm, one line per project."""
        self.ensure_one()
        plan = self._get_cost_share_plan()
        if not plan:
            return self.env["account.move"]
        by_partner = self._get_shares_to_invoice(plan)
        if not by_partner:
            return self.env["account.move"]
        self._check_partners(self.env["res.partner"].union(*by_partner))
        product, tax = self._get_share_product(), self._get_share_tax()
        move_vals = []
        for partner, items in by_partner.items():
            vals = self._prepare_share_invoice_vals(partner)
            vals["invoice_line_ids"] += [
                fields.Command.create(
                    self._prepare_share_invoice_line_vals(*item, product=product, tax=tax)
                )
                for item in items
            ]
            move_vals.append(vals)
        moves = self._create_share_invoices(move_vals, list(by_partner.values()))
        self.message_post(
            body=self.env._("%(count)s cost-share invoices created.", count=len(moves))
        )
        return moves
