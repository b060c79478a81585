# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""1.2: the association's own staff hours on a project are a cost category of their own
(cash staff cost), no longer "other". Set in SQL on the existing timesheets of the
association's staff that had no category."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE account_analytic_line aal
           SET cluster_cost_category = 'association_staff'
          FROM hr_employee emp, res_partner contact, res_partner firm, res_company company
         WHERE aal.employee_id = emp.id
           AND aal.project_id IS NOT NULL
           AND aal.cluster_cost_category IS NULL
           AND aal.cluster_hour_use IS NULL
           AND contact.id = emp.work_contact_id
           AND firm.id = contact.commercial_partner_id
           AND company.id = aal.company_id
           AND (NOT COALESCE(firm.is_company, FALSE) OR firm.id = company.partner_id)
        """
    )
