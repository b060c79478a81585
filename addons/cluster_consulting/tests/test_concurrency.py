import logging
import threading
import time
from datetime import date

import psycopg2.errors

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError, ValidationError
from odoo.modules.registry import Registry
from odoo.tests.common import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestCapConcurrency(BaseCase):
    """Two real transactions logging hours on one agreement: they cannot both pass the cap.

    The data is committed (two connections cannot see uncommitted rows) and removed again
    in the class cleanup.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(cls._cleanup)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            firm = env["res.partner"].create({"name": "Samtidiga AB", "is_company": True})
            person = env["res.partner"].create({"name": "Greta Samtidig", "parent_id": firm.id})
            expert = env["cluster.expert"].create(
                {
                    "partner_id": person.id,
                    "hourly_rate": 500.0,
                    "hours_per_month": 100.0,
                }
            )
            project = env["project.project"].create(
                {"name": "Concurrency project", "allow_timesheets": True}
            )
            agreement = env["cluster.agreement"].create(
                {
                    "expert_id": expert.id,
                    "project_id": project.id,
                    "date_from": date(2026, 3, 1),
                    "date_to": date(2026, 3, 31),
                    "hour_cap": 10.0,
                    "state": "active",
                }
            )
            cls.ids = {
                "firm": firm.id,
                "person": person.id,
                "expert": expert.id,
                "employee": expert.employee_id.id,
                "project": project.id,
                "account": project.account_id.id,
                "agreement": agreement.id,
            }

    @classmethod
    def _cleanup(cls):
        ids = cls.ids
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["account.analytic.line"].search([("agreement_id", "=", ids["agreement"])]).unlink()
            cr.execute("DELETE FROM cluster_agreement WHERE id = %s", [ids["agreement"]])
            env["cluster.expert"].browse(ids["expert"]).unlink()
            env["hr.employee"].browse(ids["employee"]).unlink()
            env["project.project"].browse(ids["project"]).unlink()
            env["account.analytic.account"].browse(ids["account"]).unlink()
            env["res.partner"].browse([ids["person"], ids["firm"]]).unlink()

    def _log_vals(self, hours, day):
        return {
            "agreement_id": self.ids["agreement"],
            "project_id": self.ids["project"],
            "employee_id": self.ids["employee"],
            "date": date(2026, 3, day),
            "unit_amount": hours,
            "name": "concurrent",
        }

    @mute_logger("odoo.sql_db")
    def test_two_transactions_cannot_both_pass_the_cap(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            # the second transaction takes its snapshot before the first one commits
            self.assertEqual(
                env2["cluster.agreement"].browse(self.ids["agreement"]).hours_consumed,
                0.0,
            )
            env1["account.analytic.line"].create(self._log_vals(7.0, 2))
            cr1.commit()
            # 7 + 7 > 10: without the lock and the touched row the second would pass,
            # as its snapshot does not contain the first one's hours.
            with self.assertRaises(psycopg2.errors.SerializationFailure):
                env2["account.analytic.line"].create(self._log_vals(7.0, 3))
            cr2.rollback()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            lines = env["account.analytic.line"].search(
                [("agreement_id", "=", self.ids["agreement"])]
            )
            self.assertEqual(sum(lines.mapped("unit_amount")), 7.0)


@tagged("post_install", "-at_install")
class TestSettlementConcurrency(BaseCase):
    """Two settlement runs at once on the same hours produce one set of documents."""

    YEAR = 2037

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(cls._cleanup)
        year = cls.YEAR
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            firm = env["res.partner"].create(
                {
                    "name": "Parallella AB",
                    "is_company": True,
                    "company_registry": "559345-6782",
                }
            )
            person = env["res.partner"].create({"name": "Per Parallell", "parent_id": firm.id})
            expert = env["cluster.expert"].create(
                {
                    "partner_id": person.id,
                    "hourly_rate": 500.0,
                    "hours_per_month": 100.0,
                }
            )
            project = env["project.project"].create(
                {"name": "Settlement concurrency", "allow_timesheets": True}
            )
            agreement = env["cluster.agreement"].create(
                {
                    "expert_id": expert.id,
                    "project_id": project.id,
                    "date_from": date(year, 3, 1),
                    "date_to": date(year, 3, 31),
                    "hour_cap": 50.0,
                    "state": "active",
                }
            )
            lines = env["account.analytic.line"].create(
                [
                    {
                        "agreement_id": agreement.id,
                        "project_id": project.id,
                        "employee_id": expert.employee_id.id,
                        "date": date(year, 3, day),
                        "unit_amount": 2.0,
                        "name": "parallel",
                    }
                    for day in (2, 3, 4)
                ]
            )
            lines.write({"cluster_hour_state": "approved"})
            settlements = env["cluster.settlement"].create(
                [
                    {"date_from": date(year, 3, 1), "date_to": date(year, 3, 31)},
                ]
            )
            cls.ids = {
                "firm": firm.id,
                "person": person.id,
                "expert": expert.id,
                "employee": expert.employee_id.id,
                "project": project.id,
                "account": project.account_id.id,
                "agreement": agreement.id,
                "lines": lines.ids,
                "settlement": settlements.id,
            }

    @classmethod
    def _cleanup(cls):
        ids = cls.ids
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            moves = env["account.move"].search([("cluster_settlement_id", "=", ids["settlement"])])
            moves.unlink()
            cr.execute("DELETE FROM cluster_settlement WHERE id = %s", [ids["settlement"]])
            cr.execute(
                "DELETE FROM cluster_settlement WHERE date_from = %s",
                [date(cls.YEAR, 4, 1)],
            )
            cr.execute("DELETE FROM account_analytic_line WHERE id = ANY(%s)", [ids["lines"]])
            cr.execute("DELETE FROM cluster_agreement WHERE id = %s", [ids["agreement"]])
            env["cluster.expert"].browse(ids["expert"]).unlink()
            env["hr.employee"].browse(ids["employee"]).unlink()
            env["project.project"].browse(ids["project"]).unlink()
            env["account.analytic.account"].browse(ids["account"]).unlink()
            env["res.partner"].browse([ids["person"], ids["firm"]]).unlink()

    def test_second_run_stops_and_rerun_creates_nothing(self):
        settlement_id = self.ids["settlement"]
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            cr2.execute("SET LOCAL lock_timeout = '5s'")  # never hang the suite
            env1["cluster.settlement"].browse(settlement_id).action_run()
            # the first run holds the hours: the second stops at once with a message
            with self.assertRaisesRegex(UserError, "Another settlement"):
                env2["cluster.settlement"].browse(settlement_id).action_run()
            cr2.rollback()
            cr1.commit()
        # a rerun after the first committed creates nothing new
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            settlement = env["cluster.settlement"].browse(settlement_id)
            settlement.action_run()
            self.assertEqual(len(settlement.move_ids), 1)
            hours = env["account.analytic.line"].browse(self.ids["lines"])
            self.assertEqual(len(hours.cluster_bill_line_id), 1)
            self.assertEqual(settlement.move_ids.invoice_line_ids.quantity, 6.0)

    def test_two_transactions_cannot_both_create_a_run_for_the_month(self):
        """A manager and the monthly cron create the run of the same month at once: the
        second transaction's snapshot lacks the first one's run, so only PostgreSQL can
        refuse it, with the same clean message."""
        period = {"date_from": date(self.YEAR, 4, 1), "date_to": date(self.YEAR, 4, 30)}
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            cr2.execute("SET LOCAL lock_timeout = '5s'")  # never hang the suite
            # the second transaction takes its snapshot before the first one commits
            self.assertFalse(
                env2["cluster.settlement"].search([("date_from", "=", period["date_from"])])
            )
            env1["cluster.settlement"].create(period)
            cr1.commit()
            with self.assertRaisesRegex(ValidationError, "overlaps another settlement run"):
                env2["cluster.settlement"].create(period)
            cr2.rollback()
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM cluster_settlement WHERE date_from = %s",
                [period["date_from"]],
            )
            self.assertEqual(cr.fetchone()[0], 1)

    def _wait_for_lock(self, cr, answers):
        """Wait until the backend of ``cr`` waits on a lock (at most 10 s)."""
        pid = cr._cnx.get_backend_pid()
        with self.registry.cursor() as probe:
            for _attempt in range(100):
                probe.execute(
                    "SELECT wait_event_type, state, query FROM pg_stat_activity WHERE pid = %s",
                    [pid],
                )
                row = probe.fetchone()
                if row[0] == "Lock":
                    return
                if answers:
                    break
                time.sleep(0.1)
        self.fail(f"the second transaction never waited on the first one: {answers} {row}")

    def _assert_sql_error_logged(self):
        """A bad query reaches the root logger's handlers (the log file)."""
        with (
            self.assertLogs(level="ERROR") as logs,
            self.registry.cursor() as cr,
            self.assertRaises(psycopg2.errors.DivisionByZero),
        ):
            cr.execute("SELECT 1 / 0")
        self.assertEqual([record.name for record in logs.records], ["odoo.sql_db"])

    def test_concurrent_creation_leaves_sql_logging_on(self):
        """Two threads create the run of one month: the second waits on the first one's
        row and then gets the clean message, and while it waits (and after) SQL errors
        of any other thread are still logged: no process-wide logger is muted."""
        period = {"date_from": date(self.YEAR, 7, 1), "date_to": date(self.YEAR, 7, 31)}
        self.addCleanup(self._delete_runs_from, period["date_from"])
        answers = {}
        sql_logger = logging.getLogger("odoo.sql_db")
        logger_state = (list(sql_logger.handlers), sql_logger.propagate)

        def second(env):
            try:
                env["cluster.settlement"].create(period)
                answers["second"] = "created"
            except ValidationError as error:
                answers["second"] = str(error)
            except Exception as error:  # noqa: BLE001 - the test reports any other answer
                answers["second"] = repr(error)

        with (
            self.assertNoLogs(level="ERROR"),
            self.registry.cursor() as cr1,
            self.registry.cursor() as cr2,
        ):
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            cr2.execute("SET LOCAL lock_timeout = '10s'")  # never hang the suite
            env1["cluster.settlement"].create(period)
            # the environment is made here: a thread building one would wait on the
            # registry lock that the test run holds
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            thread = threading.Thread(target=second, args=(env2,))
            thread.start()
            try:
                self._wait_for_lock(cr2, answers)
                # an SQL error of this thread reaches the log while the other one waits
                self._assert_sql_error_logged()
            finally:
                cr1.commit()
                thread.join(20)
            cr2.rollback()
        self.assertIn("overlaps another settlement run", answers["second"])
        self.assertEqual((sql_logger.handlers, sql_logger.propagate), logger_state)
        self._assert_sql_error_logged()
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM cluster_settlement WHERE date_from = %s",
                [period["date_from"]],
            )
            self.assertEqual(cr.fetchone()[0], 1)

    def _delete_runs_from(self, date_from):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM cluster_settlement WHERE date_from = %s", [date_from])
