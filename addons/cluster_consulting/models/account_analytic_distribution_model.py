# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class AccountAnalyticDistributionModel(models.Model):
    _inherit = "account.analytic.distribution.model"

    def _create_domain(self, fname, value):
        """The partner categories are extended on a copy: ``analytic`` appends ``False``
        to the caller's list in place, and that list is part of the key under which
        ``account.move.line._compute_analytic_distribution`` caches the models it found,
        so the cache never hit and every line without a given distribution searched the
        models again (one query per fee line of a settlement invoice)."""
        if fname == "partner_category_id" and isinstance(value, list):
            value = list(value)
        return super()._create_domain(fname, value)
