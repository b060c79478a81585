from datetime import date

from odoo.tests import new_test_user

from odoo.addons.cluster_base.tests.common import ClusterCommon


class ConsultingCommon(ClusterCommon):
    """Two firms with an expert and a signatory each, a joint project and its manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.company = cls.env.company
        cls.firm_a = Partner.create(
            {
                "name": "Anbudsdata AB",
                "is_company": True,
                "company_registry": "559123-4561",
            }
        )
        cls.firm_b = Partner.create(
            {
                "name": "Byggfakta Norr AB",
                "is_company": True,
                "company_registry": "559234-5671",
            }
        )
        cls.person_a = Partner.create(
            {
                "name": "Astrid Lind",
                "parent_id": cls.firm_a.id,
                "email": "astrid@example.com",
            }
        )
        cls.person_b = Partner.create(
            {
                "name": "Bertil Holm",
                "parent_id": cls.firm_b.id,
                "email": "bertil@example.com",
            }
        )
        cls.signatory_a = Partner.create(
            {
                "name": "Sara Ek",
                "parent_id": cls.firm_a.id,
                "email": "sara@example.com",
                "cluster_is_signatory": True,
            }
        )
        cls.signatory_b = Partner.create(
            {
                "name": "Olle Berg",
                "parent_id": cls.firm_b.id,
                "email": "olle@example.com",
                "cluster_is_signatory": True,
            }
        )
        cls.skill_coaching = cls.env["cluster.skill"].create({"name": "Coaching (test)"})
        cls.skill_sales = cls.env["cluster.skill"].create({"name": "Sales (test)"})
        Expert = cls.env["cluster.expert"].with_user(cls.cluster_manager)
        cls.expert_a = Expert.create(
            {
                "partner_id": cls.person_a.id,
                "hourly_rate": 800.0,
                "hours_per_month": 40.0,
                "skill_ids": [
                    (0, 0, {"skill_id": cls.skill_coaching.id, "level": 4}),
                    (0, 0, {"skill_id": cls.skill_sales.id, "level": 2}),
                ],
            }
        ).sudo()
        cls.expert_b = Expert.create(
            {
                "partner_id": cls.person_b.id,
                "hourly_rate": 700.0,
                "hours_per_month": 20.0,
                "skill_ids": [(0, 0, {"skill_id": cls.skill_coaching.id, "level": 2})],
            }
        ).sudo()
        cls.project_manager = new_test_user(
            cls.env,
            login="cons_pm",
            groups="base.group_user,hr_timesheet.group_hr_timesheet_user",
        )
        cls.project = cls.env["project.project"].create(
            {
                "name": "Nordic markets",
                "allow_timesheets": True,
                "user_id": cls.project_manager.id,
            }
        )
        cls.other_project = cls.env["project.project"].create(
            {"name": "Public sector", "allow_timesheets": True}
        )
        cls.board_user = new_test_user(
            cls.env, login="cons_board", groups="cluster_base.cluster_base_group_board"
        )
        cls.date_from = date(2026, 3, 1)
        cls.date_to = date(2026, 5, 31)

    @classmethod
    def _create_agreement(cls, **values):
        vals = {
            "expert_id": cls.expert_a.id,
            "project_id": cls.project.id,
            "date_from": cls.date_from,
            "date_to": cls.date_to,
            "hour_cap": 60.0,
        }
        vals.update(values)
        return cls.env["cluster.agreement"].with_user(cls.cluster_manager).create(vals)

    @classmethod
    def _activate(cls, agreement):
        agreement = agreement.with_user(cls.cluster_manager)
        agreement.action_request()
        agreement.action_lender_approve()
        agreement.action_activate()
        return agreement

    @classmethod
    def _log(cls, agreement, day, hours, **values):
        vals = {
            "agreement_id": agreement.id,
            "project_id": agreement.project_id.id,
            "employee_id": agreement.expert_id.employee_id.id,
            "date": day,
            "unit_amount": hours,
            "name": "Coaching session",
        }
        vals.update(values)
        return cls.env["account.analytic.line"].with_user(cls.cluster_manager).create(vals)
