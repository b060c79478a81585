# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from markupsafe import Markup

from odoo import fields, models
from odoo.tools import format_amount, format_date, formatLang


class ClusterProjectAuditMixin(models.AbstractModel):
    """Post changes of a project's funding figures on the project's chatter.

    Budget lines, participants and indicators are no mail threads of their own: a write
    that changes one of ``_cluster_audit_fields`` posts ONE internal note per project
    (whatever the number of records written) naming each record, field, old → new
    value; the note's author is the user who wrote.
    """

    _name = "cluster.project.audit.mixin"
    _description = "Funding changes posted on the project"

    _cluster_audit_fields = ()

    # the joint project whose chatter gets the changes
    project_id = fields.Many2one(
        "project.project",
        required=True,
        ondelete="cascade",
        index=True,
        domain=[("is_joint_project", "=", True)],
    )

    def write(self, vals):
        audited = [name for name in self._cluster_audit_fields if name in vals]
        if not audited or not self:
            return super().write(vals)
        records = self.sudo()
        before = {record.id: {name: record[name] for name in audited} for record in records}
        result = super().write(vals)
        changes = defaultdict(list)
        for record in records:
            for name in audited:
                old, new = before[record.id][name], record[name]
                if self._cluster_audit_differs(name, old, new):
                    changes[record.project_id].append((record, name, old, new))
        for project, rows in changes.items():  # sudo: the writer may not post on it
            project.message_post(
                body=self._cluster_audit_body(rows),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        return result

    def _cluster_audit_differs(self, name, old, new):
        field = self._fields[name]
        if field.type == "monetary":
            currency = self.env.company.currency_id
            return currency.compare_amounts(old or 0.0, new or 0.0) != 0
        if field.type == "float":
            return round(old or 0.0, 6) != round(new or 0.0, 6)
        return old != new

    def _cluster_audit_label(self):
        """How the record is named in the note (override per model)."""
        self.ensure_one()
        return self.display_name

    def _cluster_audit_value(self, record, name, value):
        field = self._fields[name]
        if field.type == "monetary":
            return format_amount(self.env, value or 0.0, record.currency_id)
        if field.type == "float":
            return formatLang(
                self.env, value or 0.0, digits=(field.get_digits(self.env) or (0, 2))[1]
            )
        if field.type == "date":
            return format_date(self.env, value) if value else "—"
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, value) or "—"
        if field.type == "many2one":
            return value.display_name or "—"
        return str(value) if value not in (False, None) else "—"

    def _cluster_audit_body(self, rows):
        items = Markup("").join(
            Markup("<li>%s: %s: %s → %s</li>")
            % (
                record._cluster_audit_label(),
                self._fields[name]._description_string(self.env),
                self._cluster_audit_value(record, name, old),
                self._cluster_audit_value(record, name, new),
            )
            for record, name, old, new in rows
        )
        title = self.env._(
            "%(model)s changed by %(user)s:",
            model=self._description_for_audit(),
            user=self.env.user.name,
        )
        return Markup("<p>%s</p><ul>%s</ul>") % (title, items)

    def _description_for_audit(self):
        return self.env["ir.model"]._get(self._name).name or self._description
