# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Portal pages of expert time, hours: the hours experts log and submit by the week,
and the buying signatory approves.

Roles, firm domains and the list helpers are ``ClusterConsultingPortal``'s
(``portal.py``); the rules of ``portal.py``'s docstring hold here too.
"""

import re
from datetime import timedelta

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.cluster_base.tools.parse import parse_date, parse_id

from .portal import (
    HOUR_FORM_FIELDS,
    ClusterConsultingPortal,
    parse_number,
)


class ClusterHourPortal(ClusterConsultingPortal):
    def _cluster_hour_filters(self):
        _ = request.env._
        return {
            "all": {"label": _("All"), "domain": []},
            "draft": {
                "label": _("Draft"),
                "domain": [("cluster_hour_state", "in", ("draft", "rejected"))],
            },
            "submitted": {
                "label": _("To approve"),
                "domain": [("cluster_hour_state", "=", "submitted")],
            },
            "approved": {
                "label": _("Approved"),
                "domain": [("cluster_hour_state", "=", "approved")],
            },
        }

    def _cluster_hours_page(
        self, page=1, sortby=None, filterby=None, error=None, success=None, form=None
    ):
        _ = request.env._
        values = self._cluster_list_values(
            "account.analytic.line",
            self._cluster_hour_domain(),
            "/my/cluster/hours",
            page,
            sortby,
            filterby,
            {
                "date": {"label": _("Newest"), "order": "date desc, id desc"},
                "agreement": {
                    "label": _("Agreement"),
                    "order": "agreement_id, date desc",
                },
            },
            self._cluster_hour_filters(),
            "cluster_hour",
        )
        user = request.env.user
        hours = values["records"]
        # Active agreements on which the user logs hours, found as the user.
        my_agreements = request.env["cluster.agreement"]
        if self._cluster_allowed("hours_log"):
            my_agreements = my_agreements.search(
                [*self._cluster_own_expert_domain("expert_id."), ("state", "=", "active")]
            )
        firm = self._cluster_firm()
        values.update(
            {
                # sudo: names of agreements, experts, tasks of hours found as the user.
                "hours": hours.sudo(),
                "my_agreements": my_agreements.sudo(),
                "own_ids": set(
                    hours.filtered(lambda h: h.sudo().agreement_id.expert_id.user_id == user).ids
                )
                if self._cluster_allowed("hours_log")
                else set(),
                "approvable_ids": set(
                    hours.filtered(
                        lambda h: self._cluster_allowed("hours_review")
                        and h.cluster_hour_state == "submitted"
                        and h.sudo().agreement_id.buyer_id == firm
                        and h.sudo().agreement_id.expert_id.user_id != user
                    ).ids
                ),
                "error": error,
                "success": success,
                "form": form or {},
                "today": fields.Date.context_today(request.env.user),
            }
        )
        return request.render("cluster_consulting.portal_my_cluster_hours", values)

    def _cluster_hours_apply(self, func, done, form=None):
        """Run ``func`` in a savepoint, then back to the hours list with ``done``.

        A refusal of the model (rights, state, constraint) rolls back to the savepoint
        and re-renders the hours page with its message: nothing is half saved.
        """
        try:
            with request.env.cr.savepoint():
                func()
        except (AccessError, UserError, ValidationError) as exc:
            return self._cluster_hours_page(error=str(exc), form=form)
        return request.redirect(f"/my/cluster/hours?done={done}")

    @http.route(
        ["/my/cluster/hours", "/my/cluster/hours/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_cluster_hours(self, page=1, sortby=None, filterby=None, done=None, **kw):
        if not self._cluster_allowed("hours"):
            return self._cluster_not_found()
        _ = request.env._
        success = {
            "saved": _("The hours are saved."),
            "submitted": _("The week is submitted."),
            "approved": _("The hours are approved."),
            "rejected": _("The hours are rejected."),
        }.get(done)
        return self._cluster_hours_page(page, sortby, filterby, success=success)

    def _cluster_parse_hour(self, post, line=None):
        """Validated values of an hour form, or an error message."""
        _ = request.env._
        unknown = set(post) - HOUR_FORM_FIELDS
        if unknown:
            return None, _(
                "The form holds an unknown field: %(name)s.",
                name=sorted(unknown)[0][:40],
            )
        agreement_id = parse_id(post.get("agreement_id"))
        if not agreement_id:
            return None, _("Choose an agreement.")
        # The agreement is searched as the user among the user's own active ones.
        agreement = request.env["cluster.agreement"].search(
            [
                ("id", "=", agreement_id),
                *self._cluster_own_expert_domain("expert_id."),
                ("state", "=", "active"),
            ],
            limit=1,
        )
        if not agreement or (line and line.agreement_id != agreement):
            return None, _("Choose one of your active agreements.")
        day = parse_date(post.get("date"))
        if not day:
            return None, _("Give the date as YYYY-MM-DD.")
        hours = parse_number(post.get("unit_amount"), 0.0, 24.0, strict_minimum=True)
        if hours is None:
            return None, _("Hours must be a number above 0 and at most 24 (e.g. 7,5).")
        task_id = False
        if post.get("task_id"):
            task_id = parse_id(post["task_id"])
            if not task_id:
                return None, _("Choose one of the agreement's tasks.")
        # Period, agreed tasks and caps: the model's constraints, when the hour is saved.
        try:
            vals = request.env["account.analytic.line"]._prepare_hour_vals(
                agreement, day, hours, (post.get("name") or "").strip()[:200] or "/", task_id
            )
        except ValidationError as error:
            return None, str(error)
        return vals, None

    @http.route(
        ["/my/cluster/hours/new"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_cluster_hour_new(self, **post):
        if not self._cluster_allowed("hours_log"):
            return self._cluster_not_found()
        post.pop("csrf_token", None)
        vals, error = self._cluster_parse_hour(post)
        if error:
            return self._cluster_hours_page(error=error, form=post)
        # sudo: portal users cannot create analytic lines; the agreement (the user's
        # own, active) and every value were checked above, and the model's constraints
        # (period, tasks, cap, 24 h a day, > 0) still run.
        return self._cluster_hours_apply(
            lambda: request.env["account.analytic.line"].sudo().create(vals), "saved", form=post
        )

    def _cluster_own_hour(self, line_id, states):
        return self._cluster_get(
            "account.analytic.line",
            line_id,
            [
                *self._cluster_own_expert_domain("agreement_id.expert_id."),
                ("cluster_hour_state", "in", states),
            ],
        )

    @http.route(
        ["/my/cluster/hours/<int:line_id>/edit"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_cluster_hour_edit(self, line_id, **post):
        if not self._cluster_allowed("hours_log"):
            return self._cluster_not_found()
        post.pop("csrf_token", None)
        try:
            line = self._cluster_own_hour(line_id, ("draft", "rejected"))
        except (AccessError, MissingError):
            return request.redirect("/my/cluster/hours")
        vals, error = self._cluster_parse_hour(post, line=line)
        if error:
            return self._cluster_hours_page(error=error)
        vals = {k: vals[k] for k in ("task_id", "date", "unit_amount", "name")}
        # sudo: the line is the user's own draft hour, found as the user.
        return self._cluster_hours_apply(lambda: line.sudo().write(vals), "saved")

    @http.route(
        ["/my/cluster/hours/submit"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_cluster_hours_submit(self, week=None, **post):
        if not self._cluster_allowed("hours_log"):
            return self._cluster_not_found()
        _ = request.env._
        monday = parse_date(week)
        if not monday:
            return self._cluster_hours_page(error=_("Choose a week."))
        monday -= timedelta(days=monday.weekday())
        lines = request.env["account.analytic.line"].search(
            [
                *self._cluster_own_expert_domain("agreement_id.expert_id."),
                ("cluster_hour_state", "in", ("draft", "rejected")),
                ("date", ">=", monday),
                ("date", "<=", monday + timedelta(days=6)),
            ]
        )
        if not lines:
            return self._cluster_hours_page(error=_("No draft hours in that week."))
        # The model's action checks that these are the user's own hours.
        return self._cluster_hours_apply(lines.action_cluster_submit, "submitted")

    @http.route(
        ["/my/cluster/hours/review"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_cluster_hours_review(self, decision=None, **post):
        if not self._cluster_allowed("hours_review"):
            return self._cluster_not_found()
        _ = request.env._
        actions = {
            "approve": "action_cluster_approve",
            "reject": "action_cluster_reject",
        }
        post.pop("csrf_token", None)
        ids = []
        for name in post:
            match = re.match(r"^line_([0-9]{1,9})$", name, re.ASCII)
            if not match:
                return self._cluster_hours_page(
                    error=_("The form holds an unknown field: %(name)s.", name=name[:40])
                )
            ids.append(int(match.group(1)))
        if decision not in actions or not ids:
            return self._cluster_hours_page(error=_("Choose hours and a decision."))
        lines = request.env["account.analytic.line"].search(
            [
                ("id", "in", ids),
                ("cluster_buyer_id", "=", self._cluster_firm().id),
                ("cluster_hour_state", "=", "submitted"),
            ]
        )
        if len(lines) != len(set(ids)):
            return self._cluster_hours_page(
                error=_("Some of the chosen hours cannot be reviewed by you.")
            )
        # The model's action checks the approver's rights and the states.
        return self._cluster_hours_apply(getattr(lines, actions[decision]), f"{decision}d")
