# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""META-TEST, class "related record across the firm boundary" (SECURITY.md): a
many2one read over RPC returns the *name* of its target even when the target itself is
forbidden, so every relational field a portal role can read must point only to records
that role may read, or be hidden from portal users (``groups=``).

For each portal role (signatory, expert and plain contact of firm A, signatory of firm
B), on every cluster model and every stock model our addons extend (plus the stock
invoice lines and tasks behind the stock portal pages) that the role may read, every
relational field the role can read (``fields_get`` as the role) is read on every record
the role can search, on a two-firm fixture with agreements both ways, settled hours
linked to both firms' documents and a joint project of both firms. Each related id must
be found by a search as the same role. The number of checked fields is logged
("N fields checked").
"""

import logging
from collections import defaultdict

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .portal_common import PortalCommon

_logger = logging.getLogger(__name__)

CLUSTER_MODULES = ("cluster_base", "cluster_projects", "cluster_consulting")
# Stock models behind the stock portal pages our portal links to (/my/invoices,
# /my/tasks) that we do not extend ourselves.
STOCK_PORTAL_MODELS = ("account.move.line", "project.task")
# Configuration of the association's one company: no member firm's data lives in these
# (accounts, journals, taxes, units, sequences, layouts, calendars, groups, products and
# membership types the association sells). Their names are the association's, the same
# for every firm, so a reference to one crosses no firm boundary even where a portal
# user cannot open the record itself.
ASSOCIATION_MODELS = {
    "account.account",
    "account.analytic.plan",
    "account.fiscal.position",
    "account.journal",
    "account.payment.method.line",
    "account.payment.term",
    "account.root",
    "account.tax",
    "account.tax.group",
    "barcode.nomenclature",
    "cluster.membership.type",
    "ir.sequence",
    "product.category",
    "product.pricelist",
    "product.product",
    "product.template",
    "report.paperformat",
    "res.company",
    "res.groups",
    "resource.calendar",
    "uom.category",
    "uom.uom",
}
RELATIONAL = ("many2one", "one2many", "many2many")


@tagged("post_install", "-at_install")
class TestPortalRelatedFields(PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plain_a_user = cls._portal_contact_user("por_plain_a", cls.firm_a, "Pia Vanlig")
        # The hour firm A buys of firm B's expert, settled: the association's invoice
        # line to firm A and firm B's line of its bill (the case an attacker found).
        (cls.settlement_a | cls.settlement_b).sudo().move_ids.action_post()
        hour = cls.hour_b_to_a.sudo()
        hour.cluster_hour_state = "approved"
        hour.write(
            {
                "cluster_invoice_line_id": cls.settlement_a.move_ids.invoice_line_ids[:1].id,
                "cluster_bill_line_id": cls.settlement_b.move_ids.invoice_line_ids[:1].id,
            }
        )
        # A joint project of both firms.
        cls.joint_project = cls.env["project.project"].create(
            {
                "name": "Gemensamt metaprojekt",
                "is_joint_project": True,
                "cluster_participant_ids": [
                    Command.create(
                        {"partner_id": cls.firm_a.id, "role": "lead", "cost_share": 60.0}
                    ),
                    Command.create({"partner_id": cls.firm_b.id, "cost_share": 40.0}),
                ],
            }
        )
        cls.roles = {
            "signatory of A": cls.signatory_a_user,
            "expert of A": cls.expert_a_user,
            "plain contact of A": cls.plain_a_user,
            "signatory of B": cls.signatory_b_user,
        }

    @classmethod
    def _models(cls):
        """Cluster models and the stock models our addons extend, without transient or
        abstract ones."""
        names = set(STOCK_PORTAL_MODELS)
        for name in cls.env.registry:
            model = cls.env[name]
            if model._abstract or model._transient:
                continue
            if name.startswith("cluster.") or any(
                getattr(klass, "_module", None) in CLUSTER_MODULES for klass in type(model).__mro__
            ):
                names.add(name)
        return sorted(names)

    def _named_on_pages(self, user):
        """Records the role's own portal pages name by design, per model: the parties of
        the agreements it reads (lending and buying firm, the expert lent, the project
        and its account), the employer of the experts it reads, the projects of its own
        participations and the settlements of its own statements. A reference to one of
        these tells the role nothing its pages do not."""
        env = self.env(user=user)
        agreements = env["cluster.agreement"].search([]).sudo()
        experts = env["cluster.expert"].search([]).sudo() | agreements.expert_id
        participations = env["cluster.project.participant"].search([]).sudo()
        projects = agreements.project_id | participations.project_id
        balances = env["cluster.settlement.report.balance"].search([]).sudo()
        named = {
            "res.partner": agreements.lender_id
            | agreements.buyer_id
            | experts.partner_id
            | experts.employer_id,
            "cluster.expert": experts,
            "res.users": experts.user_id,
            "hr.employee": experts.employee_id,
            "project.project": projects | self.env["res.company"].search([]).internal_project_id,
            "account.analytic.account": projects.account_id,
            "cluster.settlement": balances.settlement_id,
        }
        return {model: set(records.ids) for model, records in named.items()}

    def _association_wide(self, comodel, ids):
        """Ids among ``ids`` that belong to the association, not to a member firm."""
        if comodel in ASSOCIATION_MODELS:
            return set(ids)
        records = self.env[comodel].sudo().with_context(active_test=False).browse(ids)
        if comodel == "res.users":
            return set(records.filtered(lambda u: not u.share).ids)
        if comodel == "res.partner":
            staff = (
                self.env["res.users"]
                .sudo()
                .with_context(active_test=False)
                .search([("share", "=", False)])
            )
            own = staff.partner_id | self.env["res.company"].sudo().search([]).partner_id
            return set(ids) & set(own.ids)
        return set()

    def _readable_fields(self, records, fnames):
        """Those of ``fnames`` the role can read on ``records`` (some computed fields
        need rights the role lacks: reading them returns nothing, it raises)."""
        readable = []
        for fname in fnames:
            try:
                records.read([fname])
            except AccessError:
                continue
            readable.append(fname)
        return readable

    def test_every_related_id_is_readable_by_the_role(self):
        checked = 0
        leaks = defaultdict(set)
        models = self._models()
        for role, user in self.roles.items():
            named = self._named_on_pages(user)
            self.authenticate(user.login, user.login)
            for name in models:
                Model = self.env[name].with_user(user).with_context(active_test=False)
                if not Model.has_access("read"):
                    continue
                # what the role gets over JSON-RPC, as a client would ask for it
                described = self._rpc(name, "fields_get", [], attributes=["type", "relation"])
                relational = [f for f, d in described.items() if d["type"] in RELATIONAL]
                checked += len(relational)
                ids = self._rpc(name, "search", [], context={"active_test": False})
                if not ids or not relational:
                    continue
                fnames = self._readable_fields(Model.browse(ids), relational)
                rows = self._rpc(name, "read", ids, fnames) if fnames else []
                for fname in fnames:
                    related = set()
                    for row in rows:
                        value = row[fname]
                        if value:
                            related.update(
                                [value[0]] if described[fname]["type"] == "many2one" else value
                            )
                    if not related:
                        continue
                    comodel = described[fname]["relation"]
                    Comodel = self.env[comodel].with_user(user).with_context(active_test=False)
                    readable = (
                        set(Comodel.search([("id", "in", list(related))]).ids)
                        if Comodel.has_access("read")
                        else set()
                    )
                    hidden = (
                        related
                        - readable
                        - self._association_wide(comodel, related)
                        - named.get(comodel, set())
                    )
                    if hidden:
                        leaks[f"{name}.{fname} -> {comodel}"].add(role)
        _logger.info(
            "cluster portal related fields: %s fields checked over %s roles",
            checked,
            len(self.roles),
        )
        type(self).isolation_checks += checked
        self.assertGreater(checked, 500)
        self.assertFalse(
            leaks,
            "related records a portal role cannot read:\n"
            + "\n".join(
                f"{key}: {', '.join(sorted(roles))}" for key, roles in sorted(leaks.items())
            ),
        )
