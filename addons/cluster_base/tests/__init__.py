from . import test_decision
from . import test_membership
from . import test_partner
from . import test_fee_run
from . import test_governance
from . import test_crm
from . import test_security
from . import test_ui
