"""An expert's consents, data export and erasure; the books stay balanced."""

from datetime import date

from odoo.tests import freeze_time, new_test_user, tagged

from .common import ConsultingCommon

YEAR = 2037


@tagged("post_install", "-at_install")
class TestExpertPrivacy(ConsultingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.treasurer = new_test_user(
            cls.env,
            login="priv_treasurer",
            groups="cluster_base.cluster_base_group_manager,account.group_account_invoice",
        )
        cls.date_from = date(YEAR, 3, 1)
        cls.date_to = date(YEAR, 3, 31)
        cls.agreement = cls._activate(cls._create_agreement(hour_cap=40.0))
        cls.hours = cls._log(cls.agreement, date(YEAR, 3, 2), 4.0) | cls._log(
            cls.agreement, date(YEAR, 3, 3), 3.0
        )
        cls.hours.with_user(cls.cluster_manager).action_cluster_submit()
        cls.hours.with_user(cls.cluster_manager).action_cluster_approve()

    def _settle(self):
        settlement = (
            self.env["cluster.settlement"]
            .with_user(self.treasurer)
            .create({"date_from": self.date_from, "date_to": self.date_to})
        )
        settlement.action_run()
        return settlement

    @freeze_time("2037-02-01")
    def test_consents_dated(self):
        self.expert_a.write(
            {"visible_to_members": True, "cv_file": b"JVBERi0xLjQ=", "cv_filename": "cv.pdf"}
        )
        self.assertEqual(self.expert_a.consent_listed_date, date(2037, 2, 1))
        self.assertEqual(self.expert_a.consent_cv_date, date(2037, 2, 1))
        self.expert_a.write({"visible_to_members": False, "cv_file": False})
        self.assertFalse(self.expert_a.consent_listed_date or self.expert_a.consent_cv_date)
        self.assertFalse(self.expert_a.cv_filename)

    def test_export_holds_profile_and_hours(self):
        self.expert_a.write({"cv_file": b"JVBERi0xLjQ=", "cv_filename": "cv.pdf"})
        data = self.person_a._cluster_personal_data()
        self.assertEqual(data["expert"][0]["cv_file"], "cv.pdf")
        self.assertEqual(data["expert"][0]["cv_base64"], "JVBERi0xLjQ=")
        self.assertEqual(data["expert"][0]["employer"], "Anbudsdata AB")
        self.assertEqual(
            {s["skill"] for s in data["expert"][0]["skills"]}, {"Coaching (test)", "Sales (test)"}
        )
        self.assertEqual(sorted(h["hours"] for h in data["hours"]), [3.0, 4.0])
        self.assertNotIn("hourly_rate", json_keys(data))

    def test_erasure_waits_for_settlement_then_keeps_the_books(self):
        self.assertRegex(" ".join(self.person_a._cluster_erasure_blockers()), "7 hours|2 hours")
        with self.assertRaisesRegex(Exception, "not settled yet"):
            self.person_a.with_user(self.cluster_manager).action_cluster_anonymize()
        settlement = self._settle()
        moves = settlement.move_ids
        moves.filtered(lambda m: m.state == "draft").action_post()
        totals = {move.id: (move.amount_total, move.amount_residual) for move in moves}
        balance = sum(moves.line_ids.mapped("balance"))
        self.person_a.with_user(self.cluster_manager).action_cluster_anonymize()
        self.assertFalse(self.expert_a.active)
        self.assertFalse(self.expert_a.skill_ids)
        self.assertTrue(
            self.person_a.with_context(active_test=False).name.startswith("Anonymised")
        )
        # the books keep the hours and the documents, unchanged and balanced
        self.assertEqual(sorted(self.hours.exists().mapped("unit_amount")), [3.0, 4.0])
        self.assertTrue(all(self.hours.mapped("cluster_bill_line_id")))
        self.assertEqual({m.id: (m.amount_total, m.amount_residual) for m in moves}, totals)
        self.assertAlmostEqual(sum(moves.line_ids.mapped("balance")), balance)
        self.assertAlmostEqual(balance, 0.0)

    def test_retention_cron(self):
        self._settle().move_ids.filtered(lambda m: m.state == "draft").action_post()
        self.env.company.cluster_expert_retention_months = 24
        with freeze_time("2039-03-01"):  # expert B renews the consent to be listed
            self.expert_b.visible_to_members = True
        with freeze_time("2039-03-15"):  # 23.5 months after the agreement's end
            self.env["cluster.expert"]._cron_cluster_anonymize_expired()
        self.assertTrue(self.expert_a.active)
        with freeze_time("2039-04-15"):
            self.env["cluster.expert"]._cron_cluster_anonymize_expired()
        self.assertFalse(self.expert_a.active)
        self.assertTrue(self.person_a.with_context(active_test=False).cluster_anonymized_on)
        # expert B has had no agreement for years, but renewed the consent: kept
        self.assertTrue(self.expert_b.active)


def json_keys(data):
    keys = set()
    if isinstance(data, dict):
        for key, value in data.items():
            keys.add(key)
            keys |= json_keys(value)
    elif isinstance(data, list):
        for value in data:
            keys |= json_keys(value)
    return keys
