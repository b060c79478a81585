from . import cluster_funder_report
