/** @odoo-module **/
// Copyright 2026 Cluster Suite developers
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import { registry } from "@web/core/registry";

// The signatory of a member firm: /my -> Cluster -> membership -> projects -> a project.
registry.category("web_tour.tours").add("cluster_portal_member_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open the Cluster tile",
            trigger: ".o_portal_index_card a[href='/my/cluster']",
            run: "click",
        },
        {
            content: "Open the membership",
            trigger: "a.o_cluster_membership_link",
            run: "click",
        },
        {
            content: "The membership is shown",
            trigger: ".o_cluster_membership",
        },
        {
            content: "Back to the overview",
            trigger: ".breadcrumb a[href='/my/cluster']",
            run: "click",
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
            content: "The firm's own delivered hours are shown",
            trigger: "#cluster_delivered_hours",
        },
    ],
});
