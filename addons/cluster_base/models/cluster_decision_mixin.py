# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class ClusterDecisionMixin(models.AbstractModel):
    """Records that stand on a board decision (memberships, joint projects, agreements).

    One place for the two rules they share: a decision is requested as a draft about the
    record (or reused while it is not rejected), and a step that needs it only passes
    with a decision that is adopted and about this record.
    """

    _name = "cluster.decision.mixin"
    _description = "Records decided by a board decision"

    def _cluster_decision_is_about(self, decision):
        """Whether ``decision`` decides this record (overridden where one decision may
        decide several records, as an admission of several firms)."""
        self.ensure_one()
        return decision.res_model == self._name and decision.res_id == self.id

    def _cluster_decision_is_adopted(self, decision):
        """Whether ``decision`` is adopted and about this record."""
        self.ensure_one()
        return decision.state == "adopted" and self._cluster_decision_is_about(decision)

    def _cluster_prepare_decision_vals(self, title):
        self.ensure_one()
        vals = {"title": title, "res_model": self._name, "res_id": self.id}
        if "company_id" in self._fields and self.company_id:
            vals["company_id"] = self.company_id.id
        return vals

    def _cluster_request_decision(self, field_name, title):
        """Create the draft decision of ``field_name`` about this record unless one that
        is not rejected is already there, and open it."""
        self.ensure_one()
        decision = self[field_name]
        if not decision or decision.state == "rejected":
            decision = self.env["cluster.decision"].create(
                self._cluster_prepare_decision_vals(title)
            )
            self[field_name] = decision
        return {
            "type": "ir.actions.act_window",
            "res_model": "cluster.decision",
            "res_id": decision.id,
            "view_mode": "form",
        }
