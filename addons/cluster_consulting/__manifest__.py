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
        "security/cluster_consulting_groups.xml",
        "security/ir.model.access.csv",
        "security/cluster_expert_security.xml",
        "security/cluster_agreement_security.xml",
        "security/account_analytic_line_security.xml",
        "security/cluster_settlement_security.xml",
        "data/cluster_agreement_data.xml",
        "data/cluster_settlement_data.xml",
        "views/cluster_skill_views.xml",
        "views/cluster_expert_views.xml",
        "views/cluster_agreement_views.xml",
        "views/account_analytic_line_views.xml",
        "views/cluster_expert_match_views.xml",
        "views/res_company_views.xml",
        "views/cluster_settlement_views.xml",
        "report/cluster_settlement_statement_templates.xml",
        "views/cluster_consulting_menus.xml",
        "security/cluster_consulting_portal_security.xml",
        "views/cluster_consulting_portal_templates.xml",
        "views/cluster_consulting_portal_overview.xml",
        "views/cluster_settlement_share_views.xml",
    ],
    "demo": ["demo/cluster_consulting_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "cluster_consulting/static/tests/tours/*.js",
        ],
    },
}
