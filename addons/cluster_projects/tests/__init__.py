from . import test_hour_use
