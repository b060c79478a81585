# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ClusterJobRequest(models.Model):
    """A long run asked from a wizard (the annual fee run, an export): it persists, so the
    user can close the browser and reopen it later to see its job's state and fetch its
    result (the file, the invoices made).

    The wizard's values travel in the job's arguments; the job builds the wizard again
    and calls its ``_cluster_job_perform(request)``, the same code as the wizard's button
    that runs at once.
    """

    _name = "cluster.job.request"
    _description = "Cluster Background Run"
    _inherit = ["mail.thread", "cluster.job.mixin"]
    _order = "id desc"

    name = fields.Char(required=True, readonly=True)
    kind = fields.Selection([("fee_run", "Annual fee run")], required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Asked by",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    identity_key = fields.Char(readonly=True, copy=False, index=True)
    summary = fields.Char(string="Result", readonly=True)
    attachment_id = fields.Many2one("ir.attachment", string="File", readonly=True)
    move_ids = fields.Many2many("account.move", string="Documents", readonly=True)

    def _cluster_job_start(self, wizard, *, kind, name, channel, identity_key):
        """Create the request of ``wizard``'s run and enqueue it, unless the same run is
        already queued or running: then that request is returned, and nothing is made
        twice."""
        for other in self.search([("identity_key", "=", identity_key)], limit=5):
            if other._cluster_job_busy():
                return other
        request = self.create({"name": name, "kind": kind, "identity_key": identity_key})
        request._cluster_job_enqueue(
            "_cluster_job_run",
            wizard._name,
            wizard._cluster_job_values(),
            channel=channel,
            description=name,
            identity_key=identity_key,
        )
        return request

    def _cluster_job_run(self, model, values):
        """The job: the wizard again from its values, its work, the result here."""
        request = self.exists()
        if not request:
            return self.env._("The run was deleted before its job started.")
        wizard = self.env[model].create(values)
        summary = wizard._cluster_job_perform(request)
        request.summary = summary
        request._cluster_job_notify(
            self.env._("%(name)s: %(summary)s", name=request.name, summary=summary)
        )
        return summary

    def action_open_request(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_download(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "self",
        }

    def action_view_moves(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", self.move_ids.ids)],
        }
