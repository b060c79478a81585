from . import portal
from . import state_aid
from . import stock_guards
