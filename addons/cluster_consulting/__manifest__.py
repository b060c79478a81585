# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Cluster Expert Time",
    "summary": "Bought-out expert time between member firms: experts, agreements with "
    "caps and approvals, hours, settlement into invoices and bills",
    "version": "18.0.1.0.0",
    "category": "Services/Timesheets",
    "license": "LGPL-3",
    "author": "Cluster Suite developers",
    "website": "https://example.org/cluster-suite",
    "development_status": "Alpha",
    "depends": ["cluster_projects", "hr_timesheet", "project", "mail", "account"],
    "data": [
        "security/ir.model.access.csv",
        "views/cluster_consulting_menus.xml",
    ],
}
