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
    "depends": ["cluster_base", "project", "hr_timesheet", "analytic", "account", "event"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/ir.model.access.csv",
        "views/cluster_projects_menus.xml",
        "wizards/cluster_sie_export_views.xml",
    ],
}
