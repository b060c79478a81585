# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Portal pages of expert time: agreements, experts, hours and statements.

This file holds the roles of the pages, the firm domains and the counters and overview
figures; each page family has its own file (``portal_agreements.py``,
``portal_experts.py``, ``portal_hours.py``, ``portal_statements.py``).

Every list is searched as the logged-in user (the record rules of the addon decide
what a firm sees) and restricted to the user's firm by an explicit domain on a stored
firm field. ``sudo()`` is used only on records already found as the user, to render
their own many2one names, and for the few writes a portal user may do through a form
after the controller checked the firm, the role and the state (each one commented).
"""

import re

from odoo.http import request

from odoo.addons.cluster_base.controllers.portal import (
    ROLE_EXPERT,
    ROLE_MEMBER,  # noqa: F401 (re-exported for the tests and other addons)
    ROLE_SIGNATORY,
    ClusterPortal,
)
from odoo.addons.cluster_base.tools.parse import parse_decimal

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
        return request.env["cluster.agreement"]._cluster_get_portal_domain()

    def _cluster_expert_domain(self):
        """The firm's experts (signatory) or the user's own row: the model's portal
        domain, without the other firms' visible experts (the directory's)."""
        return [
            *request.env["cluster.expert"]._cluster_get_portal_domain(),
            ("employer_id", "=", self._cluster_firm().id),
        ]

    def _cluster_hour_domain(self):
        """Hours the user logged (expert) or that the firm lends or buys (signatory)."""
        return request.env["account.analytic.line"]._cluster_get_portal_domain()

    def _cluster_statement_domain(self):
        if not self._cluster_allowed("statements"):
            return [("id", "=", 0)]
        return request.env["cluster.settlement.report.balance"]._cluster_get_portal_domain()

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
