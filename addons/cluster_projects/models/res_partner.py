# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .cluster_payroll_overhead import STATUTORY_PAYROLL_PCT


class ResPartner(models.Model):
    _inherit = "res.partner"

    cluster_is_funder = fields.Boolean(
        string="Funder", help="A public or private body that finances joint projects."
    )
    cluster_funder_type = fields.Selection(
        [
            ("national_agency", "National agency"),
            ("regional", "Region"),
            ("county_board", "County administrative board"),
            ("eu_fund", "EU fund"),
            ("municipality", "Municipality"),
            ("private", "Private"),
        ],
        string="Funder type",
    )
    cluster_is_public_body = fields.Boolean(
        string="Public body",
        help="A municipality, region, county administrative board or university: its "
        "cash and in-kind contributions to a joint project are public financing.",
    )
    cluster_payroll_overhead_ids = fields.One2many(
        "cluster.payroll.overhead",
        "partner_id",
        string="Employer contributions",
        groups="cluster_base.cluster_base_group_user",
        help="Employer contributions (%) per year, added to salaries when the firm's "
        "in-kind hours are valued with the salary formula.",
    )
    cluster_participation_ids = fields.One2many(
        "cluster.project.participant",
        "partner_id",
        string="Joint project participations",
    )
    # --- state aid (de minimis) -------------------------------------------------
    cluster_undertaking_parent_id = fields.Many2one(
        "res.partner",
        string="Parent company",
        index="btree_not_null",
        domain=[("is_company", "=", True)],
        groups="cluster_base.cluster_base_group_user",
        help="The firm that controls this one. A firm, its parent and their subsidiaries "
        "form one single undertaking for de minimis aid.",
    )
    cluster_undertaking_child_ids = fields.One2many(
        "res.partner",
        "cluster_undertaking_parent_id",
        string="Subsidiaries",
        groups="cluster_base.cluster_base_group_user",
    )
    cluster_state_aid_ids = fields.One2many(
        "cluster.state.aid",
        "partner_id",
        string="State aid",
        groups="cluster_base.cluster_base_group_user",
    )
    cluster_de_minimis_3y_eur = fields.Float(
        string="De minimis, three years (EUR)",
        digits=(16, 2),
        compute="_compute_cluster_de_minimis_3y_eur",
        groups="cluster_base.cluster_base_group_user",
        help="De minimis aid of the firm's single undertaking (the firm, its parent "
        "company and their subsidiaries) over the last three years: aid granted by the "
        "association and aid declared from other grantors.",
    )

    def _cluster_payroll_overhead_pct(self, day=None):
        """The firm's employer contributions (%) in force on ``day``: its row for that
        year, else its latest earlier year; the statutory rate (31.42 %) without any
        row (no query if the rows are prefetched)."""
        self.ensure_one()
        rows = self.sudo().cluster_payroll_overhead_ids
        if day:
            rows = rows.filtered(lambda row: row.year <= day.year)
        return max(rows, key=lambda row: row.year).pct if rows else STATUTORY_PAYROLL_PCT

    @api.constrains("cluster_undertaking_parent_id")
    def _check_cluster_undertaking_parent(self):
        if self._has_cycle("cluster_undertaking_parent_id"):
            raise ValidationError(self.env._("A firm can't be its own parent company."))

    def _compute_cluster_de_minimis_3y_eur(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.cluster_de_minimis_3y_eur = (
                partner.commercial_partner_id._cluster_de_minimis_total_eur(today)
                if partner.id
                else 0.0
            )

    def _cluster_single_undertaking(self):
        """The firms of this firm's single undertaking: its top parent and every firm
        below it (parent and subsidiaries as registered)."""
        self.ensure_one()
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        top = self.sudo()
        while top.cluster_undertaking_parent_id:  # no cycle: see the constraint
            top = top.cluster_undertaking_parent_id
        undertaking = level = top
        while level:
            level = Partner.search([("cluster_undertaking_parent_id", "in", level.ids)])
            level -= undertaking
            undertaking |= level
        return undertaking.with_env(self.env)

    def _cluster_de_minimis_total_eur(self, date):
        """De minimis aid (EUR) of the single undertaking over the three years up to and
        including ``date``: granted aid of the association plus declared aid."""
        self.ensure_one()
        firms = self._cluster_single_undertaking()
        start = date - relativedelta(years=3) + relativedelta(days=1)
        domain = [
            ("partner_id", "in", firms.ids),
            ("date_granted", ">=", start),
            ("date_granted", "<=", date),
        ]
        aid = (
            self.env["cluster.state.aid"]
            .sudo()
            ._read_group([*domain, ("state", "=", "granted")], [], ["amount_eur:sum"])[0][0]
        )
        declared = (
            self.env["cluster.state.aid.declaration"]
            .sudo()
            ._read_group(domain, [], ["amount_eur:sum"])[0][0]
        )
        return round((aid or 0.0) + (declared or 0.0), 2)
