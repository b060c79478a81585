from . import res_company
from . import res_partner
from . import cluster_skill
from . import cluster_expert_skill
from . import cluster_expert
from . import cluster_agreement
from . import account_analytic_line
