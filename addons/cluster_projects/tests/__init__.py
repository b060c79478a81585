from . import test_hour_use
from . import test_sie_export
