# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Portal pages of expert time: agreements, experts, hours and statements.

Every list is searched as the logged-in user (the record rules of the addon decide
what a firm sees) and restricted to the user's firm by an explicit domain on a stored
firm field. ``sudo()`` is used only on records already found as the user, to render
their own many2one names, and for the few writes a portal user may do through a form
after the controller checked the firm, the role and the state (each one commented).
"""

import re
from datetime import timedelta

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.osv import expression

from odoo.addons.cluster_base.controllers.portal import (
    ROLE_EXPERT,
    ROLE_MEMBER,  # noqa: F401 (re-exported for the tests and other addons)
    ROLE_SIGNATORY,
    ClusterPortal,
)
from odoo.addons.cluster_base.tools.parse import parse_date, parse_decimal, parse_id

MAX_HOURS_PER_MONTH = 400.0
# Fields a portal user may change on an expert (anything else in a form is refused).
EXPERT_FORM_FIELDS = {"visible_to_members", "hours_per_month"}
SKILL_FIELD_RE = re.compile(r"^skill_([0-9]{1,9})$", re.ASCII)
HOUR_FORM_FIELDS = {"agreement_id", "task_id", "date", "unit_amount", "name"}


def parse_number(value, minimum=0.0, maximum=None, strict_minimum=False, digits=2):
    """A finite decimal number from a form (ASCII digits, a Swedish decimal comma
    accepted, at most ``digits`` decimals: what is stored), or ``None``; see
    ``cluster_base.tools.parse``."""
    return parse_decimal(
        value if isinstance(value, str) else "",
        digits=digits,
        minimum=minimum,
        maximum=maximum,
        strict_minimum=strict_minimum,
    )


class ClusterConsultingPortal(ClusterPortal):
    # Roles (decided by res.users._cluster_get_roles) ------------------------------

    def _cluster_page_roles(self):
        pages = super()._cluster_page_roles()
        both = {ROLE_SIGNATORY, ROLE_EXPERT}
        pages.update(
            {
                "agreements": both,
                "agreement_answer": {ROLE_SIGNATORY},
                "experts": both,
                "hours": both,
                "hours_log": {ROLE_EXPERT},  # log, edit, submit own hours
                "hours_review": {ROLE_SIGNATORY},  # approve the hours the firm buys
                "statements": {ROLE_SIGNATORY},
            }
        )
        return pages

    # Helpers ---------------------------------------------------------------------

    def _cluster_is_signatory(self):
        return ROLE_SIGNATORY in self._cluster_roles()

    def _cluster_is_expert(self):
        return ROLE_EXPERT in self._cluster_roles()

    def _cluster_own_expert_domain(self, prefix=""):
        """The user's own expert rows (``prefix`` walks from agreements or hours),
        lent by the user's own firm: a contact that moved firm leaves them behind."""
        return [
            (f"{prefix}user_id", "=", request.env.user.id),
            (f"{prefix}employer_id", "=", self._cluster_firm().id),
        ]

    def _cluster_agreement_domain(self):
        """Agreements the user's firm lends or buys (signatory), or the user's own."""
        firm = self._cluster_firm()
        parts = []
        if self._cluster_is_signatory():
            parts += [[("lender_id", "=", firm.id)], [("buyer_id", "=", firm.id)]]
        if self._cluster_is_expert():
            parts.append(self._cluster_own_expert_domain("expert_id."))
        return self._cluster_or(parts)

    def _cluster_expert_domain(self):
        if self._cluster_is_signatory():
            return [("employer_id", "=", self._cluster_firm().id)]
        if self._cluster_is_expert():
            return self._cluster_own_expert_domain()
        return [("id", "=", 0)]

    def _cluster_hour_domain(self):
        """Hours the user logged (expert) or that the firm lends or buys (signatory)."""
        firm = self._cluster_firm()
        parts = []
        if self._cluster_is_signatory():
            parts += [
                [("cluster_lender_id", "=", firm.id)],
                [("cluster_buyer_id", "=", firm.id)],
            ]
        if self._cluster_is_expert():
            parts.append(self._cluster_own_expert_domain("agreement_id.expert_id."))
        return [("agreement_id", "!=", False)] + self._cluster_or(parts)

    @staticmethod
    def _cluster_or(parts):
        """OR of domains; nothing at all when there is no part."""
        return expression.OR(parts) if parts else [("id", "=", 0)]

    def _cluster_statement_domain(self):
        if not self._cluster_allowed("statements"):
            return [("id", "=", 0)]
        return [("partner_id", "=", self._cluster_firm().id)]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        counts = {
            "cluster_agreement_count": (
                "agreements",
                "cluster.agreement",
                self._cluster_agreement_domain,
            ),
            "cluster_expert_count": ("experts", "cluster.expert", self._cluster_expert_domain),
            "cluster_hour_count": ("hours", "account.analytic.line", self._cluster_hour_domain),
            "cluster_statement_count": (
                "statements",
                "cluster.settlement.report.balance",
                self._cluster_statement_domain,
            ),
        }
        for key, (page, model, domain) in counts.items():
            if key in counters:
                # Counted as the user: the record rules apply on top of the domain.
                values[key] = (
                    self._cluster_count(model, domain()) if self._cluster_allowed(page) else 0
                )
        return values

    def _cluster_overview_values(self, firm):
        """Expert-time figures for the firm's ``/my/cluster`` overview (built by
        cluster_base): requests waiting for the signatory, hours to approve and the
        latest statement. Counted as the user, for the user's own firm only."""
        values = super()._cluster_overview_values(firm)
        own_firm = self._cluster_firm()
        signatory = self._cluster_is_signatory() and firm == own_firm
        values.update(
            {
                "cluster_agreements_waiting": self._cluster_count(
                    "cluster.agreement",
                    [("lender_id", "=", own_firm.id), ("state", "=", "requested")],
                )
                if signatory
                else 0,
                "cluster_hours_to_approve": self._cluster_count(
                    "account.analytic.line",
                    [
                        ("cluster_buyer_id", "=", own_firm.id),
                        ("cluster_hour_state", "=", "submitted"),
                    ],
                )
                if signatory
                else 0,
                # sudo: only to name the settlement of the balance found as the user.
                "cluster_latest_statement": (
                    request.env["cluster.settlement.report.balance"]
                    .search(self._cluster_statement_domain(), limit=1)
                    .sudo()
                    if self._cluster_allowed("statements")
                    else request.env["cluster.settlement.report.balance"]
                ),
            }
        )
        return values

    def _cluster_list_values(self, model, *args, **kwargs):
        values = super()._cluster_list_values(model, *args, **kwargs)
        values["is_signatory"] = self._cluster_is_signatory()
        return values

    # Agreements ------------------------------------------------------------------

    def _cluster_agreement_sortings(self):
        _ = request.env._
        return {
            "date": {"label": _("Newest"), "order": "date_from desc, id desc"},
            "name": {"label": _("Number"), "order": "name desc, id desc"},
            "state": {"label": _("Status"), "order": "state, id desc"},
        }

    def _cluster_agreement_filters(self):
        _ = request.env._
        return {
            "all": {"label": _("All"), "domain": []},
            "requested": {
                "label": _("Waiting for approval"),
                "domain": [("state", "=", "requested")],
            },
            "active": {"label": _("Active"), "domain": [("state", "=", "active")]},
            "closed": {
                "label": _("Closed"),
                "domain": [("state", "in", ("closed", "declined", "cancelled"))],
            },
        }

    @http.route(
        ["/my/cluster/agreements", "/my/cluster/agreements/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_cluster_agreements(self, page=1, sortby=None, filterby=None, **kw):
        if not self._cluster_allowed("agreements"):
            return self._cluster_not_found()
        values = self._cluster_list_values(
            "cluster.agreement",
            self._cluster_agreement_domain(),
            "/my/cluster/agreements",
            page,
            sortby,
            filterby,
            self._cluster_agreement_sortings(),
            self._cluster_agreement_filters(),
            "cluster_agreement",
        )
        # sudo: only to render the names of the agreements found as the user (expert,
        # project and firms may be outside the user's read rights).
        values["agreements"] = values["records"].sudo()
        return request.render("cluster_consulting.portal_my_cluster_agreements", values)

    def _cluster_agreement_page(self, agreement, error=None, success=None):
        values = self._prepare_portal_layout_values()
        firm = self._cluster_firm()
        # sudo: the agreement was found as the user; its own names are shown.
        agreement_sudo = agreement.sudo()
        values.update(
            {
                "page_name": "cluster_agreement",
                "agreement": agreement_sudo,
                # Figures computed as the user: only hours the user may read count.
                "figures": agreement,
                "show_money": self._cluster_allowed("money"),
                "can_answer": self._cluster_allowed("agreement_answer")
                and agreement_sudo.lender_id == firm
                and agreement_sudo.state == "requested",
                "error": error,
                "success": success,
            }
        )
        return request.render("cluster_consulting.portal_my_cluster_agreement", values)

    @http.route(
        ["/my/cluster/agreements/<int:agreement_id>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_cluster_agreement(self, agreement_id, **kw):
        if not self._cluster_allowed("agreements"):
            return self._cluster_not_found()
        try:
            agreement = self._cluster_get(
                "cluster.agreement", agreement_id, self._cluster_agreement_domain()
            )
        except (AccessError, MissingError):
            return request.redirect("/my/cluster/agreements")
        success = {
            "approved": request.env._("The request is approved."),
            "declined": request.env._("The request is declined."),
        }.get(kw.get("done"))
        return self._cluster_agreement_page(agreement, success=success)

    @http.route(
        ["/my/cluster/agreements/<int:agreement_id>/answer"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_cluster_agreement_answer(self, agreement_id, answer=None, comment=None, **kw):
        if not self._cluster_allowed("agreement_answer"):
            return self._cluster_not_found()
        try:
            agreement = self._cluster_get(
                "cluster.agreement", agreement_id, self._cluster_agreement_domain()
            )
        except (AccessError, MissingError):
            return request.redirect("/my/cluster/agreements")
        actions = {
            "approve": ("action_lender_approve", "approved"),
            "decline": ("action_lender_decline", "declined"),
        }
        if answer not in actions:
            return self._cluster_agreement_page(
                agreement, error=request.env._("Choose to approve or decline.")
            )
        comment = (comment or "").strip()[:2000]
        method, done = actions[answer]
        try:
            with request.env.cr.savepoint():
                # The model's action checks the signatory and the state itself.
                getattr(agreement, method)()
                if comment:
                    # sudo: a portal user cannot post on the agreement directly; the
                    # signatory's answer was accepted by the action above.
                    agreement.sudo().message_post(
                        body=comment,
                        author_id=request.env.user.partner_id.id,
                        message_type="comment",
                        subtype_xmlid="mail.mt_comment",
                    )
        except (AccessError, UserError, ValidationError) as error:
            return self._cluster_agreement_page(agreement, error=str(error))
        return request.redirect(f"/my/cluster/agreements/{agreement.id}?done={done}")

    # Experts ---------------------------------------------------------------------

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

    # Hours -----------------------------------------------------------------------

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

    # Statements ------------------------------------------------------------------

    @http.route(
        ["/my/cluster/statements", "/my/cluster/statements/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_cluster_statements(self, page=1, sortby=None, filterby=None, **kw):
        if not self._cluster_allowed("statements"):
            return self._cluster_not_found()
        _ = request.env._
        values = self._cluster_list_values(
            "cluster.settlement.report.balance",
            self._cluster_statement_domain(),
            "/my/cluster/statements",
            page,
            sortby,
            filterby,
            {"date": {"label": _("Newest"), "order": "date_to desc, id desc"}},
            {"all": {"label": _("All"), "domain": []}},
            "cluster_statement",
        )
        # sudo: the balances were found as the user; sudo only names their settlement.
        values["statements"] = values["records"].sudo()
        # the firm's figure now, from the ledger (the same method as the PDF and the API)
        firm = self._cluster_firm()
        values["cluster_open_balance"] = firm._cluster_open_balance(request.env.company)[
            firm.commercial_partner_id
        ]
        values["cluster_currency"] = request.env.company.currency_id
        return request.render("cluster_consulting.portal_my_cluster_statements", values)

    @http.route(
        ["/my/cluster/statements/<int:settlement_id>/pdf"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_cluster_statement_pdf(self, settlement_id, download=False, **kw):
        if not self._cluster_allowed("statements"):
            return self._cluster_not_found()
        try:
            # Balance rows are a view keyed by settlement and firm: the settlement id in
            # the URL is stable, the firm comes from the user.
            balance = self._cluster_get_balance(settlement_id)
        except (AccessError, MissingError):
            return request.redirect("/my/cluster/statements")
        # sudo: the report renders the firm's own documents of this settlement (the
        # template filters them by the balance's firm); access was checked above.
        report = request.env["ir.actions.report"].sudo()
        pdf, _type = report._render_qweb_pdf(
            "cluster_consulting.action_report_cluster_settlement_statement",
            balance.ids,
        )
        filename = re.sub(r"\W+", "_", f"statement_{balance.sudo().settlement_id.name}")
        disposition = "attachment" if download == "1" else "inline"
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", f'{disposition}; filename="{filename}.pdf"'),
            ],
        )

    def _cluster_get_balance(self, settlement_id):
        settlement_id = parse_id(settlement_id)
        if not settlement_id:
            raise MissingError(request.env._("This document does not exist."))
        balance = request.env["cluster.settlement.report.balance"].search(
            self._cluster_statement_domain() + [("settlement_id", "=", settlement_id)],
            limit=1,
        )
        if not balance:
            raise MissingError(request.env._("This document does not exist."))
        return balance
