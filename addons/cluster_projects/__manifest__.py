# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Cluster Joint Projects",
    "summary": "Joint projects of the association's members: co-financing, grants, "
    "budgets, in-kind hours, competence activities and funder reports",
    "version": "18.0.1.0.0",
    "category": "Services/Project",
    "license": "LGPL-3",
    "author": "Cluster Suite developers",
    "website": "https://example.org/cluster-suite",
    "development_status": "Alpha",
    "depends": ["cluster_base", "project", "hr_timesheet", "analytic", "account", "event", "crm"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/cluster_projects_groups.xml",
        "security/ir.model.access.csv",
        "security/cluster_project_participant_security.xml",
        "security/cluster_grant_security.xml",
        "data/cluster_projects_data.xml",
        "views/project_project_views.xml",
        "views/cluster_project_participant_views.xml",
        "views/cluster_grant_views.xml",
        "views/cluster_budget_line_views.xml",
        "views/account_analytic_line_views.xml",
        "views/event_event_views.xml",
        "views/res_partner_views.xml",
        "views/cluster_dashboard_views.xml",
        "report/project_progress_report.xml",
        "wizards/cluster_funder_report_views.xml",
        "views/cluster_projects_menus.xml",
    ],
    "demo": ["demo/cluster_project_demo.xml"],
}
