# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Portal pages of expert time, statements: the firm's settlement statements and their PDF.

Roles, firm domains and the list helpers are ``ClusterConsultingPortal``'s
(``portal.py``); the rules of ``portal.py``'s docstring hold here too.
"""

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.cluster_base.tools.parse import parse_id

from .portal import ClusterConsultingPortal


class ClusterStatementPortal(ClusterConsultingPortal):
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
        return self._show_report(
            balance.sudo(),
            "pdf",
            "cluster_consulting.action_report_cluster_settlement_statement",
            download=download == "1",
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
