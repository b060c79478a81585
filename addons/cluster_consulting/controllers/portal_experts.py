# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Portal pages of expert time, experts: the firm's experts, their released hours
and skills (edited by the expert or the signatory).

Roles, firm domains and the list helpers are ``ClusterConsultingPortal``'s
(``portal.py``); the rules of ``portal.py``'s docstring hold here too.
"""

from datetime import timedelta

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from .portal import (
    MAX_HOURS_PER_MONTH,
    SKILL_FIELD_RE,
    ClusterConsultingPortal,
    parse_number,
)


class ClusterExpertPortal(ClusterConsultingPortal):
    @http.route(["/my/cluster/experts"], type="http", auth="user", website=True, readonly=True)
    def portal_cluster_experts(self, page=1, sortby=None, filterby=None, **kw):
        if not self._cluster_allowed("experts"):
            return self._cluster_not_found()
        return self._cluster_experts_page(page, sortby, filterby)

    def _cluster_experts_page(
        self,
        page=1,
        sortby=None,
        filterby=None,
        error=None,
        success=None,
        expert_id=None,
    ):
        _ = request.env._
        values = self._cluster_list_values(
            "cluster.expert",
            self._cluster_expert_domain(),
            "/my/cluster/experts",
            page,
            sortby,
            filterby,
            {"name": {"label": _("Name"), "order": "name, id"}},
            {
                "all": {"label": _("All"), "domain": []},
                "visible": {
                    "label": _("Visible to members"),
                    "domain": [("visible_to_members", "=", True)],
                },
            },
            "cluster_expert",
        )
        experts = values["records"]
        # Skills read as the user, filtered to the experts on the page (one query).
        skills = request.env["cluster.expert.skill"].search([("expert_id", "in", experts.ids)])
        today = fields.Date.context_today(request.env.user)
        month_start = today.replace(day=1)
        month_end = (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        values.update(
            {
                "experts": experts,
                # Free hours this month, from the agreements the user may read.
                "free_hours": request.env["cluster.expert"]._get_free_hours(
                    experts, month_start, month_end
                ),
                "skills_by_expert": {
                    expert.id: skills.filtered(lambda s, e=expert: s.expert_id == e)
                    for expert in experts
                },
                "error": error,
                "success": success,
                "error_expert_id": expert_id,
            }
        )
        return request.render("cluster_consulting.portal_my_cluster_experts", values)

    def _cluster_can_edit_expert(self, expert):
        firm = self._cluster_firm()
        if self._cluster_is_expert() and expert.user_id == request.env.user:
            return expert.employer_id == firm
        return self._cluster_is_signatory() and expert.employer_id == firm

    def _cluster_parse_expert_form(self, post):
        """Whitelisted, range-checked values of the expert form: (vals, levels, error)."""
        _ = request.env._
        vals = {}
        levels = {}
        error = None
        for name, raw in post.items():
            skill_match = SKILL_FIELD_RE.match(name)
            if name == "visible_to_members":
                if raw not in ("0", "1"):
                    error = _("Choose whether the expert is visible.")
                vals[name] = raw == "1"
            elif name == "hours_per_month":
                number = parse_number(raw, 0.0, MAX_HOURS_PER_MONTH)
                if number is None:
                    error = _(
                        "Released hours per month must be a number between 0 and "
                        "%(max)s (a decimal comma is fine).",
                        max=int(MAX_HOURS_PER_MONTH),
                    )
                vals[name] = number
            elif skill_match:
                if raw not in ("1", "2", "3", "4", "5"):
                    error = _("A skill level is a whole number from 1 to 5.")
                    continue
                levels[int(skill_match.group(1))] = int(raw)
            else:
                error = _("The form holds an unknown field: %(name)s.", name=name[:40])
        return vals, levels, error

    @http.route(
        ["/my/cluster/experts/<int:expert_id>/edit"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_cluster_expert_edit(self, expert_id, **post):
        _ = request.env._
        if not self._cluster_allowed("experts"):
            return self._cluster_not_found()
        post.pop("csrf_token", None)
        try:
            expert = self._cluster_get("cluster.expert", expert_id, self._cluster_expert_domain())
        except (AccessError, MissingError):
            return request.redirect("/my/cluster/experts")
        if not self._cluster_can_edit_expert(expert):
            return request.redirect("/my/cluster/experts")
        vals, levels, error = self._cluster_parse_expert_form(post)
        if not error and levels:
            # Skill rows read as the user and restricted to this expert.
            skills = request.env["cluster.expert.skill"].search(
                [("expert_id", "=", expert.id), ("id", "in", list(levels))]
            )
            if len(skills) != len(levels):
                error = _("The form holds a skill of another expert.")
        if error:
            return self._cluster_experts_page(error=error, expert_id=expert.id)
        try:
            with request.env.cr.savepoint():
                # sudo: portal users have read-only access to experts; the firm, the
                # role and every field were checked above (whitelist, range).
                if vals:
                    expert.sudo().write(vals)
                for skill in skills if levels else []:
                    skill.sudo().write({"level": levels[skill.id]})
        except (AccessError, UserError, ValidationError) as exc:
            return self._cluster_experts_page(error=str(exc), expert_id=expert.id)
        return self._cluster_experts_page(
            success=_("%(name)s is saved.", name=expert.name), expert_id=expert.id
        )
