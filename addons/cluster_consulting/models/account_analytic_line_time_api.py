# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The external reference a member firm's time system gives each hour it pushes, and
the values of an expert's hour shared by the portal's hour form and the time API.

Kept apart from ``account_analytic_line.py`` so the time-system API stays one piece.
"""

# Kept in its own file with the API it serves (other branches edit the main one).
# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

EXTERNAL_REF_INDEX = "account_analytic_line_cluster_external_ref_uniq"


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    cluster_external_ref = fields.Char(
        string="External reference",
        copy=False,
        readonly=True,
        help="The reference of this hour in the lending firm's own time system. "
        "Unique per lending firm: pushing the same reference again returns this hour.",
    )

    @api.model
    def _prepare_hour_vals(self, agreement, day, hours, description, task_id=False):
        """Values of an expert's hour on ``agreement``, for the portal's hour form and
        the time API (``account.analytic.line`` create values).

        ``agreement`` was found by the caller as the user (the expert's own, or one the
        firm lends); project, task and employee come from it. State, period, agreed
        tasks and the caps are checked by the model's constraints, with their messages.
        A task id that is not one of the agreement's is refused here (it may not exist).
        """
        # sudo: the agreement was found as the user; its project, agreed tasks and
        # expert's employee are part of it.
        agreement_sudo = agreement.sudo()
        task = agreement_sudo.task_ids[:0]
        if task_id:
            task = agreement_sudo.task_ids.filtered(lambda t: t.id == task_id)
            if not task:
                raise ValidationError(self.env._("Choose one of the agreement's tasks."))
        return {
            "agreement_id": agreement.id,
            "project_id": agreement_sudo.project_id.id,
            "task_id": task.id or False,
            "employee_id": agreement_sudo.expert_id.employee_id.id,
            "date": day,
            "unit_amount": hours,
            "name": description,
        }

    def _auto_init(self):
        # A new, empty column: created in SQL so installing needs no Python pass over
        # every existing line (they have no external reference).
        if not column_exists(self.env.cr, self._table, "cluster_external_ref"):
            create_column(self.env.cr, self._table, "cluster_external_ref", "varchar")
        return super()._auto_init()

    def init(self):
        res = super().init()
        # One hour per lending firm and reference, enforced by PostgreSQL, so two
        # concurrent pushes of the same hour can never both be saved. The index also
        # serves the look-up by (firm, reference).
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s "
                "(cluster_lender_id, cluster_external_ref) "
                "WHERE cluster_external_ref IS NOT NULL",
                SQL.identifier(EXTERNAL_REF_INDEX),
                SQL.identifier(self._table),
            )
        )
        return res
