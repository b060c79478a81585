from . import cluster_funder_report
from . import cluster_sie_export
from . import cluster_ledger_export
from . import cluster_application
from . import cluster_grant_claim_pack
