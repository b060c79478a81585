from . import portal
from . import directory
from . import meetings
from . import privacy
from . import stock_guards
