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
        "data/cluster_decision_data.xml",
        "views/cluster_decision_views.xml",
        "views/cluster_base_menus.xml",
    ],
}
