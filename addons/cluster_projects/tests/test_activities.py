from datetime import date, datetime

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ClusterProjectsCommon


@tagged("post_install", "-at_install")
class TestActivities(ClusterProjectsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Event = cls.env["event.event"]
        cls.training = Event.create(
            {
                "name": "Ledarskap för mellanchefer",
                "cluster_project_id": cls.project.id,
                "cluster_activity_type": "training",
                "date_begin": datetime(2026, 3, 10, 8, 0),
                "date_end": datetime(2026, 3, 10, 14, 0),
            }
        )
        cls.visit = Event.create(
            {
                "name": "Studiebesök Oslo",
                "cluster_project_id": cls.project.id,
                "cluster_activity_type": "study_visit",
                "date_begin": datetime(2026, 9, 1, 8, 0),
                "date_end": datetime(2026, 9, 1, 12, 0),
            }
        )
        Registration = cls.env["event.registration"]
        for event, name, partner, gender in (
            (cls.training, "Anna", cls.employee_a.work_contact_id, "female"),
            (cls.training, "Berit", cls.employee_b.work_contact_id, "female"),
            (cls.training, "Bengt", cls.employee_b.work_contact_id, "male"),
            (cls.visit, "Anna", cls.employee_a.work_contact_id, "female"),
        ):
            Registration.create(
                {
                    "event_id": event.id,
                    "name": name,
                    "partner_id": partner.id,
                    "cluster_gender": gender,
                }
            )
        Registration.create(
            {
                "event_id": cls.training.id,
                "name": "Avbokad",
                "cluster_gender": "male",
                "state": "cancel",
            }
        )

    def test_registration_firm_and_hours(self):
        self.assertEqual(self.training.cluster_hours, 6.0)
        registration = self.training.registration_ids.filtered(lambda r: r.name == "Bengt")
        self.assertEqual(registration.cluster_firm_id, self.firm_b)
        self.assertEqual(registration.cluster_hours, 6.0)
        self.assertEqual(registration.cluster_project_id, self.project)
        with self.assertRaisesRegex(ValidationError, "finite"):
            registration.cluster_hours = -1.0

    def test_indicators(self):
        Indicator = self.env["cluster.indicator"]
        common = {
            "project_id": self.project.id,
            "date_from": date(2026, 1, 1),
            "date_to": date(2026, 6, 30),
        }
        women = Indicator.create({**common, "kind": "participants_women", "target": 5})
        men = Indicator.create({**common, "kind": "participants_men", "target": 5})
        hours = Indicator.create({**common, "kind": "competence_hours", "target": 100})
        hours_year = Indicator.create(
            {**common, "date_to": date(2026, 12, 31), "kind": "competence_hours"}
        )
        firms = Indicator.create({**common, "kind": "firms", "target": 3})
        jobs = Indicator.create(
            {
                **common,
                "kind": "new_jobs",
                "target": 2,
                "outcome_manual": 1,
                "evidence": "Anställningsavtal",
            }
        )
        self.assertEqual(women.outcome, 2)
        self.assertEqual(men.outcome, 1)
        self.assertEqual(hours.outcome, 18.0)
        self.assertEqual(hours_year.outcome, 22.0)
        self.assertEqual(firms.outcome, 2)
        self.assertFalse(jobs.is_computed)
        self.assertEqual(jobs.outcome, 1)
        with self.assertRaisesRegex(ValidationError, "finite"):
            jobs.outcome_manual = float("nan")
