from . import portal
from . import directory
from . import portal_agreements
from . import portal_experts
from . import portal_hours
from . import portal_statements
