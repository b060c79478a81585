# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from stdnum.se import orgnr as se_orgnr

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column


class ResPartner(models.Model):
    """The firm's profile in the member register."""

    _inherit = "res.partner"

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
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("company_registry") and len(self) == 1:
            vals = self._cluster_format_orgnr(dict(vals), self)
        return super().write(vals)

    def action_cluster_view_memberships(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cluster_base.cluster_membership_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
