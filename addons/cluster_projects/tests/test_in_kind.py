from collections import deque
from datetime import date
from unittest.mock import patch

import psycopg2

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.sql import column_exists

from .common import ClusterProjectsCommon


@tagged("post_install", "-at_install")
class TestInKind(ClusterProjectsCommon):
    def test_participant_hour_is_in_kind_at_agreed_value(self):
        line = self._log(self.employee_a, 3.5)
        self.assertEqual(line.cluster_hour_use, "in_kind")
        self.assertEqual(line.cluster_member_id, self.firm_a)
        self.assertEqual(line.cluster_in_kind_value, 1750.0)
        self.assertEqual(line.cluster_cost_category, "own_staff_in_kind")

    def test_salary_formula(self):
        line = self._log(self.employee_b, 2.0)
        # 34 400 x 12 / 1 720 = 240 per hour
        self.assertEqual(line.cluster_in_kind_value, 480.0)

    def test_other_firm_hour_is_not_in_kind(self):
        line = self._log(self.employee_c, 2.0)
        self.assertFalse(line.cluster_hour_use)
        self.assertFalse(line.cluster_member_id)
        self.assertEqual(line.cluster_in_kind_value, 0.0)

    def test_new_participant_turns_hours_in_kind(self):
        line = self._log(self.employee_c, 2.0)
        self.env["cluster.project.participant"].create(
            {
                "project_id": self.project.id,
                "partner_id": self.firm_c.id,
                "hourly_value": 300.0,
            }
        )
        self.assertEqual(line.cluster_hour_use, "in_kind")
        self.assertEqual(line.cluster_in_kind_value, 600.0)

    def test_participant_with_hours_stays(self):
        self._log(self.employee_a, 1.0)
        with self.assertRaisesRegex(UserError, "has in-kind hours"):
            self.participant_a.unlink()
        self.participant_b.unlink()  # no hours yet
        self.assertEqual(self.project.cluster_participant_ids, self.participant_a)

    def test_bought_out_hour_stays_bought_out(self):
        line = self.env["account.analytic.line"].create(
            {
                "name": "Köpt tid",
                "project_id": self.project.id,
                "task_id": self.task.id,
                "employee_id": self.employee_a.id,
                "unit_amount": 4.0,
                "date": date(2026, 3, 3),
                "cluster_hour_use": "bought_out",
            }
        )
        self.assertEqual(line.cluster_hour_use, "bought_out")
        self.assertEqual(line.cluster_in_kind_value, 0.0)
        self.assertEqual(line.cluster_cost_category, "bought_out")

    def test_hour_outside_eligible_period_refused(self):
        with self.assertRaisesRegex(ValidationError, "outside the project's eligible period"):
            self._log(self.employee_a, 1.0, day=date(2027, 1, 5))
        # with a grant, the hour must fall in one of the grants' eligible periods
        self._grant(date_from=date(2026, 2, 1), date_to=date(2026, 6, 30))
        with self.assertRaisesRegex(ValidationError, "outside the project's eligible period"):
            self._log(self.employee_a, 1.0, day=date(2026, 1, 15))
        self.assertTrue(self._log(self.employee_a, 1.0, day=date(2026, 2, 15)))

    def test_database_guarantees_one_use(self):
        """An hour's use is one column; PostgreSQL refuses a second or half use."""
        line = self._log(self.employee_a, 1.0)
        self.env.flush_all()
        cr = self.env.cr
        for sql in (
            "UPDATE account_analytic_line SET cluster_hour_use = 'both' WHERE id = %s",
            "UPDATE account_analytic_line SET cluster_member_id = NULL WHERE id = %s",
        ):
            with (
                self.subTest(sql=sql),
                self.assertRaises(psycopg2.errors.CheckViolation),
                mute_logger("odoo.sql_db"),
            ):
                with cr.savepoint():
                    cr.execute(sql, (line.id,))
        cr.execute(
            "SELECT cluster_hour_use FROM account_analytic_line WHERE id = %s",
            (line.id,),
        )
        self.assertEqual(cr.fetchone()[0], "in_kind")
        # switching the use is a change of the one value, never a second flag
        line.cluster_hour_use = "bought_out"
        self.env.flush_all()
        cr.execute(
            "SELECT cluster_hour_use, cluster_in_kind_value FROM account_analytic_line"
            " WHERE id = %s",
            (line.id,),
        )
        self.assertEqual(cr.fetchone(), ("bought_out", 0))

    def test_hour_in_submitted_claim_is_locked(self):
        grant = self._grant()
        line = self._log(self.employee_a, 2.0, day=date(2026, 3, 2))
        later = self._log(self.employee_a, 2.0, day=date(2026, 5, 2))
        claim = self.env["cluster.grant.claim"].create(
            {
                "name": "Rekv 1",
                "grant_id": grant.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 3, 31),
                "amount_claimed": 500.0,
            }
        )
        line.unit_amount = 3.0  # draft claim: still editable
        claim.action_submit()
        with self.assertRaisesRegex(UserError, "submitted payment claim"):
            line.cluster_hour_use = "bought_out"
        with self.assertRaisesRegex(UserError, "submitted payment claim"):
            line.unit_amount = 5.0
        with self.assertRaisesRegex(UserError, "submitted payment claim"):
            line.unlink()
        later.unit_amount = 1.0  # outside the claimed period
        self.assertEqual(line.cluster_hour_use, "in_kind")
        self.assertEqual(line.unit_amount, 3.0)

    def test_auto_init_fills_columns_without_recompute(self):
        """Installing on a filled table adds the columns in SQL, no recompute."""
        self._log(self.employee_c, 1.0)
        self.env.flush_all()
        Line = self.env["account.analytic.line"]
        cr = self.env.cr
        for name in (
            "cluster_member_id",
            "cluster_in_kind_value",
            "cluster_cost_category",
        ):
            cr.execute(f"ALTER TABLE account_analytic_line DROP COLUMN {name} CASCADE")
        # the registry attributes that Registry.init_models() sets up around
        # _auto_init()
        with (
            patch.object(self.registry, "_post_init_queue", deque(), create=True),
            patch.object(self.registry, "_foreign_keys", {}, create=True),
            patch.object(self.registry, "_is_install", False, create=True),
        ):
            Line._auto_init()
        for name in (
            "cluster_member_id",
            "cluster_in_kind_value",
            "cluster_cost_category",
        ):
            self.assertTrue(column_exists(cr, "account_analytic_line", name), name)
            self.assertFalse(self.env.records_to_compute(Line._fields[name]), name)

    def test_columns_created_by_auto_init(self):
        cr = self.env.cr
        cr.execute(
            """SELECT column_name FROM information_schema.columns
                WHERE table_name = 'account_analytic_line' AND column_name LIKE
                'cluster_%%'"""
        )
        columns = {row[0] for row in cr.fetchall()}
        self.assertLessEqual(
            {
                "cluster_hour_use",
                "cluster_member_id",
                "cluster_in_kind_value",
                "cluster_cost_category",
            },
            columns,
        )
