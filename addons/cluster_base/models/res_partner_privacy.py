# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Personal data of the people in the register (GDPR).

A person's consent to be listed (with its date), the export of everything the
association keeps about them, the request to be erased, and the erasure itself:
the person is anonymised (name, addresses, numbers, picture, notes, logins) while the
records the books must keep — hours, invoices, bills — stay, now pointing to an
anonymous person. Other addons add their data to the export, their reasons to refuse
an erasure (e.g. unsettled hours) and their part of the erasure.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# what identifies a person on the contact; emptied by the erasure
PERSONAL_FIELDS = (
    "email",
    "phone",
    "mobile",
    "street",
    "street2",
    "zip",
    "city",
    "function",
    "website",
    "comment",
    "image_1920",
    "vat",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    cluster_consent_listed = fields.Boolean(
        string="Consents to be listed",
        groups="base.group_user",
        help="The person agrees to be shown to the other member firms (directory, "
        "contact person of the firm).",
    )
    cluster_consent_date = fields.Date(
        string="Consent given on", groups="base.group_user", readonly=True, copy=False
    )
    cluster_erasure_requested_on = fields.Datetime(
        string="Erasure requested on", groups="base.group_user", readonly=True, copy=False
    )
    cluster_anonymized_on = fields.Datetime(
        string="Anonymised on", groups="base.group_user", readonly=True, copy=False
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("cluster_consent_listed") and not vals.get("cluster_consent_date"):
                vals["cluster_consent_date"] = fields.Date.context_today(self)
        return super().create(vals_list)

    def write(self, vals):
        if "cluster_consent_listed" in vals:
            vals = dict(
                vals,
                cluster_consent_date=vals["cluster_consent_listed"]
                and fields.Date.context_today(self)
                or False,
            )
        return super().write(vals)

    # ------------------------------------------------------------------ export
    def _cluster_personal_data(self):
        """Everything the association keeps about this person, as plain data.

        Other addons add their sections (``data = super()...; data["x"] = ...``).
        """
        self.ensure_one()
        partner = self.sudo()
        return {
            "person": {
                "name": partner.name,
                "email": partner.email or "",
                "phone": partner.phone or "",
                "mobile": partner.mobile or "",
                "function": partner.function or "",
                "firm": partner.commercial_partner_id.name
                if partner.commercial_partner_id != partner
                else "",
                "street": partner.street or "",
                "zip": partner.zip or "",
                "city": partner.city or "",
                "language": partner.lang or "",
                "signatory": partner.cluster_is_signatory,
            },
            "consent": {
                "listed": partner.cluster_consent_listed,
                "given_on": fields.Date.to_string(partner.cluster_consent_date) or "",
            },
            "logins": [
                {"login": user.login, "created": fields.Datetime.to_string(user.create_date)}
                for user in partner.with_context(active_test=False).user_ids
            ],
        }

    # ------------------------------------------------------------------ erasure
    def _cluster_erasure_blockers(self):
        """Reasons this person can't be anonymised now (list of messages); extended."""
        self.ensure_one()
        blockers = []
        if self.is_company:
            blockers.append(
                self.env._("%(name)s is a firm, not a person.", name=self.display_name)
            )
        return blockers

    def _cluster_request_erasure(self):
        """The person asks to be erased: recorded, and the association is asked to do it."""
        self.ensure_one()
        partner = self.sudo()
        if partner.cluster_erasure_requested_on:
            return False
        partner.cluster_erasure_requested_on = fields.Datetime.now()
        managers = self.env.ref("cluster_base.cluster_base_group_manager").sudo().users
        blockers = partner._cluster_erasure_blockers()
        note = self.env._("%(name)s asks to be erased from the register.", name=partner.name)
        if blockers:
            note += " " + " ".join(blockers)
        partner.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Erasure request"),
            note=note,
            user_id=(managers[:1] or self.env.ref("base.user_admin")).id,
        )
        return True

    def _cluster_anonymize(self):
        """Anonymise the person; records the books keep stay and point to them."""
        for partner in self.sudo():
            blockers = partner._cluster_erasure_blockers()
            if blockers:
                raise UserError(" ".join(blockers))
            users = partner.with_context(active_test=False).user_ids
            if users.filtered(lambda u: not u.share):
                raise UserError(
                    self.env._(
                        "%(name)s is a user of the association: remove the internal user "
                        "first.",
                        name=partner.name,
                    )
                )
            label = self.env._("Anonymised person %(id)s", id=partner.id)
            for user in users:
                user.write({"active": False, "login": f"anonymised-{partner.id}-{user.id}"})
            vals = dict.fromkeys(PERSONAL_FIELDS, False)
            vals.update(
                {
                    "name": label,
                    "cluster_is_signatory": False,
                    "cluster_consent_listed": False,
                    "cluster_anonymized_on": fields.Datetime.now(),
                    "active": False,
                }
            )
            partner.write(vals)
            partner.message_ids.filtered(lambda m: m.message_type == "comment").sudo().write(
                {"body": label}
            )
        return True

    def action_cluster_anonymize(self):
        if not self.env.user.has_group("cluster_base.cluster_base_group_manager"):
            raise AccessError(self.env._("Only a cluster manager can erase a person."))
        self._cluster_anonymize()
        return True
