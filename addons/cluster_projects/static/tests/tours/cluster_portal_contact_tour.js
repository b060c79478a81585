/** @odoo-module **/
// Copyright 2026 Cluster Suite developers
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import { registry } from "@web/core/registry";

// A contact of a member firm without a role: /my -> Cluster -> the firm's state (no
// membership details, no money) -> joint projects -> a project without the firm's money.
registry.category("web_tour.tours").add("cluster_portal_contact_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open the Cluster tile",
            trigger: ".o_portal_index_card a[href='/my/cluster']",
            run: "click",
        },
        {
            content: "The firm's state is shown, not its membership details",
            trigger: "#cluster_overview_member_state",
        },
        {
            content: "No fees on the overview",
            trigger: "body:not(:has(#cluster_overview_open_fees))",
        },
        {
            content: "Open the joint projects",
            trigger: "a.o_cluster_projects_link",
            run: "click",
        },
        {
            content: "Open a joint project",
            trigger: ".o_cluster_project_row a:contains('Offentlig sektor som marknad')",
            run: "click",
        },
        {
            content: "The firm's delivered hours are shown, its money is not",
            trigger: "#cluster_delivered_hours",
        },
        {
            content: "No committed cash",
            trigger: "body:not(:contains('Committed cash'))",
        },
    ],
});
