# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The members' directory lists the experts a listed firm makes visible to members."""

from odoo.http import request

from odoo.addons.cluster_base.controllers.directory import ClusterDirectoryPortal


class ClusterConsultingDirectoryPortal(ClusterDirectoryPortal):
    def _cluster_directory_entries(self):
        entries = super()._cluster_directory_entries()
        if not entries:
            return entries
        # sudo: experts of other firms; only those their firm made visible to members
        # (opt-in), and only their name and skills leave this method (no rate, no CV).
        experts = (
            request.env["cluster.expert"]
            .sudo()
            .search(
                [
                    ("employer_id", "in", [entry["id"] for entry in entries]),
                    ("visible_to_members", "=", True),
                ],
                order="name, id",
            )
        )
        by_firm = {}
        for expert in experts:
            by_firm.setdefault(expert.employer_id.id, []).append(
                {
                    "name": expert.name,
                    "skills": ", ".join(expert.skill_ids.skill_id.mapped("name")),
                }
            )
        for entry in entries:
            entry["experts"] = by_firm.get(entry["id"], [])
        return entries
