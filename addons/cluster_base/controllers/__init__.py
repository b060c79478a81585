from . import portal
from . import directory
from . import meetings
