from . import portal
from . import privacy
from . import stock_guards
