import importlib.util
import io
from datetime import date
from unittest.mock import patch

import openpyxl

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.misc import file_path

from ..models import cluster_grant_claim as claim_module
from .common import ClusterProjectsCommon


@tagged("post_install", "-at_install")
class TestClaimFreeze(ClusterProjectsCommon):
    """The values of in-kind hours claimed from a funder are frozen."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.grant = cls._grant()
        cls.hour_a = cls._log(cls.employee_a, 6.0, day=date(2026, 2, 2))  # 6 x 500 = 3 000
        cls.hour_b = cls._log(cls.employee_b, 5.0, day=date(2026, 3, 4))  # 5 x 240 = 1 200
        cls.hour_may = cls._log(cls.employee_a, 2.0, day=date(2026, 5, 4))  # outside
        cls.claim = cls.env["cluster.grant.claim"].create(
            {
                "name": "Rekv 1",
                "grant_id": cls.grant.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 3, 31),
                "amount_claimed": 2000.0,
            }
        )

    def _period_in_kind(self):
        data = self.project._cluster_cofinancing_data(date(2026, 1, 1), date(2026, 3, 31))
        return data[self.project.id]["in_kind_value"]

    def _revalue_rates(self):
        """The firm's hourly value and the person's salary change after the claim."""
        self.participant_a.hourly_value = 612.34
        self.employee_b.sudo().cluster_monthly_salary = 41234.56

    def test_submitted_values_are_frozen(self):
        self.claim.with_user(self.cluster_manager).action_submit()
        self.assertEqual((self.claim.in_kind_hours, self.claim.in_kind_value), (11.0, 4200.0))
        row_b = self.claim.line_ids.filtered(lambda r: r.line_id == self.hour_b)
        self.assertEqual(
            (row_b.basis, row_b.monthly_salary, row_b.hourly_rate, row_b.yearly_hours),
            ("salary", 34400.0, 240.0, 1720.0),
        )
        self.assertEqual((row_b.payroll_pct, row_b.hours, row_b.value), (0.0, 5.0, 1200.0))
        row_a = self.claim.line_ids.filtered(lambda r: r.line_id == self.hour_a)
        self.assertEqual(
            (row_a.basis, row_a.hourly_rate, row_a.value), ("hourly_value", 500, 3000)
        )
        self.assertEqual(self.hour_a.cluster_value_claim_id, self.claim)

        self._revalue_rates()
        # the old code revalued: 6 x 612.34 + 5 x 41 234.56 x 12 / 1 720 = 3 674.04 +
        # 1 438.41 = 5 112.45, i.e. +912.45 on a claim already sent
        self.assertEqual(self.hour_a.cluster_in_kind_value, 3000.0)
        self.assertEqual(self.hour_b.cluster_in_kind_value, 1200.0)
        self.assertEqual(self._period_in_kind(), self.claim.in_kind_value)
        self.assertEqual(self._period_in_kind(), 4200.0)
        # an hour outside every claim follows today's rate: 2 x 612.34
        self.assertEqual(self.hour_may.cluster_in_kind_value, 1224.68)
        whole = self.project._cluster_cofinancing_data()[self.project.id]
        self.assertEqual(whole["in_kind_value"], 5424.68)

        # the funder report of the claimed period shows the claim's values
        wizard = self.env["cluster.funder.report"].create(
            {
                "project_id": self.project.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 3, 31),
            }
        )
        wizard.action_export()
        book = openpyxl.load_workbook(io.BytesIO(wizard.attachment_id.raw), read_only=True)
        summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
        self.assertEqual(summary["In-kind value"], 4200.0)
        hours = list(book["Hours"].iter_rows(min_row=2, values_only=True))
        self.assertEqual([(row[4], row[5]) for row in hours], [(6, 3000), (5, 1200)])

    def test_freeze_in_batches_gives_the_same_rows(self):
        """A big project's claim freezes its hours batch by batch (memory stays flat):
        with one hour per batch the rows and values are those of one batch."""
        with patch.object(claim_module, "FREEZE_BATCH", 1):
            self.claim.action_submit()
        self.assertEqual(len(self.claim.line_ids), 2)
        self.assertEqual((self.claim.in_kind_hours, self.claim.in_kind_value), (11.0, 4200.0))
        self.assertEqual(self.hour_b.cluster_value_claim_id, self.claim)
        self.assertEqual(self.hour_b.cluster_in_kind_value, 1200.0)

    def test_hour_into_claimed_period_refused(self):
        self.claim.action_submit()
        with self.assertRaisesRegex(ValidationError, "Rekv 1, already sent to the funder"):
            self._log(self.employee_a, 1.0, day=date(2026, 3, 10))
        with self.assertRaisesRegex(ValidationError, "must be zero or more"):
            self.claim.copy({"amount_claimed": -5.0, "state": "draft"})

    def test_paid_claim_never_returns_to_draft(self):
        self.claim.action_submit()
        self.claim.action_mark_paid()
        with self.assertRaisesRegex(UserError, "Rekv 1 is paid and can't return to draft"):
            self.claim.with_user(self.cluster_manager).action_reset_draft()
        with self.assertRaisesRegex(UserError, "can't be deleted"):
            self.claim.unlink()
        with self.assertRaisesRegex(UserError, "Rekv 1 were sent to the funder"):
            self.claim.amount_claimed = 2500.0
        with self.assertRaisesRegex(UserError, "Rekv 1 were sent to the funder"):
            self.claim.amount_received = 100.0
        self.assertEqual(self.claim.state, "paid")

    def test_submitted_claim_back_to_draft_unfreezes(self):
        self.claim.action_submit()
        self.claim.action_reset_draft()
        self.assertFalse(self.claim.line_ids)
        self.assertFalse(self.hour_a.cluster_value_claim_id)
        self._revalue_rates()
        self.assertEqual(self.hour_a.cluster_in_kind_value, 3674.04)

    def _run_migration(self, name):
        path = file_path(f"cluster_projects/migrations/18.0.1.2.0/{name}.py")
        spec = importlib.util.spec_from_file_location(name.replace("-", "_"), path)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        self.env.flush_all()
        script.migrate(self.env.cr, "18.0.1.1.0")
        self.env.invalidate_all()

    def test_claim_sent_before_1_2_keeps_its_values(self):
        """A claim paid before claims kept their hours: the update links its hours before
        anything can recompute them, and its rows keep the values claimed then."""
        self.env.cr.execute(
            "UPDATE cluster_grant_claim SET state = 'paid' WHERE id = %s", [self.claim.id]
        )
        self._run_migration("pre-claim-freeze")
        self.assertEqual(self.hour_b.cluster_value_claim_id, self.claim)
        self.assertFalse(self.hour_may.cluster_value_claim_id)
        # data loaded during the update (a new rate, a participant) recomputes nothing
        self._revalue_rates()
        self.assertEqual(self.hour_b.cluster_in_kind_value, 1200.0)
        self._log(self.employee_a, 1.0, day=date(2026, 4, 2))
        self._run_migration("post-claim-freeze")
        row_b = self.claim.line_ids.filtered(lambda r: r.line_id == self.hour_b)
        self.assertEqual(
            (row_b.basis, row_b.monthly_salary, row_b.hourly_rate, row_b.payroll_pct),
            ("salary", 34400.0, 240.0, 0.0),
        )
        self.assertEqual(row_b.value, 1200.0)
        self.assertEqual((self.claim.in_kind_hours, self.claim.in_kind_value), (11.0, 4200.0))

    def test_correction_is_a_linked_claim_of_the_difference(self):
        self.claim.action_submit()
        self.claim.action_mark_paid()
        self._revalue_rates()
        action = self.claim.with_user(self.cluster_manager).action_create_correction()
        correction = self.env["cluster.grant.claim"].browse(action["res_id"])
        self.assertEqual(correction.correction_of_id, self.claim)
        self.assertEqual(
            (correction.grant_id, correction.date_from, correction.date_to, correction.state),
            (self.grant, date(2026, 1, 1), date(2026, 3, 31), "draft"),
        )
        # while the correction is open, the period's hours can be corrected
        self.hour_b.unit_amount = 6.0
        late = self._log(self.employee_a, 1.0, day=date(2026, 3, 10))
        correction.amount_claimed = -150.0  # the funder accepted less: a negative difference
        with self.assertRaisesRegex(UserError, "needs a reason"):
            correction.action_submit()
        correction.correction_reason = "Bertil worked 6 hours on 4 March, not 5."
        correction.with_user(self.cluster_manager).action_submit()
        # claimed hours keep their frozen rate: A 6 x 500, B 6 x 240; the new hour is
        # valued at today's rate: 1 x 612.34
        self.assertEqual(self.hour_a.cluster_in_kind_value, 3000.0)
        self.assertEqual(self.hour_b.cluster_in_kind_value, 1440.0)
        self.assertEqual(late.cluster_in_kind_value, 612.34)
        self.assertEqual(correction.in_kind_value, 5052.34)
        self.assertEqual(correction.in_kind_difference, 852.34)  # 240 + 612.34
        self.assertEqual(self._period_in_kind(), correction.in_kind_value)
        data = self.project._cluster_cofinancing_data(date(2026, 1, 1), date(2026, 3, 31))
        self.assertEqual(data[self.project.id]["public"], 1850.0)  # 2 000 - 150
        self.assertEqual(self.claim.in_kind_value, 4200.0)  # the first claim stays as sent
        self.assertIn(
            "Bertil worked 6 hours on 4 March, not 5.",
            self.claim.message_ids.mapped("body")[0],
        )
        # closed again: the period is locked
        with self.assertRaisesRegex(UserError, "submitted payment claim"):
            self.hour_b.unit_amount = 7.0
        # a correction of a correction is made on the first claim
        action = correction.action_create_correction()
        self.assertEqual(
            self.env["cluster.grant.claim"].browse(action["res_id"]).correction_of_id,
            self.claim,
        )

    def test_correction_refused_to_other_users(self):
        self.claim.action_submit()
        with self.assertRaises(UserError):
            self.claim.with_user(self.cluster_user).action_create_correction()
        with self.assertRaises(UserError):
            self.claim.with_user(self.cluster_board).action_reset_draft()
