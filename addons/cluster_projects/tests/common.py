from datetime import date

from odoo.fields import Command
from odoo.tests import new_test_user

from odoo.addons.cluster_base.tests.common import ClusterCommon


class ClusterProjectsCommon(ClusterCommon):
    """A joint project of 2026 with two firms, their employees and funders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.firm_a = Partner.create({"name": "Ringtorp Information AB", "is_company": True})
        cls.firm_b = Partner.create({"name": "Kvarnbo Telemarketing AB", "is_company": True})
        cls.firm_c = Partner.create({"name": "Utanför Konsult AB", "is_company": True})
        cls.funder = Partner.create(
            {
                "name": "Tillväxtverket Test",
                "is_company": True,
                "cluster_is_funder": True,
                "cluster_funder_type": "national_agency",
            }
        )
        cls.funder_region = Partner.create(
            {
                "name": "Region Test",
                "is_company": True,
                "cluster_is_funder": True,
                "cluster_funder_type": "regional",
            }
        )
        cls.employee_a = cls._create_employee("Anna Ringtorp", cls.firm_a)
        cls.employee_b = cls._create_employee("Bertil Kvarnbo", cls.firm_b)
        cls.employee_c = cls._create_employee("Cecilia Utanför", cls.firm_c)
        cls.project = cls.env["project.project"].create(
            {
                "name": "Offentlig sektor som marknad",
                "is_joint_project": True,
                "date_start": date(2026, 1, 1),
                "date": date(2026, 12, 31),
                "cluster_focus_area": "business_development",
                "cluster_territorial_level": "regional",
                "cluster_programme_priority": "Smart specialisering",
                "cluster_participant_ids": [
                    Command.create(
                        {
                            "partner_id": cls.firm_a.id,
                            "role": "lead",
                            "cost_share": 60.0,
                            "committed_cash": 10000.0,
                            "committed_hours": 10.0,
                            "hourly_value": 500.0,
                        }
                    ),
                    Command.create(
                        {
                            "partner_id": cls.firm_b.id,
                            "cost_share": 40.0,
                            "committed_cash": 5000.0,
                            "committed_hours": 4.0,
                            "valuation_method": "salary",
                        }
                    ),
                ],
            }
        )
        cls.participant_a, cls.participant_b = cls.project.cluster_participant_ids.sorted("role")
        cls.task = cls.env["project.task"].create(
            {"name": "Marknadsanalys", "project_id": cls.project.id}
        )
        cls.employee_b.sudo().cluster_monthly_salary = 34400.0  # 34400 * 12 / 1720 = 240 per hour
        # the figures above: firm B adds no employer contributions (a firm without a
        # row gets the statutory 31.42 %, see TestPayrollOverhead)
        cls.payroll_b = cls.env["cluster.payroll.overhead"].create(
            {"partner_id": cls.firm_b.id, "year": 2026, "pct": 0.0}
        )

    @classmethod
    def _create_employee(cls, name, firm):
        contact = cls.env["res.partner"].create({"name": name, "parent_id": firm.id})
        return cls.env["hr.employee"].create({"name": name, "work_contact_id": contact.id})

    @classmethod
    def _log(cls, employee, hours, day=date(2026, 3, 2), task=None):
        return cls.env["account.analytic.line"].create(
            {
                "name": "Arbete",
                "project_id": cls.project.id,
                "task_id": (task or cls.task).id,
                "employee_id": employee.id,
                "unit_amount": hours,
                "date": day,
            }
        )

    @classmethod
    def _cost(cls, amount, category=None, day=date(2026, 3, 15), partner=None):
        """A cost (negative) or income (positive) on the project's account."""
        vals = {
            "name": "Kostnad",
            "account_id": cls.project.account_id.id,
            "amount": amount,
            "date": day,
            "partner_id": partner.id if partner else False,
        }
        if category:
            vals["cluster_cost_category"] = category
        return cls.env["account.analytic.line"].create(vals)

    @classmethod
    def _share_invoice(cls, partner, amount, day=date(2026, 3, 15), other=0.0):
        """A posted customer invoice without tax: ``amount`` on the project's analytic
        account and ``other`` on no project."""
        lines = [
            Command.create(
                {
                    "name": "Kostnadsandel",
                    "quantity": 1,
                    "price_unit": amount,
                    "tax_ids": [Command.clear()],
                    "analytic_distribution": {str(cls.project.account_id.id): 100},
                }
            )
        ]
        if other:
            lines.append(
                Command.create(
                    {
                        "name": "Annat",
                        "quantity": 1,
                        "price_unit": other,
                        "tax_ids": [Command.clear()],
                    }
                )
            )
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": day,
                "date": day,
                "invoice_line_ids": lines,
            }
        )
        invoice.action_post()
        return invoice

    @classmethod
    def _pay(cls, invoice, amount, day):
        """Register a payment of ``amount`` on ``invoice``; returns its journal entry."""
        payment = (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"payment_date": day, "amount": amount})
            ._create_payments()
        )
        return payment.move_id

    @classmethod
    def _grant(cls, **vals):
        return cls.env["cluster.grant"].create(
            {
                "name": "TVV-2026-1",
                "project_id": cls.project.id,
                "funder_id": cls.funder.id,
                "amount_granted": 100000.0,
                "max_public_share": 50.0,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
                **vals,
            }
        )

    @classmethod
    def _portal_user(cls, login, firm, signatory=True):
        """A portal login of a new contact of ``firm``, by default its signatory."""
        contact = cls.env["res.partner"].create(
            {
                "name": login,
                "parent_id": firm.id,
                "email": f"{login}@example.com",
                "cluster_is_signatory": signatory,
            }
        )
        return new_test_user(
            cls.env, login=login, groups="base.group_portal", partner_id=contact.id
        )
