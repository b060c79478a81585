# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models

# The context key ``account.move._post`` sets on settlement documents: the analytic
# accounts of their lines, found to exist once for the whole batch.
EXISTING_KEY = "cluster_existing_analytic_account_ids"


class AccountAnalyticAccount(models.Model):
    _inherit = "account.analytic.account"

    def exists(self):
        """Posting asks, for every line with an analytic distribution, whether its
        accounts still exist (``account.move.line._prepare_analytic_distribution_line``):
        one query per line. Accounts checked once for the whole batch being posted (the
        ids under ``EXISTING_KEY`` in the context, see ``account.move._post``) are not
        asked again; any other id is."""
        known = self.env.context.get(EXISTING_KEY)
        if known is not None and known.issuperset(self._ids):
            return self
        return super().exists()
