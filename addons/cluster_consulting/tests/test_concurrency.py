from datetime import date

import psycopg2.errors

from odoo import SUPERUSER_ID, api
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
            firm = env["res.partner"].create(
                {"name": "Samtidiga AB", "is_company": True}
            )
            person = env["res.partner"].create(
                {"name": "Greta Samtidig", "parent_id": firm.id}
            )
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
            env["account.analytic.line"].search(
                [("agreement_id", "=", ids["agreement"])]
            ).unlink()
            cr.execute(
                "DELETE FROM cluster_agreement WHERE id = %s", [ids["agreement"]]
            )
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
