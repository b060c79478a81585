# isort: skip_file
# The mixin is registered first: the models below inherit from it.
from . import cluster_project_audit_mixin
from . import res_partner
from . import cluster_payroll_overhead
from . import res_company
from . import res_config_settings
from . import account_account
from . import product_template
from . import hr_employee
from . import cluster_project_participant
from . import cluster_grant
from . import cluster_grant_claim
from . import cluster_budget_version
from . import cluster_budget_line
from . import cluster_indicator
from . import project_project
from . import project_project_cost_share
from . import project_application
from . import account_analytic_line
from . import event_event
from . import event_registration
from . import crm_lead
from . import cluster_job_request
from . import cluster_state_aid
from . import cluster_state_aid_declaration
from . import cluster_decision
