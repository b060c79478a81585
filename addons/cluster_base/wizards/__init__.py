from . import cluster_fee_run
