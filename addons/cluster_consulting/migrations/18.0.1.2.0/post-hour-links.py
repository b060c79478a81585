# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""1.2: the links between settled hours and document lines move from two columns of
account_analytic_line (cluster_bill_line_id, cluster_invoice_line_id) into the narrow
table cluster_hour_link (created by the update before this script runs). Each column's
links are copied in one INSERT ... SELECT, then the columns (and their indexes and the
check constraint on them) are dropped: the fields read the link table now. The link
model's init() calls the same function, so a database already at 18.0.1.2.0 (which
skips this script) moves its links on its next update; here it is a no-op then."""

from odoo.addons.cluster_consulting.models.cluster_hour_link import move_column_links


def migrate(cr, version):
    if not version:
        return
    move_column_links(cr)
