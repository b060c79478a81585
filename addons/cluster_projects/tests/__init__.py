from . import (
    test_activities,
    test_budget,
    test_claim,
    test_coexist,
    test_cofinancing,
    test_export_jobs,
    test_crm,
    test_grant,
    test_hour_use,
    test_in_kind,
    test_ledger_export,
    test_project_stage,
    test_report,
    test_security,
    test_sie_export,
)
from . import test_portal
from . import test_state_aid
from . import test_audit
from . import test_budget_version
from . import test_cost_share
from . import test_payroll_overhead
from . import test_funding_split
from . import test_claim_pack
