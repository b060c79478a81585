from . import cluster_decision
