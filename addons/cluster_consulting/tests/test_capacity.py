from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged

from .common import ConsultingCommon

# Working days (Monday to Friday) of 2026: March 22, April 22, May 21, June 22.
APRIL_SHARE_OF_80 = 80.0 * 22 / 87  # 20.23 h of an 80 h agreement over March-June


@tagged("post_install", "-at_install")
class TestExpertCapacity(ConsultingCommon):
    """An expert's released hours are per month: an agreement counts in each month with
    its hour cap spread over its working days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the example: a four-month agreement of 80 h (expert_a releases 40 h a
        # month), requested, so it holds the expert's hours
        cls.long_agreement = cls._create_agreement(
            hour_cap=80.0, date_from=date(2026, 3, 1), date_to=date(2026, 6, 30)
        )
        cls.long_agreement.with_user(cls.cluster_manager).action_request()

    def _monthly_hours(self, agreements):
        rows = self.env["cluster.agreement"]._read_monthly_hours(
            [("id", "in", agreements.ids)], date(2026, 1, 1), date(2026, 12, 31)
        )
        return {(agreement_id, month): hours for agreement_id, _e, month, hours in rows}

    def test_cap_spread_over_working_days(self):
        hours = self._monthly_hours(self.long_agreement)
        agreement_id = self.long_agreement.id
        self.assertEqual(
            {month: round(value, 2) for (_a, month), value in hours.items()},
            {
                date(2026, 3, 1): round(80.0 * 22 / 87, 2),
                date(2026, 4, 1): round(APRIL_SHARE_OF_80, 2),
                date(2026, 5, 1): round(80.0 * 21 / 87, 2),
                date(2026, 6, 1): round(80.0 * 22 / 87, 2),
            },
        )
        self.assertAlmostEqual(sum(hours.values()), 80.0)
        self.assertIn((agreement_id, date(2026, 5, 1)), hours)
        # Monday 30 March to Friday 3 April: 2 working days in March, 3 in April
        short = self._create_agreement(
            hour_cap=10.0, date_from=date(2026, 3, 30), date_to=date(2026, 4, 3)
        )
        # a weekend only: spread over its days
        weekend = self._create_agreement(
            hour_cap=6.0, date_from=date(2026, 2, 28), date_to=date(2026, 3, 1)
        )
        hours = self._monthly_hours(short | weekend)
        self.assertAlmostEqual(hours[short.id, date(2026, 3, 1)], 4.0)
        self.assertAlmostEqual(hours[short.id, date(2026, 4, 1)], 6.0)
        self.assertAlmostEqual(hours[weekend.id, date(2026, 2, 1)], 3.0)
        self.assertAlmostEqual(hours[weekend.id, date(2026, 3, 1)], 3.0)

    def test_one_month_agreement_fits_beside_a_long_one(self):
        """Before, the 80 h counted in full against April: 80 + 19 > 40, refused."""
        april = self._create_agreement(
            hour_cap=19.0,
            date_from=date(2026, 4, 1),
            date_to=date(2026, 4, 30),
            project_id=self.other_project.id,
        )
        april.with_user(self.cluster_manager).action_request()
        self.assertEqual(april.state, "requested")
        load = self.env["cluster.expert"]._get_monthly_load(
            self.expert_a, date(2026, 4, 1), date(2026, 4, 30)
        )
        self.assertAlmostEqual(load[self.expert_a.id, date(2026, 4, 1)], APRIL_SHARE_OF_80 + 19)
        free = self.env["cluster.expert"]._get_free_hours(
            self.expert_a, date(2026, 4, 1), date(2026, 4, 30)
        )
        self.assertAlmostEqual(free[self.expert_a], 40.0 - APRIL_SHARE_OF_80 - 19)

    def test_overbooked_month_refused_with_month_and_figures(self):
        # 20.23 + 25 = 45.23 h in April, 40 released
        with self.assertRaises(ValidationError) as caught:
            self._create_agreement(
                hour_cap=25.0, date_from=date(2026, 4, 1), date_to=date(2026, 4, 30)
            )
        message = str(caught.exception)
        for text in ("Astrid Lind", "April 2026", "40.00", "45.23", "25.00", "20.23"):
            self.assertIn(text, message)
        # raising the cap of the long agreement overbooks its months too
        self._create_agreement(
            hour_cap=19.0, date_from=date(2026, 4, 1), date_to=date(2026, 4, 30)
        )
        with self.assertRaisesRegex(ValidationError, "April 2026"):
            self.long_agreement.with_user(self.cluster_manager).hour_cap = 90.0
        # a draft agreement holds the expert's hours too
        with self.assertRaisesRegex(ValidationError, "May 2026"):
            self._create_agreement(
                hour_cap=30.0, date_from=date(2026, 5, 1), date_to=date(2026, 5, 31)
            )

    @freeze_time("2026-03-15")
    def test_free_hours_per_month_on_the_form_and_in_the_report(self):
        self._create_agreement(
            hour_cap=19.0,
            date_from=date(2026, 4, 1),
            date_to=date(2026, 4, 30),
            project_id=self.other_project.id,
        ).with_user(self.cluster_manager).action_request()
        expert = self.expert_a.with_user(self.cluster_user)
        rows = expert.availability_ids
        self.assertEqual(len(rows), 12, "this month and the next eleven")
        self.assertEqual(rows[0].month, date(2026, 3, 1))
        self.assertEqual(rows[-1].month, date(2027, 2, 1))
        by_month = {row.month: row for row in rows}
        april = by_month[date(2026, 4, 1)]
        self.assertEqual(april.month_label, "2026-04")
        self.assertEqual(april.released_hours, 40.0)
        self.assertAlmostEqual(april.committed_hours, APRIL_SHARE_OF_80 + 19)
        self.assertAlmostEqual(april.free_hours, 40.0 - APRIL_SHARE_OF_80 - 19)
        self.assertAlmostEqual(by_month[date(2026, 5, 1)].free_hours, 40.0 - 80.0 * 21 / 87)
        self.assertEqual(by_month[date(2026, 7, 1)].free_hours, 40.0)
        # the availability report: the same figures, 24 months around this month
        report = self.env["cluster.expert.report.availability"].with_user(self.cluster_user)
        months = report.search([("expert_id", "=", self.expert_a.id)])
        self.assertEqual(len(months), 24)
        self.assertEqual(months[0].month, date(2025, 9, 1))
        april_row = months.filtered(lambda r: r.month == date(2026, 4, 1))
        self.assertAlmostEqual(april_row.free_hours, april.free_hours)
        groups = report._read_group(
            [("expert_id", "=", self.expert_a.id), ("month", "<", date(2026, 7, 1))],
            [],
            ["committed_hours:sum"],
        )
        self.assertAlmostEqual(groups[0][0], 80.0 + 19.0)
        # outside the cluster's users nobody reads the monthly figures
        public = self.env["cluster.expert"].with_user(self.env.ref("base.public_user"))
        self.assertNotIn("availability_ids", public.fields_get())
