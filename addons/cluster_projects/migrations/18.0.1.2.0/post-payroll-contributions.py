# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""1.2: the salary formula adds the firm's employer contributions (the statutory 31.42 %
for a firm without a rate of its own). The in-kind hours no claim has frozen are valued
again (after ``post-claim-freeze``, so claimed hours keep the value sent to the funder);
in-kind hours are those of joint projects only, not the whole analytic table."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    Line = env["account.analytic.line"]
    hours = Line.search(
        [("cluster_hour_use", "=", "in_kind"), ("cluster_value_claim_id", "=", False)]
    )
    env.add_to_compute(Line._fields["cluster_in_kind_value"], hours)
    env.flush_all()
