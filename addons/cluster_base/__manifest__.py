# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Cluster Association",
    "summary": "Economic association of member firms: member register, membership "
    "lifecycle, contributions and fees, board decisions",
    "version": "18.0.1.0.0",
    "category": "Association",
    "license": "LGPL-3",
    "author": "Cluster Suite developers",
    "website": "https://example.org/cluster-suite",
    "development_status": "Alpha",
    "application": True,
    "depends": ["membership", "account", "crm", "contacts", "mail", "portal", "base_vat"],
    "external_dependencies": {"python": ["python-stdnum"]},
    "data": [
        "security/cluster_base_groups.xml",
        "security/ir.model.access.csv",
        "security/cluster_membership_security.xml",
        "data/cluster_decision_data.xml",
        "data/cluster_membership_data.xml",
        "data/crm_data.xml",
        "views/cluster_decision_views.xml",
        "views/cluster_membership_views.xml",
        "views/cluster_membership_type_views.xml",
        "views/cluster_governance_views.xml",
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/cluster_fee_run_views.xml",
        "report/cluster_member_register_report.xml",
        "views/cluster_base_menus.xml",
    ],
}
