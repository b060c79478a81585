from . import cluster_funder_report
from . import cluster_sie_export
