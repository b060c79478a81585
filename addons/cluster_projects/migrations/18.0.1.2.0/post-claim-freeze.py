# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""1.2: a submitted or paid payment claim freezes the values of its in-kind hours. Claims
sent before this version get their hours frozen now, at the values stored today (the
column ``cluster_value_claim_id`` itself was added in SQL by ``_auto_init``)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    claims = env["cluster.grant.claim"].search(
        [("state", "in", ("submitted", "paid")), ("line_ids", "=", False)],
        order="date_to, id",
    )
    claims._cluster_freeze()
