# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from stdnum.se import orgnr as se_orgnr

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

from .res_users import SIGNATORY_GROUP


class ResPartner(models.Model):
    """The firm's profile in the member register."""

    _inherit = "res.partner"

    # The firm's documents: each portal role reads its own on /my/invoices; the raw list
    # holds the settlement documents and fees of the signatory's business only.
    invoice_ids = fields.One2many(groups="base.group_user")
    cluster_municipality = fields.Char(string="Municipality", index=True)
    cluster_business_area_ids = fields.Many2many(
        "cluster.business.area",
        "res_partner_cluster_business_area_rel",
        "partner_id",
        "area_id",
        string="Business areas",
    )
    cluster_employees_women = fields.Integer(string="Employees (women)")
    cluster_employees_men = fields.Integer(string="Employees (men)")
    cluster_employees_total = fields.Integer(
        string="Employees (total)", compute="_compute_cluster_employees_total", store=True
    )
    cluster_employees_date = fields.Date(string="Employees counted on")
    cluster_info_products = fields.Text(string="Information products")
    cluster_sales_channels = fields.Text(string="Sales channels")
    cluster_pricing_model = fields.Text(
        string="How it charges", help="Subscription, per lead, per report..."
    )
    cluster_markets = fields.Text(string="Markets")
    cluster_intent_date = fields.Date(string="Statement of intent signed on")
    cluster_intent_document = fields.Binary(string="Statement of intent", attachment=True)
    cluster_intent_filename = fields.Char(string="Statement of intent file name")
    cluster_membership_ids = fields.One2many(
        "cluster.membership", "partner_id", string="Memberships"
    )
    cluster_membership_id = fields.Many2one(
        "cluster.membership",
        string="Current membership",
        compute="_compute_cluster_membership",
        store=True,
        index="btree_not_null",
    )
    cluster_membership_type_id = fields.Many2one(
        "cluster.membership.type",
        string="Membership type",
        compute="_compute_cluster_membership",
        store=True,
    )
    cluster_member_state = fields.Selection(
        [
            ("none", "Not a member"),
            ("applicant", "Applicant"),
            ("member", "Member"),
            ("former", "Former member"),
        ],
        string="Cluster membership",
        compute="_compute_cluster_membership",
        store=True,
        index=True,
    )
    is_cluster_member = fields.Boolean(
        string="Cluster member", compute="_compute_cluster_membership", store=True, index=True
    )
    cluster_is_signatory = fields.Boolean(
        string="Signatory",
        help="This contact signs on behalf of its firm: membership, fees, agreements and "
        "statements. Its portal login gets the firm signatory's rights; moving the "
        "contact to another firm clears the flag.",
    )

    def _auto_init(self):
        # Create and fill the stored computed columns in SQL: no firm is a member when the
        # module is installed, so a Python recompute of every partner would be wasted time.
        cr = self.env.cr
        columns = {
            "cluster_member_state": ("varchar", "'none'"),
            "is_cluster_member": ("boolean", "false"),
            "cluster_employees_total": ("int4", "0"),
            "cluster_membership_id": ("int4", None),
            "cluster_membership_type_id": ("int4", None),
        }
        for column, (column_type, value) in columns.items():
            if not column_exists(cr, "res_partner", column):
                create_column(cr, "res_partner", column, column_type)
                if value:
                    cr.execute(
                        SQL(
                            "UPDATE res_partner SET %s = %s",
                            SQL.identifier(column),
                            SQL(value),
                        )
                    )
        return super()._auto_init()

    @api.depends("cluster_employees_women", "cluster_employees_men")
    def _compute_cluster_employees_total(self):
        for partner in self:
            partner.cluster_employees_total = (
                partner.cluster_employees_women + partner.cluster_employees_men
            )

    @api.depends("cluster_membership_ids.state", "cluster_membership_ids.membership_type_id")
    def _compute_cluster_membership(self):
        for partner in self:
            memberships = partner.cluster_membership_ids
            current = memberships.filtered(lambda m: m.state in ("admitted", "active"))[:1]
            applying = memberships.filtered(lambda m: m.state in ("draft", "applied"))[:1]
            ended = memberships.filtered(lambda m: m.state in ("resigned", "excluded"))
            membership = current or applying
            partner.cluster_membership_id = membership
            partner.cluster_membership_type_id = membership.membership_type_id
            partner.is_cluster_member = bool(current)
            if current:
                partner.cluster_member_state = "member"
            elif applying:
                partner.cluster_member_state = "applicant"
            elif ended:
                partner.cluster_member_state = "former"
            else:
                partner.cluster_member_state = "none"

    def _cluster_checks_orgnr(self):
        self.ensure_one()
        return (
            self.is_company
            and bool(self.company_registry)
            and (not self.country_id or self.country_id.code == "SE")
        )

    @api.constrains("company_registry", "country_id", "is_company")
    def _check_cluster_orgnr(self):
        to_check = self.filtered(lambda p: p._cluster_checks_orgnr())
        for partner in to_check:
            if not se_orgnr.is_valid(partner.company_registry):
                raise ValidationError(
                    self.env._(
                        "%(number)s is not a valid Swedish organisation number (%(firm)s).",
                        number=partner.company_registry,
                        firm=partner.display_name,
                    )
                )
        if not to_check:
            return
        numbers = set()
        for partner in to_check:
            numbers |= {
                se_orgnr.format(partner.company_registry),
                se_orgnr.compact(partner.company_registry),
            }
        duplicates = self.with_context(active_test=False).search(
            [
                ("is_company", "=", True),
                ("company_registry", "in", list(numbers)),
                ("id", "not in", to_check.ids),
            ],
            limit=1,
        )
        counts = {}
        for partner in to_check:
            key = se_orgnr.format(partner.company_registry)
            counts[key] = counts.get(key, 0) + 1
        if duplicates or any(count > 1 for count in counts.values()):
            number = duplicates.company_registry or next(k for k, c in counts.items() if c > 1)
            raise ValidationError(
                self.env._(
                    "Organisation number %(number)s is already used by another firm.",
                    number=number,
                )
            )

    @api.model
    def _cluster_format_orgnr(self, vals, partner=None):
        number = vals.get("company_registry")
        if not number:
            return vals
        country_id = vals.get("country_id", partner.country_id.id if partner else False)
        is_company = vals.get("is_company", partner.is_company if partner else False)
        country_code = country_id and self.env["res.country"].browse(country_id).code
        if is_company and country_code in (False, None, "SE") and se_orgnr.is_valid(number):
            vals["company_registry"] = se_orgnr.format(number)
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._cluster_format_orgnr(vals)
        partners = super().create(vals_list)
        partners.filtered("cluster_is_signatory")._cluster_sync_signatory_group()
        if any(partner.email and partner.parent_id for partner in partners):
            self.env["mailing.list"]._cluster_sync_later()
        return partners

    def write(self, vals):
        if vals.get("company_registry") and len(self) == 1:
            vals = self._cluster_format_orgnr(dict(vals), self)
        old_firms = {}
        if "parent_id" in vals:
            old_firms = {partner.id: partner.commercial_partner_id for partner in self}
        res = super().write(vals)
        if old_firms:
            moved = self.filtered(lambda p: p.commercial_partner_id != old_firms[p.id])
            if moved and "cluster_is_signatory" not in vals:
                # A signatory of firm A does not sign for firm B: the flag goes with the move.
                moved.filtered("cluster_is_signatory").write({"cluster_is_signatory": False})
            if moved.with_context(active_test=False).user_ids:
                # Record rules are evaluated with ``user.commercial_partner_id`` and cached
                # per user: drop the cache so the old firm's rows vanish at once.
                self.env.registry.clear_cache()
        if {"cluster_is_signatory", "parent_id", "active"} & vals.keys():
            self._cluster_sync_signatory_group()
        if self._cluster_mailing_fields() & vals.keys():
            self.env["mailing.list"]._cluster_sync_later()
        return res

    def _cluster_mailing_fields(self):
        """Fields whose change can move a contact in or out of the cluster's lists."""
        return {"cluster_is_signatory", "parent_id", "active", "email", "is_company"}

    def _cluster_sync_signatory_group(self):
        """Portal logins of signatory contacts hold the signatory group, and only they.

        A contact that stops being a signatory, moves to another firm or is archived,
        and a login that is archived or loses portal access, lose the group (and with it
        the firm's membership, fees, agreements and statements) at once. Internal users
        are never touched.
        """
        group = self.env.ref(SIGNATORY_GROUP, raise_if_not_found=False)
        if not group or not self:
            return
        # sudo: group membership follows the contact's role, which the caller may set
        # (a cluster manager) without rights on res.users; only portal users are touched.
        users = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", self.ids), ("share", "=", True)])
        )
        portal = self.env.ref("base.group_portal")
        signs = users.filtered(
            lambda u: u.active
            and portal in u.groups_id
            and u.partner_id.cluster_is_signatory
            and u.partner_id.active
            and u.partner_id.parent_id
        )
        grant = signs.filtered(lambda u: group not in u.groups_id)
        revoke = (users - signs).filtered(lambda u: group in u.groups_id)
        # written from the users' side: removing users on the group's side is not kept
        if grant:
            grant.with_context(cluster_signatory_sync=True).write(
                {"groups_id": [fields.Command.link(group.id)]}
            )
        if revoke:
            revoke.with_context(cluster_signatory_sync=True).write(
                {"groups_id": [fields.Command.unlink(group.id)]}
            )

    def action_cluster_view_memberships(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cluster_base.cluster_membership_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    # Ledger ------------------------------------------------------------------------

    def _cluster_open_items_domain(self, company=None):
        """Open items of these firms: the posted receivable and payable move lines of
        their commercial partners (and their contacts) that are not fully reconciled.

        Payments, partial payments, netting entries and credit notes are reconciled with
        the lines they settle, so each line's ``amount_residual`` is what is still open.
        """
        company = company or self.env.company
        return [
            ("partner_id.commercial_partner_id", "in", self.commercial_partner_id.ids),
            ("company_id", "=", company.id),
            ("parent_state", "=", "posted"),
            ("account_id.account_type", "in", ("asset_receivable", "liability_payable")),
            ("reconciled", "=", False),
        ]

    def _cluster_open_items(self, company=None):
        """The open move lines of these firms (see ``_cluster_open_items_domain``), read
        as the caller."""
        return self.env["account.move.line"].search(
            self._cluster_open_items_domain(company), order="date, id"
        )

    def _cluster_open_balance(self, company=None):
        """What each firm pays or receives now: ``{commercial partner: {"receivable":
        ..., "payable": ..., "net": ...}}`` in the company currency, summed from the
        ledger's residual amounts. ``net`` > 0: the firm pays the association; < 0: the
        association pays the firm. Every firm of ``self`` has an entry.

        This is the one place the figure is computed: the net statement (PDF, portal,
        time-system API, backend balance per firm) and the netting read it from here.
        The ledger is read with ``sudo()`` for exactly these firms, so a signatory can be
        shown its firm's figure; callers give only firms the user may see.
        """
        company = company or self.env.company
        firms = self.commercial_partner_id
        result = {firm: {"receivable": 0.0, "payable": 0.0, "net": 0.0} for firm in firms}
        if not firms:
            return result
        rows = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                firms._cluster_open_items_domain(company),
                ["partner_id", "account_type"],
                ["amount_residual:sum"],
            )
        )
        currency = company.currency_id
        for partner, account_type, residual in rows:
            side = "receivable" if account_type == "asset_receivable" else "payable"
            values = result[partner.commercial_partner_id]
            values[side] = currency.round(values[side] + residual)
        for values in result.values():
            values["net"] = currency.round(values["receivable"] + values["payable"])
        return result
