from . import cluster_expert_report_availability
from . import cluster_settlement_report_balance
