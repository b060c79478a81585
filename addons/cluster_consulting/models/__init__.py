from . import res_company
from . import res_config_settings
from . import cluster_skill
from . import cluster_expert_skill
from . import cluster_expert
from . import cluster_expert_privacy
from . import cluster_agreement
from . import account_analytic_line
from . import cluster_settlement
from . import account_move
from . import cluster_settlement_share
from . import account_analytic_line_time_api
from . import cluster_time_api
<<<<<<< HEAD
from . import project_project
=======
from . import mailing_list
>>>>>>> main
