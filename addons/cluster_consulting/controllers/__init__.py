from . import portal
from . import directory
