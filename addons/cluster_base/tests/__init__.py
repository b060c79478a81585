from . import test_decision
