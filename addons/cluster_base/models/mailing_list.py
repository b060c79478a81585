# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The association's newsletters on Odoo's mass mailing: lists of member contacts by role.

A list with a *cluster audience* is kept in step with the member register: the contacts
(with an e-mail address) of firms with an active membership, their signatories, or
their experts (cluster_consulting). A contact whose firm leaves, who stops being a
signatory or who loses the address leaves the list; a contact who unsubscribed stays
unsubscribed (the opted-out subscription is kept and never reactivated).

The sync runs once per transaction, after commit, after a change that can move
someone in or out (a membership's state, a contact's firm, role, address or archiving),
and every night as a safety net.
"""

from odoo import SUPERUSER_ID, api, fields, models
from odoo.tools import email_normalize

SYNC_KEY = "cluster_base.mailing_sync"


class MailingList(models.Model):
    _inherit = "mailing.list"

    cluster_audience = fields.Selection(
        [
            ("all", "All contacts of member firms"),
            ("signatories", "Signatories of member firms"),
            ("experts", "Experts of member firms"),
        ],
        string="Cluster audience",
        help="Kept in step with the member register: the contacts of firms with an active "
        "membership (all, their signatories or their experts) are subscribed, those who "
        "leave are removed; who unsubscribed stays unsubscribed.",
    )

    # ------------------------------------------------------------------ audience
    def _cluster_member_firm_domain(self):
        return [("is_company", "=", True), ("cluster_member_state", "=", "member")]

    def _cluster_audience_partners(self):
        """Partners (with an e-mail) this list should reach; extended by other addons."""
        self.ensure_one()
        Partner = self.env["res.partner"].sudo()
        if self.cluster_audience not in ("all", "signatories"):
            return Partner
        firms = Partner.search(self._cluster_member_firm_domain())
        domain = [("commercial_partner_id", "in", firms.ids), ("email", "!=", False)]
        if self.cluster_audience == "signatories":
            domain.append(("cluster_is_signatory", "=", True))
        else:
            domain.append(("is_company", "=", False))
        return Partner.search(domain)

    # ------------------------------------------------------------------ sync
    def _cluster_sync(self):
        """Subscribe the audience, unsubscribe-by-removal who left; keep opt-outs."""
        Contact = self.env["mailing.contact"].sudo()
        Subscription = self.env["mailing.subscription"].sudo()
        for mailing_list in self.sudo().filtered("cluster_audience"):
            wanted = {}
            for partner in mailing_list._cluster_audience_partners():
                email = email_normalize(partner.email)
                if email and email not in wanted:
                    wanted[email] = partner
            subscriptions = Subscription.search([("list_id", "=", mailing_list.id)])
            present = {}
            for subscription in subscriptions:
                present.setdefault(email_normalize(subscription.contact_id.email), subscription)
            # who left the audience leaves the list; an opt-out is kept as the record of it
            subscriptions.filtered(
                lambda s, wanted=wanted: not s.opt_out
                and email_normalize(s.contact_id.email) not in wanted
            ).unlink()
            missing = [email for email in wanted if email not in present]
            if not missing:
                continue
            contacts = {
                email_normalize(c.email): c
                for c in Contact.search([("email_normalized", "in", missing)])
            }
            new_contacts = Contact.create(
                [
                    {
                        "name": wanted[email].name,
                        "email": wanted[email].email,
                        "company_name": wanted[email].commercial_partner_id.name,
                    }
                    for email in missing
                    if email not in contacts
                ]
            )
            contacts.update({email_normalize(c.email): c for c in new_contacts})
            Subscription.create(
                [
                    {"list_id": mailing_list.id, "contact_id": contacts[email].id}
                    for email in missing
                ]
            )
        return True

    @api.model
    def _cluster_sync_all(self):
        lists = self.sudo().search([("cluster_audience", "!=", False)])
        lists._cluster_sync()
        return True

    @api.model
    def _cluster_sync_later(self):
        """Sync the cluster lists once, after this transaction commits.

        After commit, in a cursor of its own: the lists follow what was saved, the
        transaction that changed the register pays nothing for them (and a failed sync
        loses nothing: the nightly run catches up).
        """
        data = self.env.cr.postcommit.data
        if data.get(SYNC_KEY):
            return
        data[SYNC_KEY] = True
        registry, context = self.env.registry, dict(self.env.context)

        def sync():
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, context)
                env["mailing.list"]._cluster_sync_all()

        self.env.cr.postcommit.add(sync)

    @api.model
    def _cron_cluster_sync(self):
        return self._cluster_sync_all()

    def action_cluster_sync(self):
        self._cluster_sync()
        return True
