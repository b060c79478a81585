from . import test_install
from . import test_expert
from . import test_agreement
from . import test_hours
from . import test_security
from . import test_concurrency
from . import test_settlement
from . import test_settlement_share
