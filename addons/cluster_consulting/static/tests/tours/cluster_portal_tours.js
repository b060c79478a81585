/** @odoo-module **/
// Copyright 2026 Cluster Suite developers
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import {registry} from "@web/core/registry";

const tours = registry.category("web_tour.tours");

// The lending firm's signatory approves a requested agreement with a comment.
tours.add("cluster_portal_agreement_approve", {
    url: "/my/cluster/agreements?filterby=requested",
    steps: () => [
        {
            content: "Open the requested agreement",
            trigger: "tr.o_cluster_agreement_row a",
            run: "click",
        },
        {
            content: "Write a comment",
            trigger: "textarea[name=comment]",
            run: "edit Fine by us",
        },
        {
            content: "Approve",
            trigger: "button.o_cluster_approve",
            run: "click",
        },
        {
            content: "The request is approved",
            trigger: ".o_cluster_success",
        },
    ],
});

// The expert logs 7,5 hours today (the form's default date) and submits the week.
tours.add("cluster_portal_hours_log_submit", {
    url: "/my/cluster/hours",
    steps: () => [
        {
            content: "Set the hours with a decimal comma",
            trigger: "form.o_cluster_hour_form input[name=unit_amount]",
            run: "edit 7,5",
        },
        {
            content: "Describe the work",
            trigger: "form.o_cluster_hour_form input[name=name]",
            run: "edit Workshop",
        },
        {
            content: "Log the hours",
            trigger: "button.o_cluster_log",
            run: "click",
        },
        {
            content: "The hours are listed as draft",
            trigger: ".o_cluster_success",
        },
        {
            content: "Submit the week",
            trigger: "button.o_cluster_submit",
            run: "click",
        },
        {
            content: "The week is submitted",
            trigger: ".o_cluster_success",
        },
    ],
});

// The buying firm's signatory approves the submitted hours.
tours.add("cluster_portal_hours_approve", {
    url: "/my/cluster/hours?filterby=submitted",
    steps: () => [
        {
            content: "Choose the submitted hour",
            trigger: "input.o_cluster_hour_check",
            run: "click",
        },
        {
            content: "Approve",
            trigger: "button.o_cluster_hours_approve",
            run: "click",
        },
        {
            content: "The hours are approved",
            trigger: ".o_cluster_success",
        },
    ],
});
