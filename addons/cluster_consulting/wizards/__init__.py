from . import cluster_agreement_raise_cap
from . import cluster_expert_match
from . import cluster_settlement_credit
from . import cluster_grant_claim_pack
