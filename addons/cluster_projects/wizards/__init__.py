from . import cluster_sie_export
