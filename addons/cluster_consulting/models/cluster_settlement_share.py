# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.tools import SQL


class ClusterSettlementShare(models.Model):
    """A participating firm's cash share of a joint project's costs for one settlement
    period, invoiced on one line of the firm's cost-share invoice.

    At most one active share per project, firm and period start: a partial unique index
    in PostgreSQL, so two concurrent runs can't both invoice it. Cancelling the invoice
    or crediting the share sets it to cancelled/credited, which frees the period for a
    later run; deleting the draft invoice line deletes the share.
    """

    _name = "cluster.settlement.share"
    _description = "Joint Project Cost Share"
    _order = "date_from desc, project_id, partner_id"
    _rec_name = "project_id"

    settlement_id = fields.Many2one(
        "cluster.settlement",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    project_id = fields.Many2one(
        "project.project", required=True, index=True, ondelete="restrict", readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Firm",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="To", required=True, readonly=True)
    cost_amount = fields.Monetary(
        string="Cash cost",
        readonly=True,
        help="The project's cash cost of the period (the whole project).",
    )
    public_amount = fields.Monetary(
        string="Public funding",
        readonly=True,
        help="Amount claimed on the project's grants for the period.",
    )
    base_amount = fields.Monetary(
        string="Members' part",
        readonly=True,
        help="Cash cost minus public funding: what the participants share.",
    )
    cost_share = fields.Float(string="Cost share (%)", digits=(5, 2), readonly=True)
    amount = fields.Monetary(string="Share", readonly=True)
    move_line_id = fields.Many2one(
        "account.move.line",
        string="Invoice line",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    move_id = fields.Many2one("account.move", string="Invoice", index=True, readonly=True)
    state = fields.Selection(
        [
            ("invoiced", "Invoiced"),
            ("cancelled", "Cancelled"),
            ("credited", "Credited"),
        ],
        default="invoiced",
        required=True,
        readonly=True,
    )

    _sql_constraints = [
        (
            "amount_positive",
            "CHECK(amount >= 0)",
            "A cost share can't be negative.",
        ),
    ]

    def init(self):
        # one active share per project, firm and period: the guarantee against
        # invoicing a share twice, also across two concurrent runs
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS cluster_settlement_share_active_uniq
                    ON cluster_settlement_share (project_id, partner_id, date_from)
                 WHERE state = 'invoiced'
                """
            )
        )

    def _cluster_release(self, state):
        """Free these shares (the next run of their period invoices them again)."""
        if not self:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE cluster_settlement_share SET state = %s"
                " WHERE id = ANY(%s) AND state = 'invoiced'",
                state,
                self.ids,
            )
        )
        self.invalidate_recordset(["state"])
