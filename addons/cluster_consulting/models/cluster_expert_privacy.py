# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""An expert's consents (to be listed, to have a CV stored) and their erasure.

Opting in to be visible to the members is the consent to be listed; uploading a CV is
the consent to store it: each is dated when given and cleared when withdrawn. An expert
whose last agreement ended more than the configured number of months ago and whose
consent is older than that is anonymised by a scheduled action, unless hours of theirs
are still unsettled.
"""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class ClusterExpert(models.Model):
    _inherit = "cluster.expert"

    consent_listed_date = fields.Date(
        string="Consent to be listed",
        readonly=True,
        copy=False,
        help="When the expert (or their firm) agreed to show the profile to the members.",
    )
    consent_cv_date = fields.Date(
        string="Consent to store the CV",
        readonly=True,
        copy=False,
        help="When the CV was given to the association to keep.",
    )

    def _cluster_consent_vals(self, vals):
        today = fields.Date.context_today(self)
        vals = dict(vals)
        if "visible_to_members" in vals:
            vals["consent_listed_date"] = today if vals["visible_to_members"] else False
        if "cv_file" in vals:
            vals["consent_cv_date"] = today if vals["cv_file"] else False
            if not vals["cv_file"]:
                vals["cv_filename"] = False
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._cluster_consent_vals(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(self._cluster_consent_vals(vals))

    def action_cluster_renew_consent(self):
        """The expert confirms the consents given (listing, CV) as of today."""
        today = fields.Date.context_today(self)
        for expert in self:
            values = {}
            if expert.visible_to_members:
                values["consent_listed_date"] = today
            if expert.cv_file:
                values["consent_cv_date"] = today
            if values:
                super(ClusterExpert, expert).write(values)
        return True

    # ------------------------------------------------------------------ hours
    def _cluster_unsettled_hours(self):
        """Bought-out hours of these experts the books still need: draft or submitted,
        or approved but not yet on the lender's bill (or, when a firm buys them, on the
        buyer's invoice)."""
        return (
            self.env["account.analytic.line"]
            .sudo()
            .search(
                [
                    ("agreement_id.expert_id", "in", self.ids),
                    "|",
                    ("cluster_hour_state", "in", ("draft", "submitted")),
                    "&",
                    ("cluster_hour_state", "=", "approved"),
                    "|",
                    ("cluster_bill_line_id", "=", False),
                    "&",
                    ("agreement_id.buyer_kind", "!=", "association"),
                    ("cluster_invoice_line_id", "=", False),
                ]
            )
        )

    # ------------------------------------------------------------------ retention
    @api.model
    def _cron_cluster_anonymize_expired(self):
        """Anonymise experts whose last agreement ended more than the company's retention
        period ago and whose consent was not renewed since; skip those with unsettled
        hours (they come back the next night)."""
        today = fields.Date.context_today(self)
        for company in self.env["res.company"].search([]):
            months = company.cluster_expert_retention_months
            if months <= 0:
                continue
            cutoff = today - relativedelta(months=months)
            experts = (
                self.sudo()
                .with_context(active_test=False)
                .search(
                    [
                        ("company_id", "=", company.id),
                        ("partner_id.cluster_anonymized_on", "=", False),
                    ]
                )
            )
            for expert in experts:
                if not expert._cluster_retention_expired(cutoff):
                    continue
                if expert._cluster_unsettled_hours():
                    continue
                expert.partner_id._cluster_anonymize()
        return True

    def _cluster_retention_expired(self, cutoff):
        self.ensure_one()
        ends = self.with_context(active_test=False).agreement_ids.mapped("date_to")
        last = max(ends) if ends else self.create_date.date()
        consents = [d for d in (self.consent_listed_date, self.consent_cv_date) if d]
        return last < cutoff and (not consents or max(consents) < cutoff)


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _cluster_expert_records(self):
        return (
            self.env["cluster.expert"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", self.ids)])
        )

    def _cluster_personal_data(self):
        data = super()._cluster_personal_data()
        experts = self._cluster_expert_records()
        if not experts:
            return data
        hours = (
            self.env["account.analytic.line"]
            .sudo()
            .search([("agreement_id.expert_id", "in", experts.ids)], order="date, id")
        )
        data["expert"] = [
            {
                "employer": expert.employer_id.name or "",
                "hours_per_month": expert.hours_per_month,
                "visible_to_members": expert.visible_to_members,
                "consent_listed_on": fields.Date.to_string(expert.consent_listed_date) or "",
                "consent_cv_on": fields.Date.to_string(expert.consent_cv_date) or "",
                "cv_file": expert.cv_filename or "",
                # the CV itself, as stored (base64), so the export is the whole profile
                "cv_base64": (expert.cv_file or b"").decode()
                if isinstance(expert.cv_file, bytes)
                else (expert.cv_file or ""),
                "languages": expert.lang_ids.mapped("name"),
                "skills": [
                    {"skill": skill.skill_id.name, "level": skill.level}
                    for skill in expert.skill_ids
                ],
                "agreements": [
                    {
                        "agreement": agreement.name,
                        "from": fields.Date.to_string(agreement.date_from),
                        "to": fields.Date.to_string(agreement.date_to),
                    }
                    for agreement in expert.with_context(active_test=False).agreement_ids
                ],
            }
            for expert in experts
        ]
        data["hours"] = [
            {
                "date": fields.Date.to_string(hour.date),
                "hours": hour.unit_amount,
                "agreement": hour.agreement_id.name,
                "description": hour.name or "",
                "status": hour.cluster_hour_state or "",
            }
            for hour in hours
        ]
        return data

    def _cluster_erasure_blockers(self):
        blockers = super()._cluster_erasure_blockers()
        unsettled = self._cluster_expert_records()._cluster_unsettled_hours()
        if unsettled:
            blockers.append(
                self.env._(
                    "%(name)s has %(count)s hours that are not settled yet: settle or "
                    "reject them first, the books need them with the expert.",
                    name=self.name,
                    count=len(unsettled),
                )
            )
        return blockers

    def _cluster_anonymize(self):
        experts = self._cluster_expert_records()
        res = super()._cluster_anonymize()
        for expert in experts:
            expert.skill_ids.unlink()
            expert.write(
                {
                    "active": False,
                    "visible_to_members": False,
                    "cv_file": False,
                    "lang_ids": [fields.Command.clear()],
                }
            )
            if expert.employee_id:
                expert.employee_id.sudo().write(
                    {"name": expert.partner_id.name, "work_email": False, "active": False}
                )
        return res
